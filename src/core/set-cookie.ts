// Set-Cookie header lines → CookieEvent, following RFC 6265bis parsing (which is lenient by
// design: browsers accept odd syntax, so we must read it the same way and never throw).
import type { CookieEvent, Header } from './model.ts';
import { isHeader } from './header-name.ts';
import { normalizeHost, parseUrl } from './url.ts';

/** A header naming more cookies than this is hostile or broken; the rest are ignored. */
export const MAX_COOKIES_PER_HEADER = 50;
/** Browsers cap name + value at 4096 bytes; anything longer is cut for our purposes. */
const MAX_COOKIE_CHARS = 4_096;
/** RFC 6265bis: Max-Age and Expires are capped at 400 days. */
const MAX_LIFETIME_MS = 400 * 864e5;
// A line with control characters (other than tab) is rejected by browsers outright.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

export interface SetCookieSource {
  /** URL of the response that carried the header. */
  requestUrl: string;
  /** When the response arrived (ms since epoch): the base for Max-Age. */
  time: number;
}

/** Cookies set by all Set-Cookie headers of a response (case-insensitive header names). */
export function cookiesFromHeaders(
  headers: readonly Header[],
  src: SetCookieSource,
): CookieEvent[] {
  const out: CookieEvent[] = [];
  for (const h of headers) {
    if (out.length >= MAX_COOKIES_PER_HEADER) break;
    if (typeof h?.name !== 'string' || !isHeader(h.name, 'set-cookie')) continue;
    if (typeof h.value !== 'string') continue;
    for (const c of parseSetCookie(h.value, src)) {
      if (out.length >= MAX_COOKIES_PER_HEADER) break;
      out.push(c);
    }
  }
  return out;
}

/**
 * Parses one Set-Cookie header value. Firefox joins several headers with newlines, so the
 * value is split on line breaks first. Cookies a browser would reject (control characters,
 * empty name and value, a Domain that does not cover the response host) are left out.
 */
export function parseSetCookie(header: string, src: SetCookieSource): CookieEvent[] {
  const url = parseUrl(src.requestUrl);
  const host = url.host;
  const out: CookieEvent[] = [];
  for (const line of header.split(/\r?\n|\r/)) {
    if (out.length >= MAX_COOKIES_PER_HEADER) break;
    const c = parseLine(line, host, url.pathname, src);
    if (c) out.push(c);
  }
  return out;
}

function parseLine(
  rawLine: string,
  host: string,
  requestPath: string,
  src: SetCookieSource,
): CookieEvent | null {
  const line = rawLine.slice(0, MAX_COOKIE_CHARS * 2).trim();
  if (!line || CONTROL.test(line)) return null;
  const parts = line.split(';');
  const pair = parts[0] ?? '';
  const eq = pair.indexOf('=');
  // No '=' at all: RFC 6265bis makes the whole pair the value of a nameless cookie.
  const name = (eq === -1 ? '' : pair.slice(0, eq)).trim().slice(0, MAX_COOKIE_CHARS);
  const value = (eq === -1 ? pair : pair.slice(eq + 1)).trim().slice(0, MAX_COOKIE_CHARS);
  if (!name && !value) return null;

  let domainAttr: string | null = null;
  let path: string | null = null;
  let maxAge: number | null = null;
  let expiresAttr: number | null = null;
  let secure = false;
  let httpOnly = false;
  let partitioned = false;
  let sameSite: CookieEvent['sameSite'] = 'unspecified';
  // Later attributes override earlier ones (duplicate attributes: last one wins).
  for (let i = 1; i < parts.length; i++) {
    const attr = parts[i] ?? '';
    const aeq = attr.indexOf('=');
    const key = (aeq === -1 ? attr : attr.slice(0, aeq)).trim().toLowerCase();
    const val = aeq === -1 ? '' : attr.slice(aeq + 1).trim();
    switch (key) {
      case 'domain':
        domainAttr = val ? normalizeHost(val.replace(/^\.+/, '')) : null;
        break;
      case 'path':
        path = val.startsWith('/') ? val : null;
        break;
      case 'max-age':
        maxAge = /^-?\d+$/.test(val) ? Number(val) : maxAge;
        break;
      case 'expires': {
        const t = Date.parse(val);
        if (!Number.isNaN(t)) expiresAttr = t;
        break;
      }
      case 'secure':
        secure = true;
        break;
      case 'httponly':
        httpOnly = true;
        break;
      case 'partitioned':
        partitioned = true;
        break;
      case 'samesite': {
        const s = val.toLowerCase();
        sameSite =
          s === 'none' ? 'no_restriction' : s === 'lax' || s === 'strict' ? s : 'unspecified';
        break;
      }
    }
  }

  // Domain must cover the host that set it, or the browser drops the cookie.
  if (domainAttr && host && host !== domainAttr && !host.endsWith(`.${domainAttr}`)) return null;

  let expires: number | null = null;
  if (maxAge !== null) expires = src.time + Math.min(maxAge * 1000, MAX_LIFETIME_MS);
  else if (expiresAttr !== null) expires = Math.min(expiresAttr, src.time + MAX_LIFETIME_MS);
  // A deletion only needs a past time. `Max-Age=-9000000000000` gave a time no Date can
  // hold, and formatting it for the report threw, losing every other finding.
  if (expires !== null && expires < 0) expires = 0;

  return {
    name,
    value,
    domain: domainAttr ?? host,
    hostOnly: domainAttr === null,
    path: path ?? defaultPath(requestPath),
    expires,
    secure,
    httpOnly,
    sameSite,
    partitioned,
    // Max-Age <= 0 or a past Expires is how servers delete cookies.
    removed: expires !== null && expires <= src.time,
    source: 'header',
    requestUrl: src.requestUrl,
    scriptUrl: null,
    time: src.time,
  };
}

/** RFC 6265 default-path: the request path up to, not including, its last '/'. */
function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith('/')) return '/';
  const last = requestPath.lastIndexOf('/');
  return last <= 0 ? '/' : requestPath.slice(0, last);
}
