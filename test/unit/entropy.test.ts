import { describe, expect, it } from 'vitest';
import {
  estimateMaxEntropy,
  isLowEntropyValue,
  looksLikeTimestamp,
} from '../../src/core/entropy.ts';

describe('estimateMaxEntropy', () => {
  // Sanity values from notes/detection-methods.md §0.3.
  it.each([
    ['1700000000', 33.2],
    ['1700000000123', 43.2],
    ['homepage', 37.6],
    ['abcdef12', 32.0],
    ['GA1.2.1234567890.1600000000', 139.6],
    ['true', 18.8],
  ])('%s → %d bits', (value, bits) => {
    expect(estimateMaxEntropy(value)).toBeCloseTo(bits, 1);
  });

  it.each([
    ['', 0],
    ['0101', 4], // binary: 1 bit per char
    ['ABCDEF12', 32], // single case is scored as lower case: hex
    ['aB3dE5gH', 8 * Math.log2(62)], // mixed case alphanumeric
    ['aB3+/=xY', 8 * Math.log2(64)], // base64
    ['x'.repeat(300), 300], // long values: 1 bit per char
  ])('%s → %d bits', (value, bits) => {
    expect(estimateMaxEntropy(value)).toBeCloseTo(bits, 5);
  });

  it('uses the code point span outside every class', () => {
    // '"' (34) .. '}' (125): span 92
    expect(estimateMaxEntropy('{"a":1}')).toBeCloseTo(7 * Math.log2(92), 5);
  });
});

describe('looksLikeTimestamp', () => {
  const now = Date.parse('2024-03-01T00:00:00Z');
  it.each([
    ['1709251200', true], // seconds, same day
    ['1709251200000', true], // millis
    ['2024-03-01', true],
    ['2024-03-01T10:20:30Z', true],
    ['1234567890', false], // 2009: too far from now to be "the current time"
    ['170925120', false],
    ['abc', false],
  ])('%s → %s', (v, expected) => {
    expect(looksLikeTimestamp(v, now)).toBe(expected);
  });
});

describe('isLowEntropyValue', () => {
  it.each(['true', 'FALSE', 'yes', 'en', '7', '', 'opt-out'])('%s is low entropy', (v) => {
    expect(isLowEntropyValue(v)).toBe(true);
  });
  it.each(['3f9a1c', 'homepage', 'en-US'])('%s is not on the list', (v) => {
    expect(isLowEntropyValue(v)).toBe(false);
  });
});
