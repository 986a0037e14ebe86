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

// The glance's bitmap (leaks/glance.ts): the same idea over every text a request's tokens
// can come from at once, so it is wider (2,048 bits) and made of three-character windows
// rather than pairs: URLs are full of digits, and nearly every pair of digits occurs in a
// long one, so pairs would rule out few numeric ids. It folds ASCII case, since hex
// digests, addresses and page addresses are compared lower-cased.

const WIDE_WORDS = 64;

/**
 * Each character as the windows see it: ASCII upper case folded to lower case, and the
 * code unit cut to 10 bits so that three fit in one 30-bit window code. Two characters
 * that share a code (past U+03FF) share their windows too: that only lets a few more
 * values through, never rules one out wrongly, since text and values are coded alike.
 */
const CODE = new Uint16Array(1024);
for (let c = 0; c < 1024; c++) CODE[c] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
function code(text: string, i: number): number {
  return CODE[text.charCodeAt(i) & 0x3ff] as number;
}

/** A window's bit in the wide bitmap, 0 to 2,047: the top 11 bits of its Fibonacci hash. */
const WIDE_SHIFT = 21;

/**
 * An empty wide bitmap, for addFoldedGrams. The glance reuses a few (one request is looked
 * at at a time) instead of making three per request: see leaks/glance.ts.
 */
export function wideGrams(): Int32Array {
  return new Int32Array(WIDE_WORDS);
}

/** Adds the case-folded three-character windows of `text` to `bits` (made by wideGrams). */
export function addFoldedGrams(bits: Int32Array, text: string): void {
  addWindows(bits, text, WIDE_SHIFT);
}

/** A window code's bit: the top `32 - shift` bits of its Fibonacci hash, one multiply. */
function windowBit(w: number, shift: number): number {
  return Math.imul(w, 0x9e3779b1) >>> shift;
}

/** Sets the bit of each window of `text`. */
function addWindows(bits: Int32Array, text: string, shift: number): void {
  // The window rolls: each character shifts the oldest one out of the 30-bit code.
  let w = (code(text, 0) << 10) | code(text, 1);
  for (let i = 2; i < text.length; i++) {
    w = ((w << 10) | code(text, i)) & 0x3fffffff;
    const h = windowBit(w, shift);
    // A shift takes its count modulo 32: `1 << h` is the bit h & 31 of word h >>> 5.
    bits[h >>> 5] = (bits[h >>> 5] as number) | (1 << h);
  }
}

/** Windows kept per string: a text holding 8 given windows of it by chance is rare enough. */
const MAX_KEYS = 8;

/**
 * Hashes of up to 8 case-folded windows of `s`, spread from its start to its end (none
 * below 3 characters). Any subset of a string's windows is a valid test: a text missing
 * one of them cannot hold the string. Made for every variant of every value learned, so
 * a 64-character digest costs 8 hashes, not 62.
 */
export function foldedGramKeys(s: string): Uint16Array {
  return sampleWindows(s, new Uint16Array(windowsKept(s)), WIDE_SHIFT);
}

function windowsKept(s: string): number {
  return Math.min(Math.max(0, s.length - 2), MAX_KEYS);
}

/** Fills `keys` with the bits of `keys.length` windows of `s`, first and last included. */
function sampleWindows<K extends Uint16Array | Uint32Array>(s: string, keys: K, shift: number): K {
  const windows = s.length - 2;
  const n = keys.length;
  for (let k = 0; k < n; k++) {
    // The k-th of n window ends from 2 to s.length - 1, the first and the last included.
    const i = n === 1 ? 2 : 2 + Math.floor((k * (windows - 1)) / (n - 1));
    const w = (code(s, i - 2) << 20) | (code(s, i - 1) << 10) | code(s, i);
    keys[k] = windowBit(w, shift);
  }
  return keys;
}

/**
 * False when no text folded into `bits` can hold `s` (whose keys are `keys`), ignoring
 * ASCII case. A string under 3 characters has no windows and is never ruled out.
 */
export function mayContainFolded(bits: Int32Array, keys: Uint16Array): boolean {
  for (let i = 0; i < keys.length; i++) {
    const h = keys[i] as number;
    if (((bits[h >>> 5] as number) & (1 << (h & 31))) === 0) return false;
  }
  return true;
}

// Long haystacks (over MAX_GRAM_TEXT: a JSON beacon, a 64 KB form body) get no pair
// bitmap, since nearly every pair occurs in them, and each value searched for cost a
// full `includes` over them: with a site's few hundred cookie variants, 10 ms for one
// hostile 64 KB body. Three-character windows into 2^18 bits stay sparse there (64 K
// windows set about a fifth of the bits), so 8 windows of a value all set by chance is
// about one in 400,000.

/** A window's bit in a long text's bitmap: the top 18 bits of its Fibonacci hash. */
const LONG_BITS_SHIFT = 14;
const LONG_WORDS = (1 << 18) >>> 5;

/** The case-folded window bitmap of a long text (2^18 bits, made once per haystack). */
export function longGramsOf(text: string): Int32Array {
  const bits = new Int32Array(LONG_WORDS);
  addWindows(bits, text, LONG_BITS_SHIFT);
  return bits;
}

/** Up to 8 of `s`'s case-folded windows as bits of longGramsOf (none below 3 characters). */
export function longGramKeys(s: string): Uint32Array {
  return sampleWindows(s, new Uint32Array(windowsKept(s)), LONG_BITS_SHIFT);
}

/**
 * False when the long text of `bits` (longGramsOf) cannot hold the string of `keys`. The
 * loop of mayContainFolded over 32-bit keys: apart, each function sees one kind of typed
 * array, which keeps the glance's check (mayContainFolded, per variant per request) fast.
 */
export function mayContainLong(bits: Int32Array, keys: Uint32Array): boolean {
  for (let i = 0; i < keys.length; i++) {
    const h = keys[i] as number;
    if (((bits[h >>> 5] as number) & (1 << (h & 31))) === 0) return false;
  }
  return true;
}
