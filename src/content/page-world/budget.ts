// Sampling: a stack is the costly part of a record, so hot APIs report their first calls
// fully and then one call in `every`. Counters live in a null-prototype object (no page-
// defined setters on Object.prototype can intercept them).
const counts: { [key: string]: number } = { __proto__: null } as unknown as {
  [key: string]: number;
};
let keys = 0;
const MAX_KEYS = 2_000;

/** True when this call of `key` should be reported. */
export function allow(key: string, first = 16, every = 1_024): boolean {
  let n = counts[key];
  if (n === undefined) {
    if (keys >= MAX_KEYS) return false;
    keys++;
    n = 0;
  }
  counts[key] = n + 1;
  return n < first || n % every === 0;
}
