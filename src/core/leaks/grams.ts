// A pre-check for substring search: the set of adjacent character pairs (bigrams) of a text,
// hashed into 1,024 bits. A string can occur in a text only if every one of its pairs occurs
// there, so one missing bit proves a `text.includes(variant)` false without running it. A
// set bit proves nothing (hash collisions): the real search still decides. Used by
// VariantIndex's substring pass, where a request is searched for dozens of known values.

const WORDS = 64; // 64 × 16 bits = 1,024
/** Past this length nearly every bit is set and the filter would only cost time. */
export const MAX_GRAM_TEXT = 4_096;

/** Fibonacci hashing of the UTF-16 pair into 10 bits. */
function pairHash(a: number, b: number): number {
  return Math.imul((a << 16) | b, 0x9e3779b1) >>> 22;
}

/**
 * The pair bitmap of `text`, or null when it is too long to be worth one. A plain array of
 * 16-bit words (small integers): it is made for every haystack of every request, and V8
 * gives a typed array over 64 bytes its own off-heap buffer, several times slower to make.
 */
export function gramsOf(text: string): number[] | null {
  if (text.length > MAX_GRAM_TEXT) return null;
  const bits = new Array<number>(WORDS).fill(0);
  let prev = text.charCodeAt(0);
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const h = pairHash(prev, c);
    bits[h >>> 4] = (bits[h >>> 4] as number) | (1 << (h & 15));
    prev = c;
  }
  return bits;
}

/** The distinct pair hashes of a string searched for (at least 2 characters long). */
export function gramKeys(s: string): Uint16Array {
  // Distinct hashes in first-seen order, deduplicated with a scratch bitmap (cleared again
  // below) rather than a Set: this runs for every readable variant of every learned id.
  const keys = new Uint16Array(Math.max(0, s.length - 1));
  let n = 0;
  for (let i = 1; i < s.length; i++) {
    const h = pairHash(s.charCodeAt(i - 1), s.charCodeAt(i));
    const bit = 1 << (h & 31);
    const w = SCRATCH[h >>> 5] as number;
    if (w & bit) continue;
    SCRATCH[h >>> 5] = w | bit;
    keys[n++] = h;
  }
  for (let i = 0; i < n; i++) SCRATCH[(keys[i] as number) >>> 5] = 0;
  return n === keys.length ? keys : keys.slice(0, n);
}
const SCRATCH = new Uint32Array(32);

/** False when `text` (whose bitmap is `grams`) cannot contain the string of `keys`. */
export function mayContain(grams: readonly number[] | null, keys: Uint16Array): boolean {
  if (grams === null) return true;
  for (let i = 0; i < keys.length; i++) {
    const h = keys[i] as number;
    if (((grams[h >>> 4] as number) & (1 << (h & 15))) === 0) return false;
  }
  return true;
}
