import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { buildVariants, phoneForms, typedPrefixes } from '../../../src/core/leaks/variants.ts';
import { SecretRegistry } from '../../../src/core/leaks/secrets.ts';
import { maskEmail, maskHash, maskId, maskPhone } from '../../../src/core/leaks/mask.ts';
import { findEmails, mayHoldEmail } from '../../../src/core/leaks/email.ts';
import { extractUrl } from '../../../src/core/leaks/extract.ts';
import { toHex } from '../../../src/core/leaks/codec.ts';

const hex = (f: (b: Uint8Array) => Uint8Array, s: string) => toHex(f(new TextEncoder().encode(s)));

describe('variants', () => {
  it('precomputes plain, url, base64 and hash forms', () => {
    const v = buildVariants([{ value: 'jane.doe+x@example.com', form: 'normalized' }], {
      hashes: true,
    });
    expect(v.get('jane.doe+x@example.com')?.encoding).toBe('plain');
    expect(v.get('jane.doe%2Bx%40example.com')?.encoding).toBe('url');
    expect(v.get(btoa('jane.doe+x@example.com'))?.encoding).toBe('base64');
    expect(v.get(hex(sha256, 'jane.doe+x@example.com'))?.encoding).toBe('sha256');
    expect(v.get(hex(md5, 'jane.doe+x@example.com'))?.encoding).toBe('md5');
  });

  it('phones: digits with and without country code, E.164', () => {
    expect(phoneForms('+1 (415) 555-0134')).toEqual(
      expect.arrayContaining(['14155550134', '+14155550134', '4155550134']),
    );
    expect(phoneForms('12')).toEqual([]);
  });

  it('typing prefixes drop the last one and two characters', () => {
    expect(typedPrefixes('jane@example.com')).toEqual(['jane@example.co', 'jane@example.c']);
  });
});

describe('secret registry', () => {
  it('matches a canary in upper-case sha256 and as a typing prefix', () => {
    const r = new SecretRegistry();
    r.register('email', ' Jane@Example.com ', 'global');
    r.register('email', 'typed.person@example.org', { pageId: 'p1' }, { typed: true });
    const upper = hex(sha256, 'jane@example.com').toUpperCase();
    const x = extractUrl(`https://t.example/?h=${upper}&k=typed.person%40example.or`);
    const matches = r.indexesFor('p1').flatMap((i) => i.match(x));
    expect(matches.find((m) => m.key === 'h')?.encoding).toBe('sha256');
    const typing = matches.find((m) => m.key === 'k');
    expect(typing?.info.prefix).toBe(true);
    expect(
      r
        .indexesFor('p2')
        .flatMap((i) => i.match(x))
        .some((m) => m.key === 'k'),
    ).toBe(false);
    r.clearPage('p1');
    expect(r.indexesFor('p1')).toHaveLength(1);
  });

  it('refuses values too short to match safely', () => {
    expect(new SecretRegistry().register('email', 'a@b', 'global')).toBeNull();
  });
});

describe('masking', () => {
  it('never shows the value', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@e***.com');
    expect(maskPhone('+1 415 555 0134')).toBe('+1 ***-***-**34');
    expect(maskHash('4f3a9c0d1e2f3a4b5c6d7e8f9a0b1c2')).toBe('4f3a…c2');
    expect(maskId('007f0101480b55e20bb8000c')).toBe('007f…0c');
  });
});

describe('email pattern', () => {
  it('finds addresses, skips file names, survives a flood of @ signs', () => {
    expect(findEmails('x=1&e=jane%40x.com&m=bob@mail.example.org')).toEqual([
      'bob@mail.example.org',
    ]);
    expect(findEmails('logo@2x.png and a@b')).toEqual([]);
    expect(findEmails('a'.repeat(100_000) + '@'.repeat(10_000))).toEqual([]);
  });

  it('rules a text out only when no piece of it holds an address', () => {
    // The request glance asks this of whole URLs and headers, and pii-leak then skips the
    // tokens, each a piece of one of them: a piece with an address must never be missed.
    const alphabet = fc.constantFrom(...'aZ09.-_+%@&=/:;, '.split(''), 'x.io', '@Org', '%40');
    const text = fc.array(alphabet, { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (t, i, n) => {
        if (mayHoldEmail(t)) return;
        const start = t.length === 0 ? 0 : i % t.length;
        expect(findEmails(t.slice(start, start + 1 + (n % 40)))).toEqual([]);
        expect(findEmails(t)).toEqual([]);
      }),
      { numRuns: 5_000 },
    );
    expect(mayHoldEmail('mid=1@AdobeOrg&v=2')).toBe(false);
    expect(mayHoldEmail('e=jane%40x.com&m=bob@mail.example.org')).toBe(true);
    expect(mayHoldEmail('a'.repeat(100_000) + '@'.repeat(10_000))).toBe(false);
  });
});
