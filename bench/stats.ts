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
