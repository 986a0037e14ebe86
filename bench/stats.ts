// Order statistics over timing samples. Medians and p99 (nearest rank), never means: one GC
// pause should move p99, not the typical cost.

/** The q-quantile (0..1) of `samples` by nearest rank; NaN when empty. Sorts a copy. */
export function quantile(samples: ArrayLike<number>, q: number): number {
  const n = samples.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const median = (s: ArrayLike<number>): number => quantile(s, 0.5);
export const p99 = (s: ArrayLike<number>): number => quantile(s, 0.99);

/** A growable Float64Array: millions of samples without boxing numbers. */
export class Samples {
  private buf: Float64Array;
  private n = 0;
  constructor(capacity = 1024) {
    this.buf = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = v;
  }
  get length(): number {
    return this.n;
  }
  values(): Float64Array {
    return this.buf.subarray(0, this.n);
  }
}

/**
 * A 95% interval for median(a) / median(b) by the percentile bootstrap: both sides resampled
 * with replacement `rounds` times. Seeded, so one run's samples always give the same interval.
 * With 15 page loads a side the interval is what tells a budget's 3% from the machine's noise.
 */
export function ratioInterval(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rounds = 2000,
  seed = 0x5eed,
): [low: number, high: number] {
  if (a.length === 0 || b.length === 0) return [Number.NaN, Number.NaN];
  const random = seededRandom(seed);
  const ra = new Float64Array(a.length);
  const rb = new Float64Array(b.length);
  const ratios = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < ra.length; i++) ra[i] = a[Math.floor(random() * a.length)] as number;
    for (let i = 0; i < rb.length; i++) rb[i] = b[Math.floor(random() * b.length)] as number;
    ratios[r] = median(ra) / median(rb);
  }
  return [quantile(ratios, 0.025), quantile(ratios, 0.975)];
}

/** A small seeded generator (mulberry32, uniform in [0, 1)): the same numbers every run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
