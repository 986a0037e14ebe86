// The one-pass classifier must answer exactly what the patterns it replaces answer: a flag
// it leaves unset skips work (decoding, structure, splitting), so a wrong "no" would lose
// tokens. Property tests over strings made of the characters that matter, plus edge cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BASE64,
  classify,
  COARSE,
  FINE,
  HEX,
  MIDDLE,
  PERCENT,
  STRUCTURE,
} from '../../../src/core/leaks/charclass.ts';

const PATTERNS: [number, RegExp][] = [
  [PERCENT, /%/],
  [BASE64, /^[A-Za-z0-9+/_-]+={0,2}$/],
  [HEX, /^[0-9a-fA-F]+$/],
  [STRUCTURE, /[{[=]|:\/\//],
  [COARSE, /[&|,;\s'"()[\]{}<>/\\]/],
  [MIDDLE, /[:=]/],
  [FINE, /[._~-]/],
];

/** The flags on which classify and the patterns disagree (none expected). */
function disagreements(s: string): number[] {
  const flags = classify(s);
  return PATTERNS.filter(([flag, re]) => ((flags & flag) !== 0) !== re.test(s)).map(([f]) => f);
}

function expectSameAsPatterns(s: string): void {
  expect({ s, flags: disagreements(s) }).toEqual({ s, flags: [] });
}

describe('classify', () => {
  const interesting = fc.constantFrom(
    ...'aZ09+/_-=%{[]}:/.~&|,;\'"()<>\\ \t\n\u00a0\u2028\u3000\ufeff\u00e9\u0130é@#?'.split(''),
  );
  it('agrees with every pattern on strings of the characters that matter', () => {
    fc.assert(
      fc.property(fc.array(interesting, { maxLength: 24 }), (chars) => {
        const s = chars.join('');
        if (disagreements(s).length > 0) expectSameAsPatterns(s);
      }),
      { numRuns: 3_000 },
    );
  }, 30_000);

  it('agrees with every pattern on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        if (disagreements(s).length > 0) expectSameAsPatterns(s);
      }),
      { numRuns: 500 },
    );
  }, 30_000);

  it('agrees with every pattern on every UTF-16 code unit, alone and inside text', () => {
    const wrong: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `a${ch}b`, `${ch}=`]) if (disagreements(s).length > 0) wrong.push(s);
    }
    expect(wrong).toEqual([]);
  }, 30_000);

  it.each([
    '',
    '=',
    'a=',
    'a==',
    'a===',
    'a=b',
    '==a',
    'abc:/',
    'abc://x',
    'http://x',
    ':',
    '://',
    'DEADbeef',
    'dead-beef',
    'AbC123xyz789',
    'x\u00a0y',
  ])('agrees on %j', (s) => expectSameAsPatterns(s));
});
