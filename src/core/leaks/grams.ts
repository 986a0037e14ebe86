// A pre-check for substring search: the set of adjacent character pairs (bigrams) of a text,
// hashed into 1,024 bits. A string can occur in a text only if every one of its pairs occurs
// there, so one missing bit proves a `text.includes(variant)` false without running it. A
// set bit proves nothing (hash collisions): the real search still decides. Used by
// VariantIndex's substring pass, where a request is searched for dozens of known values.

const WORDS = 32; // 32 × 32 bits = 1,024
/** Past this length nearly every bit is set and the filter would only cost time. */
export const MAX_GRAM_TEXT = 4_096;

/** Fibonacci hashing of the UTF-16 pair into 10 bits. */
function pairHash(a: number, b: number): number {
  return Math.imul((a << 16) | b, 0x9e3779b1) >>> 22;
}

/** The pair bitmap of `text`, or null when it is too long to be worth one. */
export function gramsOf(text: string): Uint32Array | null {
  if (text.length > MAX_GRAM_TEXT) return null;
  const bits = new Uint32Array(WORDS);
  let prev = text.charCodeAt(0);
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const h = pairHash(prev, c);
    bits[h >>> 5] = (bits[h >>> 5] as number) | (1 << (h & 31));
    prev = c;
  }
  return bits;
}

/** The distinct pair hashes of a string searched for (at least 2 characters long). */
export function gramKeys(s: string): Uint16Array {
  const keys = new Set<number>();
  for (let i = 1; i < s.length; i++) keys.add(pairHash(s.charCodeAt(i - 1), s.charCodeAt(i)));
  return Uint16Array.from(keys);
}

/** False when `text` (whose bitmap is `grams`) cannot contain the string of `keys`. */
export function mayContain(grams: Uint32Array | null, keys: Uint16Array): boolean {
  if (grams === null) return true;
  for (let i = 0; i < keys.length; i++) {
    const h = keys[i] as number;
    if (((grams[h >>> 5] as number) & (1 << (h & 31))) === 0) return false;
  }
  return true;
}
