// Precomputed forms of a secret (an email, a phone number, a cookie value, a canary), so
// that matching a request is a Map lookup per token plus a bounded substring check, never
// hashing per request (detection-methods.md §0.6, §4.1, §4.4).
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import type { Encoding } from '../model.ts';
import { base64Encode, bytesToBase64, toBase64Url, toHex } from './codec.ts';

const utf8 = new TextEncoder();

export interface VariantInfo {
  encoding: Encoding;
  /** Which seed form produced it: 'normalized', 'raw', 'digits', 'prefix', ... */
  form: string;
  /** True when the seed was a value still being typed (minus its last characters). */
  prefix: boolean;
}

export interface Seed {
  value: string;
  form: string;
  prefix?: boolean;
}

export interface VariantOptions {
  /** Add md5/sha1/sha256/sha512 forms (emails, phones, canaries, cookie ids). */
  hashes: boolean;
  /** Which hashes; all four by default. */
  hashSet?: readonly HashName[];
}

export type HashName = 'md5' | 'sha1' | 'sha256' | 'sha512';
const HASHERS: Record<HashName, (b: Uint8Array) => Uint8Array> = {
  md5: (b) => md5(b),
  sha1: (b) => sha1(b),
  sha256: (b) => sha256(b),
  sha512: (b) => sha512(b),
};
const ALL_HASHES: readonly HashName[] = ['md5', 'sha1', 'sha256', 'sha512'];

/** Trimmed and lower-cased, as ad platforms normalize before hashing. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Phone seeds: all digits (with country code when given), the national number without it
 * (for a leading +CC or an 11+ digit number), and the E.164 form with '+'. Meta hashes the
 * digits with country code; Google hashes E.164; sites often send the national number.
 */
export function phoneForms(phone: string): string[] {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 6) return [];
  const out = new Set<string>([digits, `+${digits}`]);
  if (digits.length > 10) out.add(digits.slice(digits.length - 10));
  if (digits.startsWith('0') && digits.length >= 9) out.add(digits.slice(1));
  return [...out];
}

/**
 * Every form of every seed: plain, url-encoded (%XX and '+'), base64 (standard and
 * url-safe, with and without padding), and, when asked, hex digests (lower case; matching
 * lower-cases hex tokens, so upper-case digests match too) and base64 digests.
 */
export function buildVariants(
  seeds: readonly Seed[],
  opts: VariantOptions,
): Map<string, VariantInfo> {
  const out = new Map<string, VariantInfo>();
  const add = (v: string, info: VariantInfo) => {
    if (v.length > 0 && !out.has(v)) out.set(v, info);
  };
  for (const seed of seeds) {
    const s = seed.value;
    if (s.length === 0) continue; // hashes of '' are everywhere (§4 pitfalls)
    const prefix = seed.prefix ?? false;
    const info = (encoding: Encoding): VariantInfo => ({ encoding, form: seed.form, prefix });
    add(s, info('plain'));
    const enc = encodeURIComponent(s);
    add(enc, info('url'));
    add(enc.replace(/%20/g, '+'), info('url'));
    const b64 = base64Encode(s);
    add(b64, info('base64'));
    add(trimPadding(b64), info('base64'));
    add(toBase64Url(b64), info('base64'));
    if (!opts.hashes) continue;
    const bytes = utf8.encode(s);
    for (const name of opts.hashSet ?? ALL_HASHES) {
      const digest = HASHERS[name](bytes);
      add(toHex(digest), info(name));
      const d64 = bytesToBase64(digest);
      add(d64, info(name));
      add(toBase64Url(d64), info(name));
    }
  }
  return out;
}

/** Base64 without its trailing '=' padding. */
function trimPadding(b64: string): string {
  let end = b64.length;
  while (end > 0 && b64.charCodeAt(end - 1) === 0x3d) end--;
  return end === b64.length ? b64 : b64.slice(0, end);
}

/** Leaky Forms' idea: a value read on keyup, one or two characters before typing ended. */
export function typedPrefixes(value: string, minLength = 6): string[] {
  const out: string[] = [];
  for (const cut of [1, 2]) {
    if (value.length - cut >= minLength) out.push(value.slice(0, value.length - cut));
  }
  return out;
}
