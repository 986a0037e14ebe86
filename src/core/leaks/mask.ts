// Masked previews for evidence. Findings are stored and exported, so they must never
// carry the raw personal value: only enough of it for a person to recognise "yes, that
// is my address" or "that is the same id" (DESIGN.md, privacy of the extension itself).
import { findEmails, mayHoldEmail } from './email.ts';

const EMAIL_SHAPE = /^([^@\s]{1,64})@([^@\s]{1,255})$/;

/** `jane.doe@example.com` → `j***@e***.com`. */
export function maskEmail(email: string): string {
  const m = EMAIL_SHAPE.exec(email.trim());
  if (!m) return maskGeneric(email);
  const local = m[1] ?? '';
  const domain = m[2] ?? '';
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${tld}`;
}

/** `+1 415 555 1234` → `+1 ***-***-**34`: the country code and the last two digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 4) return '***';
  const plus = phone.trim().startsWith('+');
  const cc = plus ? `+${digits.slice(0, digits.length > 10 ? digits.length - 10 : 1)} ` : '';
  return `${cc}***-***-**${digits.slice(-2)}`;
}

/** A hash or long hex digest: `4f3a…c2`. */
export function maskHash(hex: string): string {
  const h = hex.trim();
  if (h.length <= 8) return '…';
  return `${h.slice(0, 4)}…${h.slice(-2)}`;
}

/** A name: first letter only. */
export function maskName(name: string): string {
  const n = name.trim();
  return n.length === 0 ? '***' : `${n.slice(0, 1)}***`;
}

/**
 * An identifier (cookie value, user id): the first 4 and last 2 characters, so two
 * findings about the same id can be told apart without storing the id itself. Short
 * values show less, so that masking never reveals most of a value.
 */
export function maskId(value: string): string {
  const v = value.trim();
  if (v.length < 8) return `${v.slice(0, 1)}***`;
  if (v.length < 12) return `${v.slice(0, 2)}…${v.slice(-1)}`;
  return `${v.slice(0, 4)}…${v.slice(-2)}`;
}

/** Anything else: a length hint only. */
export function maskGeneric(value: string): string {
  return `*** (${value.length} chars)`;
}

/**
 * A URL reduced to origin and path shape: query values and fragments can carry personal
 * data (search terms, emails in links), so they are replaced by their parameter names.
 */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    // A name can be the data too (`?alice@example.com`, `?14155550123`): such a name goes.
    // Names are read more leniently than path segments: `zMoatAdUnit1` is a name.
    const keys = [...new Set([...u.searchParams.keys()])]
      .slice(0, 8)
      .map((k) => (/@|%40|\d{6}/i.test(k) || k.length > 40 ? '…' : k));
    const query = keys.length > 0 ? `?${keys.map((k) => `${k}=…`).join('&')}` : '';
    // Paths carry data too (`/u/jane@example.com/p.gif`, `/t/14155550123`, base64): a
    // segment that looks like a value rather than a route goes.
    const segments = u.pathname
      .split('/')
      .map((s) => (looksLikeValue(s) ? '…' : s))
      .join('/');
    const path = segments.length > 80 ? `${segments.slice(0, 80)}…` : segments;
    return `${u.origin}${path}${query}`;
  } catch {
    return maskGeneric(url);
  }
}

/** An '@', padding or a run of digits, a long segment, or a mixed letters-and-digits token. */
function looksLikeValue(segment: string): boolean {
  if (/@|%40|=|%3d|\d{6}/i.test(segment) || segment.length > 24) return true;
  return segment.length >= 8 && /\d/.test(segment) && /[a-z]/i.test(segment);
}

/** Search terms typed by a person: first letter and length only. */
export function maskText(text: string): string {
  const t = text.trim();
  if (t.length === 0) return '""';
  return `${t.slice(0, 1)}… (${t.length} chars)`;
}

/**
 * Text a page chose that can hold an address where no value is expected (a cookie named
 * `dave@example.com`): every address in it masked, the rest kept.
 */
export function maskEmailsIn(text: string): string {
  if (!mayHoldEmail(text)) return text;
  let out = text;
  for (const email of findEmails(text)) out = out.split(email).join(maskEmail(email));
  return out;
}
