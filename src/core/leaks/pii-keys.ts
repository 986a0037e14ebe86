// Parameters in which ad pixels send hashed personal data ("advanced matching", "enhanced
// conversions"). Sources: notes/detection-methods.md §7 table (Omnibug providers, Blacklight
// statics) and the vendors' public pixel documentation named there. A hex digest in one of
// these is a hashed email or phone even when we do not know the address.
import type { DataType } from '../model.ts';
import { keyShapes } from './key-shapes.ts';

const KEYS: Record<string, DataType> = {
  // Meta Pixel advanced matching (query and form body), newer `udff[...]` spelling too.
  'ud[em]': 'email',
  'ud[ph]': 'phone',
  'ud[fn]': 'name',
  'ud[ln]': 'name',
  'udff[em]': 'email',
  'udff[ph]': 'phone',
  'udff[fn]': 'name',
  'udff[ln]': 'name',
  // Google Ads / gtag enhanced conversions.
  em: 'email',
  sha256_email_address: 'email',
  sha256_phone_number: 'phone',
  // TikTok Pixel (JSON body).
  'context.user.email': 'email',
  'context.user.phone_number': 'phone',
  'properties.email': 'email',
  // Snap Pixel.
  u_hem: 'email',
  u_hpn: 'phone',
  // Pinterest Tag.
  'pd[em]': 'email',
  'pd[ph]': 'phone',
  // Common generic spellings.
  hashed_email: 'email',
  email_sha256: 'email',
  email_hash: 'email',
  hem: 'email',
  sha256_email: 'email',
  hashed_phone: 'phone',
};

/** The data type a hashed-PII parameter carries, or null when `key` is not one. */
export function hashedPiiKey(key: string): DataType | null {
  // A Map, not an index into KEYS: asked once per token, and `constructor` or `__proto__`
  // must not find Object.prototype's members. Every key is short, so longer ones stop here.
  // Most names are ruled out by their shape before a lower-cased copy and a lookup.
  if (key.length <= MAX_KEY_LENGTH && SHAPES.mayBe(key)) {
    const whole = KEY_MAP.get(key.toLowerCase());
    if (whole) return whole;
  }
  // JSON bodies nest the same names (OpenRTB-style `{"user":{"hem":…}}` is the key
  // `user.hem`): the last path segment counts too.
  const dot = key.lastIndexOf('.');
  if (dot < 0 || key.length - dot - 1 > MAX_KEY_LENGTH) return null;
  const segment = key.slice(dot + 1);
  return SHAPES.mayBe(segment) ? (KEY_MAP.get(segment.toLowerCase()) ?? null) : null;
}

const KEY_MAP = new Map<string, DataType>(Object.entries(KEYS));
const MAX_KEY_LENGTH = Math.max(...Object.keys(KEYS).map((k) => k.length));
const SHAPES = keyShapes(Object.keys(KEYS));

const HASH_BY_LENGTH: Record<number, 'md5' | 'sha1' | 'sha256' | 'sha512'> = {
  32: 'md5',
  40: 'sha1',
  64: 'sha256',
  128: 'sha512',
};

/** Digests of the empty string: sent when a form field is blank, never anyone's data. */
const EMPTY_DIGESTS = new Set([
  'd41d8cd98f00b204e9800998ecf8427e',
  'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
]);

/** The hash a hex value looks like (by length), or null. */
export function hexDigestKind(value: string): 'md5' | 'sha1' | 'sha256' | 'sha512' | null {
  if (!/^[0-9a-fA-F]+$/.test(value)) return null;
  const kind = HASH_BY_LENGTH[value.length];
  if (!kind || EMPTY_DIGESTS.has(value.toLowerCase())) return null;
  return kind;
}
