// The bench's interval for a ratio of medians (bench/stats.ts): the page-load rows print it
// beside the ratio, so it must be right about what it claims.
import { describe, expect, it } from 'vitest';
import { median, ratioInterval } from '../../bench/stats.ts';

/** Loads around `center` ms with a spread of ±`spread` ms (deterministic). */
function loads(center: number, spread: number, n = 15): number[] {
  return Array.from({ length: n }, (_, i) => center + spread * Math.sin(i * 2.399));
}

describe('ratioInterval', () => {
  it('holds the ratio of the medians, and is the same for the same samples', () => {
    const a = loads(210, 30);
    const b = loads(200, 30);
    const [low, high] = ratioInterval(a, b);
    const r = median(a) / median(b);
    expect(low).toBeLessThanOrEqual(r);
    expect(high).toBeGreaterThanOrEqual(r);
    expect(ratioInterval(a, b)).toEqual([low, high]);
  });

  it('is a point when every load took as long, and wider the noisier the loads', () => {
    expect(ratioInterval(loads(200, 0), loads(100, 0))).toEqual([2, 2]);
    const [qLow, qHigh] = ratioInterval(loads(200, 5), loads(200, 5));
    const [nLow, nHigh] = ratioInterval(loads(200, 60), loads(200, 60));
    expect(nHigh - nLow).toBeGreaterThan(qHigh - qLow);
    // Equal machines: 1 inside, and a 3% budget inside the noisy interval.
    expect(nLow).toBeLessThan(1);
    expect(nHigh).toBeGreaterThan(1.03);
  });

  it('narrows with more loads', () => {
    const [l15, h15] = ratioInterval(loads(200, 40, 15), loads(200, 40, 15));
    const [l60, h60] = ratioInterval(loads(200, 40, 60), loads(200, 40, 60));
    expect(h60 - l60).toBeLessThan(h15 - l15);
  });

  it('has nothing to say without samples', () => {
    expect(ratioInterval([], [1])).toEqual([Number.NaN, Number.NaN]);
  });
});
