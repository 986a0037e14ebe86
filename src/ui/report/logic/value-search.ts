// "Where did this value go": the forms a pasted value can travel in, and a matcher over
// stored request URLs. What can be found, honestly: request URLs are stored as the browser
// sent them, except a URL that carried personal data (an email, a registered value), which
// is kept as origin, path and parameter names only; bodies, header and cookie values are
// never stored. So an identifier (a cookie id, a user id) in a URL is found, plain or in a
// common encoding; an email is not, by design. Findings keep masked previews (first
// characters only), so a preview match is a "possible" match, never proof.
import { sha1, md5 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Encoding } from '../../../core/model.ts';
import type { FindingRow, RequestRow } from '../../../storage/db.ts';

/** Shorter values match too much (any "1234" is everywhere). */
export const MIN_VALUE_CHARS = 6;

export interface ValueForm {
  encoding: Encoding;
  text: string;
  /** Hex digests are compared case-insensitively. */
  caseless: boolean;
}

function base64(value: string): string {
  let bin = '';
  for (const b of utf8ToBytes(value)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/=+$/, '');
}

/** The value as sent plain, URL-encoded, base64 (padding dropped), md5, sha1, sha256. */
export function valueForms(raw: string): ValueForm[] {
  const value = raw.trim();
  if (value.length < MIN_VALUE_CHARS) return [];
  const forms: ValueForm[] = [{ encoding: 'plain', text: value, caseless: false }];
  const url = encodeURIComponent(value);
  if (url !== value) forms.push({ encoding: 'url', text: url, caseless: false });
  const b64 = base64(value);
  forms.push({ encoding: 'base64', text: b64, caseless: false });
  const b64url = b64.replace(/\+/g, '-').replace(/\//g, '_');
  if (b64url !== b64) forms.push({ encoding: 'base64', text: b64url, caseless: false });
  const bytes = utf8ToBytes(value);
  forms.push({ encoding: 'md5', text: bytesToHex(md5(bytes)), caseless: true });
  forms.push({ encoding: 'sha1', text: bytesToHex(sha1(bytes)), caseless: true });
  forms.push({ encoding: 'sha256', text: bytesToHex(sha256(bytes)), caseless: true });
  return forms;
}

function decoded(url: string): string {
  try {
    return decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    return url;
  }
}

/** The first form found in the request's URL (as stored, and URL-decoded), or null. */
export function matchRequest(r: RequestRow, forms: readonly ValueForm[]): ValueForm | null {
  const plain = r.url;
  const dec = decoded(plain);
  const lower = plain.toLowerCase();
  for (const f of forms) {
    if (f.caseless ? lower.includes(f.text) : plain.includes(f.text) || dec.includes(f.text)) {
      return f;
    }
  }
  return null;
}

/** A finding whose masked preview ("abcd…") starts like the value: a possible match. */
export function previewMatches(f: FindingRow, value: string): boolean {
  const p = f.evidence.preview;
  if (!p) return false;
  const shown = p.split('…')[0] ?? '';
  return shown.length >= 4 && !shown.includes('*') && value.trim().startsWith(shown);
}
