// Small, total (never-throwing) encoders and decoders shared by the extractor and the
// variant builder. Core code runs in a service worker and in Node, so no Buffer: only
// atob/btoa and TextEncoder/TextDecoder, which both environments have.

const utf8 = new TextEncoder();

/** Two lower-case hex digits per byte value: a digest is learned per new id, often. */
const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Bytes to lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i] as number] as string;
  return out;
}

/** Standard base64 (with padding) of bytes: the platform's btoa of their binary string. */
export function bytesToBase64(bytes: Uint8Array): string {
  return btoa(bytesToBinary(bytes));
}

// A plain loop: spreading a subarray into String.fromCharCode goes through the array
// iterator and cost 0.9 us per 32-byte digest against 0.37 us this way, and every id
// learned gets two or three digests (variants.ts). No argument limit to chunk around either.
function bytesToBinary(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}

/** Standard base64 (with padding) of the UTF-8 bytes of `text`. */
export function base64Encode(text: string): string {
  // ASCII text is its own UTF-8 binary string: no encoder, no byte array (cookie values).
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  return btoa(ascii ? text : bytesToBinary(utf8.encode(text)));
}

/** Turns standard base64 into the URL-safe alphabet without padding. */
export function toBase64Url(b64: string): string {
  let end = b64.length;
  while (end > 0 && b64.charCodeAt(end - 1) === 0x3d) end--; // '='
  // One pass instead of three regex replaces: this runs for every variant of every new id.
  let out = '';
  let from = 0;
  for (let i = 0; i < end; i++) {
    const c = b64.charCodeAt(i);
    if (c !== 0x2b && c !== 0x2f) continue; // '+', '/'
    out += b64.slice(from, i) + (c === 0x2b ? '-' : '_');
    from = i + 1;
  }
  return from === 0 && end === b64.length ? b64 : out + b64.slice(from, end);
}

const BASE64_SHAPE = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Decodes standard or URL-safe base64 (padding optional) into UTF-8 text. Returns null
 * when the input is not base64 or the bytes are not mostly printable text: a decoded
 * identifier or JSON document is interesting, random binary is not.
 *
 * Hot path (every id-looking token is tried): most candidates are random ids that decode
 * to binary, so the verdict is reached on the raw bytes where possible, without a
 * TextDecoder call or a thrown decoding error. Same answers as strict decoding:
 * - control bytes are one character each in UTF-8 and the text has at most as many
 *   characters as bytes, so more than 5% control bytes means more than 5% bad characters;
 * - all-ASCII bytes decode to themselves;
 * - otherwise the bytes are validated first, so the lenient decoder sees only valid UTF-8.
 */
export function base64DecodeText(value: string): string | null {
  // The request glance (glance.ts) decodes a value just before the token sink decodes the
  // same one when the request needs its tokens: the last answer is kept for that.
  if (value === lastIn) return lastOut;
  const out = decodeText(value);
  lastIn = value;
  lastOut = out;
  return out;
}
let lastIn: string | null = null;
let lastOut: string | null = null;

function decodeText(value: string): string | null {
  if (value.length < 8 || !BASE64_SHAPE.test(value)) return null;
  if (surelyNotText(value)) return null;
  let b64 = value.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (b64.length % 4 === 1) return null;
  while (b64.length % 4 !== 0) b64 += '=';
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return null;
  }
  let control = 0;
  let high = false;
  for (let i = 0; i < binary.length; i++) {
    const c = binary.charCodeAt(i);
    if (c >= 0x80) high = true;
    else if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) control++;
  }
  if (binary.length === 0 || control > binary.length * 0.05) return null;
  if (!high) return isMostlyPrintable(binary) ? binary : null;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (!isValidUtf8(bytes)) return null;
  const text = lenientUtf8.decode(bytes);
  return isMostlyPrintable(text) ? text : null;
}

const lenientUtf8 = new TextDecoder('utf-8');

/** 6-bit value of each base64 character, both alphabets; -1 elsewhere. */
const SEXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  SEXTET['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
}
SEXTET[0x2d] = 62; // '-'
SEXTET[0x5f] = 63; // '_'

/**
 * Pre-check for base64DecodeText, on a value of base64 shape: decodes bit by bit without
 * building a string and returns true as soon as the answer is certainly null — more than
 * 5% control bytes (the count only grows) or a byte sequence that is not UTF-8 (which
 * needs a byte >= 0x80, so the strict path would reject it too). Random ids, most of what
 * is tried, fail within a few bytes. False means "decode it properly", not "it is text".
 */
function surelyNotText(value: string): boolean {
  let n = value.length;
  while (n > 0 && value.charCodeAt(n - 1) === 0x3d) n--; // '='
  if (n % 4 === 1) return false; // the strict path says null on its own
  const total = Math.floor((n * 3) / 4);
  const maxControl = total * 0.05;
  let control = 0;
  let acc = 0;
  let bits = 0;
  let need = 0; // continuation bytes still expected
  let lo = 0x80;
  let hi = 0xbf;
  for (let i = 0; i < n; i++) {
    const code = value.charCodeAt(i);
    const six = code < 128 ? (SEXTET[code] as number) : -1;
    if (six < 0) return false; // not ours to judge
    acc = ((acc << 6) | six) & 0xffff;
    bits += 6;
    if (bits < 8) continue;
    bits -= 8;
    const c = (acc >>> bits) & 0xff;
    if (need > 0) {
      if (c < lo || c > hi) return true;
      lo = 0x80;
      hi = 0xbf;
      need--;
      continue;
    }
    if (c < 0x80) {
      if (
        ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) &&
        ++control > maxControl
      )
        return true;
    } else if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return true;
  }
  return need > 0;
}

/** UTF-8 well-formedness as the WHATWG decoder checks it (no overlongs, no surrogates). */
function isValidUtf8(b: Uint8Array): boolean {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return false;
    if (i + need >= b.length) return false;
    const first = b[i + 1];
    if (first === undefined || first < lo || first > hi) return false;
    for (let k = 2; k <= need; k++) {
      const n = b[i + k];
      if (n === undefined || n < 0x80 || n > 0xbf) return false;
    }
    i += need + 1;
  }
  return true;
}

/** True when at least 95% of the characters are printable (no control bytes). */
export function isMostlyPrintable(text: string): boolean {
  if (text.length === 0) return false;
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f || c === 0xfffd) bad++;
  }
  return bad / text.length <= 0.05;
}

const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;

/** True when the value carries percent escapes worth decoding. */
export function looksUrlEncoded(value: string): boolean {
  // Most values have no '%' at all: a plain scan is cheaper than starting the regex.
  return value.includes('%') && PERCENT_ESCAPE.test(value);
}

/** decodeURIComponent that treats '+' as space and never throws (bad escapes stay as-is). */
export function safeUrlDecode(value: string): string {
  // Nothing to decode: decodeURIComponent would hand back the same text.
  if (!value.includes('%') && !value.includes('+')) return value;
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A stray '%' breaks decodeURIComponent; decode the valid escapes one by one.
    return spaced.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * Looks like base64 worth decoding: long enough that a decoded identifier could matter,
 * one base64 alphabet only, and not plain hex or digits (those decode to garbage).
 */
export function looksBase64(value: string): boolean {
  if (value.length < 12 || value.length > 8192) return false;
  if (!BASE64_SHAPE.test(value)) return false;
  if (/^[0-9a-fA-F]+$/.test(value)) return false;
  return true;
}
