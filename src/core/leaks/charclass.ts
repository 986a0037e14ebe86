// One pass over a value that answers every "does it contain / is it made of" question the
// token sink asks, instead of five regular expressions per value (percent escapes, base64
// shape, hex, structure, delimiters). Each flag means exactly what the pattern named next
// to it answers; test/unit/leaks/charclass.test.ts holds them to those patterns.

/** Has a '%' (looksUrlEncoded still checks for a real `%XX`). */
export const PERCENT = 1;
/** /^[A-Za-z0-9+/_-]+={0,2}$/: the base64 shape of codec.ts. */
export const BASE64 = 2;
/** /^[0-9a-fA-F]+$/ */
export const HEX = 4;
/** /[{[=]|:\/\// (tokens.ts MAYBE_STRUCTURED). */
export const STRUCTURE = 8;
/** COARSE_CHAR below. */
export const COARSE = 16;
/** MIDDLE_CHAR below. */
export const MIDDLE = 32;
/** FINE_CHAR below. */
export const FINE = 64;

/**
 * The characters the token sink's split cuts at, level by level (tokens.ts TokenSink.split):
 * the one definition that the split, these flags and the request glance all read.
 */
export const COARSE_CHAR = /[&|,;\s'"()[\]{}<>/\\]/;
export const MIDDLE_CHAR = /[:=]/;
export const FINE_CHAR = /[._~-]/;

const C_B64 = 1;
const C_HEX = 2;
const C_STRUCT = 4;
const C_COARSE = 8;
const C_MIDDLE = 16;
const C_FINE = 32;

const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  let k = 0;
  if (/[A-Za-z0-9+/_-]/.test(ch)) k |= C_B64;
  if (/[0-9a-fA-F]/.test(ch)) k |= C_HEX;
  if (/[{[=]/.test(ch)) k |= C_STRUCT;
  if (COARSE_CHAR.test(ch)) k |= C_COARSE;
  if (MIDDLE_CHAR.test(ch)) k |= C_MIDDLE;
  if (FINE_CHAR.test(ch)) k |= C_FINE;
  CLASS[c] = k;
}

/** White space beyond ASCII that `\s` matches (so COARSE splits on it). */
function isUnicodeSpace(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** How many characters of `value` the split cuts at, at any level (COARSE, MIDDLE, FINE). */
export function countDelimiters(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 ? isUnicodeSpace(c) : (CLASS[c] as number) & (C_COARSE | C_MIDDLE | C_FINE)) n++;
  }
  return n;
}

/** The flags above for `value`, in one pass. */
export function classify(value: string): number {
  const n = value.length;
  let flags = 0;
  let b64 = n > 0; // still possibly of base64 shape
  let hex = n > 0;
  let pad = 0; // '=' seen at the end so far
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128) {
      b64 = false;
      hex = false;
      if (isUnicodeSpace(c)) flags |= COARSE;
      continue;
    }
    const k = CLASS[c] as number;
    if (c === 0x25) flags |= PERCENT;
    if (k & C_STRUCT) flags |= STRUCTURE;
    else if (c === 0x3a && value.charCodeAt(i + 1) === 0x2f && value.charCodeAt(i + 2) === 0x2f)
      flags |= STRUCTURE;
    if (k & C_COARSE) flags |= COARSE;
    if (k & C_MIDDLE) flags |= MIDDLE;
    if (k & C_FINE) flags |= FINE;
    if (!(k & C_HEX)) hex = false;
    if (b64) {
      if (c === 0x3d) {
        // Padding: only after at least one symbol, at most two, and nothing after it.
        if (i === 0 || ++pad > 2) b64 = false;
      } else if (pad > 0 || !(k & C_B64)) b64 = false;
    }
  }
  if (b64) flags |= BASE64;
  if (hex) flags |= HEX;
  return flags;
}
