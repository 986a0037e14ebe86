// isIdentifierLike and estimateMaxEntropy run for every piece of every cookie value a page
// reveals; their table-driven forms (common.ts, entropy.ts) are held here to the plain
// definitions they replaced, on id-like, word-like and non-ASCII input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  estimateMaxEntropy,
  isLowEntropyValue,
  looksLikeTimestamp,
} from '../../../src/core/entropy.ts';
import {
  COMMON_WORDS,
  identifierCandidates,
  isIdentifierLike,
  MIN_ID_BITS,
  MIN_ID_LENGTH,
  type IdContext,
} from '../../../src/core/leaks/common.ts';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const CLASSES: [string, number][] = [
  ['01', 2],
  [DIGITS, 10],
  [`${DIGITS}abcdef`, 16],
  [LOWER, 26],
  [`${DIGITS}${LOWER}`, 36],
  [`${DIGITS}${LOWER}${LOWER.toUpperCase()}`, 62],
  [`${DIGITS}${LOWER}${LOWER.toUpperCase()}+/=`, 64],
  [`${DIGITS}${LOWER}${LOWER.toUpperCase()}~!*()'`, 68],
];

/** The definition: the smallest class (separators allowed) holding every character. */
function referenceEntropy(value: string): number {
  if (!value) return 0;
  if (value.length > 256) return value.length;
  const v =
    value === value.toUpperCase() || value === value.toLowerCase() ? value.toLowerCase() : value;
  for (const [chars, size] of CLASSES) {
    if ([...v].every((c) => chars.includes(c) || '._-'.includes(c))) {
      return Math.log2(size) * v.length;
    }
  }
  const cps = [...v].map((c) => c.codePointAt(0) ?? 0);
  return Math.log2(Math.max(2, Math.max(...cps) - Math.min(...cps) + 1)) * cps.length;
}

const idChars = fc.constantFrom(...`${DIGITS}${LOWER}ABCDEFXYZ._~+/=:|-`.split(''));
const idLike = fc.string({ unit: idChars, minLength: 1, maxLength: 40 });
const anyText = fc.string({ unit: 'grapheme', maxLength: 40 });
const withWords = fc
  .tuple(idLike, fc.constantFrom(...COMMON_WORDS), idLike, fc.constantFrom(...COMMON_WORDS))
  .map(([a, w, b, w2]) => `${a}${w}${b}${w2.toUpperCase()}`);

describe('estimateMaxEntropy', () => {
  it('gives the smallest-class bound of its definition', () => {
    fc.assert(
      fc.property(fc.oneof(idLike, anyText, withWords), (v) => {
        expect(estimateMaxEntropy(v)).toBeCloseTo(referenceEntropy(v), 9);
      }),
      { numRuns: 3_000 },
    );
  });
});

/** isIdentifierLike as first written (array of flags, spread and filter), for comparison. */
function reference(value: string, ctx: IdContext): boolean {
  if (value.length < MIN_ID_LENGTH || value.length > 256) return false;
  if (!/^[A-Za-z0-9._~+/=:|-]+$/.test(value) || value.includes('://')) return false;
  if (isLowEntropyValue(value) || looksLikeTimestamp(value, ctx.now)) return false;
  const pieces = value.split(/[._~:-]+/);
  const letters = pieces.join('');
  if (/^[a-z]+$/.test(letters) || /^[A-Z]+$/.test(letters)) return false;
  if (pieces.every((p) => /^[A-Z]?[a-z]*$/.test(p))) return false;
  if (pieces.length > 2 && pieces.every((p) => p.length < 6)) return false;
  if (ctx.pageUrl.includes(value)) return false;
  if (ctx.userAgent?.includes(value)) return false;
  const lower = value.toLowerCase();
  const keep = new Array<boolean>(value.length).fill(true);
  for (const w of COMMON_WORDS) {
    const i = lower.indexOf(w);
    if (i !== -1) keep.fill(false, i, i + w.length);
  }
  const rest = [...value].filter((_, i) => keep[i]).join('');
  if (rest.length < MIN_ID_LENGTH) return false;
  return referenceEntropy(rest) > MIN_ID_BITS;
}

describe('isIdentifierLike', () => {
  it('answers what its first definition answers', () => {
    const ctx: IdContext = { pageUrl: 'https://example.test/home', now: 1_736_100_000_000 };
    fc.assert(
      fc.property(fc.oneof(idLike, withWords, anyText), (v) => {
        expect(isIdentifierLike(v, ctx)).toBe(reference(v, ctx));
      }),
      { numRuns: 5_000 },
    );
  });

  it('keeps ids with a common word inside when the rest still carries enough bits', () => {
    const ctx = { pageUrl: 'https://example.test/', now: 0 };
    expect(isIdentifierLike('session9fK2xQ7LmZ3p', ctx)).toBe(true);
    expect(isIdentifierLike('sessionAbC', ctx)).toBe(false);
    expect(isIdentifierLike('truepageview', ctx)).toBe(false);
  });

  it('judges a repeated piece once without changing the candidates', () => {
    const ctx = { pageUrl: 'https://example.test/', now: 0 };
    expect(identifierCandidates('GA1.1.1234567891.1736100000', ctx)).toEqual(
      identifierCandidates('GA1.1.1234567891.1736100000', ctx),
    );
    // A value without separators is its own piece and its own fine piece: listed once.
    expect(identifierCandidates('k9fK2xQ7LmZ3pW', ctx)).toEqual(['k9fK2xQ7LmZ3pW']);
  });
});
