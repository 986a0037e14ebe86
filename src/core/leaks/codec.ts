// Small, total (never-throwing) encoders and decoders shared by the extractor and the
// variant builder. Core code runs in a service worker and in Node, so no Buffer: only
// atob/btoa and TextEncoder/TextDecoder, which both environments have.

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes to lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

function bytesToBinary(bytes: Uint8Array): string {
  let s = '';
  // Chunked so a long value cannot blow the argument limit of String.fromCharCode.
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return s;
}

/** Standard base64 (with padding) of the UTF-8 bytes of `text`. */
export function base64Encode(text: string): string {
  return btoa(bytesToBinary(utf8.encode(text)));
}

/** Turns standard base64 into the URL-safe alphabet without padding. */
export function toBase64Url(b64: string): string {
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const BASE64_SHAPE = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Decodes standard or URL-safe base64 (padding optional) into UTF-8 text. Returns null
 * when the input is not base64 or the bytes are not mostly printable text: a decoded
 * identifier or JSON document is interesting, random binary is not.
 */
export function base64DecodeText(value: string): string | null {
  if (value.length < 8 || !BASE64_SHAPE.test(value)) return null;
  let b64 = value.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (b64.length % 4 === 1) return null;
  while (b64.length % 4 !== 0) b64 += '=';
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return null;
  }
  return isMostlyPrintable(text) ? text : null;
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
  return PERCENT_ESCAPE.test(value);
}

/** decodeURIComponent that treats '+' as space and never throws (bad escapes stay as-is). */
export function safeUrlDecode(value: string): string {
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
