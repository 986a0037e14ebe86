// The hand-written encoders of the variant builder (codec.ts, grams.ts) stand in for
// platform code on the hot path of learning a new id: each is held to the reference it
// replaces, on random input of every length class (empty, short, long, non-ASCII text).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Encode, bytesToBase64, toBase64Url, toHex } from '../../../src/core/leaks/codec.ts';
import { gramKeys } from '../../../src/core/leaks/grams.ts';

const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 80 }),
  fc.uint8Array({ minLength: 50, maxLength: 70 }),
  fc.uint8Array({ maxLength: 400 }),
);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('encoders (codec.ts)', () => {
  it('toHex and bytesToBase64 match Buffer', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        expect(toHex(b)).toBe(hex(b));
        expect(bytesToBase64(b)).toBe(Buffer.from(b).toString('base64'));
      }),
      { numRuns: 1_000 },
    );
  });

  it('bytesToBase64 and base64Encode take long input whole (no argument limit)', () => {
    const big = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919) & 0xff);
    expect(bytesToBase64(big)).toBe(Buffer.from(big).toString('base64'));
    const text = 'é€😀x'.repeat(20_000);
    expect(base64Encode(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
  });

  it('base64Encode is base64 of the UTF-8 bytes, ASCII or not', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string(), (a, b) => {
        for (const s of [a, b])
          expect(base64Encode(s)).toBe(Buffer.from(s, 'utf8').toString('base64'));
      }),
      { numRuns: 1_000 },
    );
  });

  it('toBase64Url is the url-safe alphabet without padding', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const std = Buffer.from(b).toString('base64');
        expect(toBase64Url(std)).toBe(Buffer.from(b).toString('base64url'));
        expect(toBase64Url(std)).toBe(
          std.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
        );
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('gramKeys (grams.ts)', () => {
  it('gives each distinct pair hash once, in first-seen order, and leaves no state behind', () => {
    const text = fc.string({ unit: fc.constantFrom(...'ab01%@.-_=é'.split('')), maxLength: 60 });
    // The reference: a Set of the hashes of each two-character slice, in order.
    const reference = (s: string) => {
      const expected = new Set<number>();
      for (let i = 1; i < s.length; i++) expected.add(gramKeys(s.slice(i - 1, i + 1))[0] as number);
      return [...expected];
    };
    fc.assert(
      fc.property(text, text, (s, t) => {
        // Called back to back: the scratch bitmap of the first call must not leak into the next.
        const first = Array.from(gramKeys(s));
        const second = Array.from(gramKeys(t));
        expect(first).toEqual(reference(s));
        expect(second).toEqual(reference(t));
      }),
      { numRuns: 1_000 },
    );
  });
});
