// base64DecodeText decides most inputs on the raw bytes (src/core/leaks/codec.ts); these
// tests hold it to what strict UTF-8 decoding answers, on random and on text-like bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64DecodeText, isMostlyPrintable } from '../../src/core/leaks/codec.ts';

const strict = new TextDecoder('utf-8', { fatal: true });

/** The plain definition: strict decode, then the printable-text test. */
function reference(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = strict.decode(bytes);
  } catch {
    return null;
  }
  return isMostlyPrintable(text) ? text : null;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

describe('base64DecodeText fast path', () => {
  const textish = fc
    .array(
      fc.oneof(
        fc.integer({ min: 0x20, max: 0x7e }),
        fc.integer({ min: 0, max: 0x1f }),
        fc.integer({ min: 0x80, max: 0xff }),
      ),
      { minLength: 6, maxLength: 80 },
    )
    .map((a) => Uint8Array.from(a));
  const utf8Text = fc
    .string({ unit: 'grapheme', minLength: 6, maxLength: 40 })
    .map((s) => new TextEncoder().encode(s));

  it.each([
    ['random bytes', fc.uint8Array({ minLength: 6, maxLength: 80 })],
    ['text-like bytes', textish],
    ['UTF-8 text', utf8Text],
  ])('agrees with strict decoding on %s', (_name, bytes) => {
    fc.assert(
      fc.property(bytes, (b) => {
        if (b64(b).length >= 8) expect(base64DecodeText(b64(b))).toBe(reference(b));
        if (b64url(b).length >= 8) expect(base64DecodeText(b64url(b))).toBe(reference(b));
        return true;
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['a BOM', [0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"id":"abc12345"}')]],
    ['an overlong slash', [0x41, 0x42, 0x43, 0xc0, 0xaf, 0x44, 0x45, 0x46, 0x47]],
    ['a surrogate', [0x41, 0x42, 0x43, 0xed, 0xa0, 0x80, 0x44, 0x45, 0x46]],
    ['a cut sequence', [0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0xe2, 0x82]],
    ['beyond U+10FFFF', [0x41, 0x42, 0x43, 0xf4, 0x90, 0x80, 0x80, 0x44, 0x45]],
  ])('agrees with strict decoding on %s', (_name, bytes) => {
    const b = Uint8Array.from(bytes);
    expect(base64DecodeText(b64(b))).toBe(reference(b));
  });
});
