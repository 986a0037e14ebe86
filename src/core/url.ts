// One safe URL parse per request, shared by every detector.
//
// Contract: `parseUrl` never throws and always returns a ParsedUrl. A URL without a network
// host (malformed text, data:, about:, blob:, javascript:) comes back with `host === ''`,
// which callers treat as "no party". Returning an object rather than null keeps every
// detector free of null checks on the hot path.
import { MAX_URL_CHARS } from './model.ts';
import type { ParsedUrl } from './detectors/types.ts';

/** At most this many query pairs are decoded (ParsedUrl.params contract). */
export const MAX_PARAMS = 500;
/** A decoded key or value longer than this is cut: detectors look for ids, not essays. */
const MAX_PARAM_CHARS = 4_096;
/** data: URLs can be megabytes of base64; only this much is kept for display. */
const DATA_URL_PREVIEW = 64;

const EMPTY: Omit<ParsedUrl, 'href' | 'protocol'> = {
  host: '',
  pathname: '',
  search: '',
  params: [],
  hash: '',
};

/** Lowercase, no trailing dot, no IPv6 brackets: the one spelling used for party lookups. */
export function normalizeHost(host: string): string {
  let h = host.toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h;
}

/** decodeURIComponent that tolerates malformed escapes (returns the input instead). */
export function safeDecode(s: string): string {
  if (!s.includes('%') && !s.includes('+')) return s;
  const plus = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/** Splits a raw query (or form-encoded) string into decoded pairs, at most `max`. */
export function parseQuery(search: string, max = MAX_PARAMS): [string, string][] {
  const out: [string, string][] = [];
  if (!search) return out;
  let start = 0;
  while (start <= search.length && out.length < max) {
    let end = search.indexOf('&', start);
    if (end === -1) end = search.length;
    if (end > start) {
      const part = search.slice(start, end);
      const eq = part.indexOf('=');
      const k = eq === -1 ? part : part.slice(0, eq);
      const v = eq === -1 ? '' : part.slice(eq + 1);
      out.push([safeDecode(k).slice(0, MAX_PARAM_CHARS), safeDecode(v).slice(0, MAX_PARAM_CHARS)]);
    }
    start = end + 1;
  }
  return out;
}

export function parseUrl(raw: string): ParsedUrl {
  if (typeof raw !== 'string') return { href: '', protocol: '', ...EMPTY };
  // Look at the scheme before anything else: a multi-megabyte data: URL must not be copied,
  // decoded or handed to the URL parser.
  const head = raw.slice(0, 16).trimStart().toLowerCase();
  if (head.startsWith('data:')) {
    const href = raw.length > DATA_URL_PREVIEW ? `${raw.slice(0, DATA_URL_PREVIEW)}…` : raw;
    return { href, protocol: 'data:', ...EMPTY };
  }
  const capped = raw.length > MAX_URL_CHARS ? raw.slice(0, MAX_URL_CHARS) : raw;
  const fast = parseCanonical(capped);
  if (fast) return fast;
  let u: URL;
  try {
    u = new URL(capped);
  } catch {
    return { href: capped, protocol: '', ...EMPTY };
  }
  const search = u.search.startsWith('?') ? u.search.slice(1) : u.search;
  return {
    href: u.href,
    protocol: u.protocol,
    // Only hierarchical network URLs have a party; about:blank or blob: do not.
    host: u.hostname && /^(https?|wss?|ftp):$/.test(u.protocol) ? normalizeHost(u.hostname) : '',
    pathname: u.pathname,
    search,
    params: parseQuery(search),
    hash: u.hash,
  };
}

// The fast path. Almost every URL the browser reports is already in the WHATWG URL
// parser's canonical form (lower-case scheme and host, no default port, no dot segments,
// nothing left to percent-encode), and for those the parser would hand back the input
// unchanged. Checking that shape with one anchored regex and slicing is several times
// cheaper than building a URL object and reading its getters; anything the regex is not
// sure about (ports, userinfo, IP addresses, punycode, backslashes, non-ASCII, dot
// segments) goes to the real parser. test/unit/url.test.ts compares both on the corpus.
//
//   scheme            host labels                       path            query       fragment
const CANONICAL =
  /^(https?|wss?):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*)?(\?[\x21\x24-\x26\x28-\x3b\x3d\x3f-\x5b\x5d-\x7e]*)?(#[\x21\x23-\x3b\x3d\x3f-\x5b\x5d-\x5f\x61-\x7e]*)?$/;
/** A last label the URL parser would read as (part of) an IPv4 address: `127.1`, `0x7f`. */
const NUMERIC_LABEL = /(?:^|\.)(?:0x[0-9a-f]*|[0-9]+)$/;
/** `.` and `..` segments, which the parser removes. */
const DOT_SEGMENT = /\/\.\.?(?:\/|$)|%2e/i;

function parseCanonical(raw: string): ParsedUrl | null {
  const m = CANONICAL.exec(raw);
  if (!m) return null;
  const [, scheme = '', host = '', path = '', query = '', fragment = ''] = m;
  if (NUMERIC_LABEL.test(host) || host.includes('xn--') || DOT_SEGMENT.test(path)) return null;
  const search = query.slice(1);
  return {
    // The parser writes an empty path as '/': `https://a.example?x` → `https://a.example/?x`.
    href: path ? raw : `${scheme}://${host}/${query}${fragment}`,
    protocol: `${scheme}:`,
    host,
    pathname: path || '/',
    search,
    params: parseQuery(search),
    // `#` alone is an empty fragment, as URL.hash reports it.
    hash: fragment.length > 1 ? fragment : '',
  };
}

/** Scheme and canonical host at the start of a URL, whatever follows. */
const CANONICAL_HOST = /^(?:https?|wss?):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?=[/?#]|$)/;

/** Host of a URL or origin string ("https://a.example", "null"), '' when there is none. */
export function hostOf(urlOrOrigin: string | null | undefined): string {
  if (!urlOrOrigin || urlOrOrigin === 'null') return '';
  // Initiators and document URLs are asked for their host on every request: read it off the
  // front when it is already canonical instead of parsing (and query-decoding) the whole URL.
  const m = CANONICAL_HOST.exec(urlOrOrigin);
  const h = m?.[1];
  if (h && !NUMERIC_LABEL.test(h) && !h.includes('xn--')) return h;
  return parseUrl(urlOrOrigin).host;
}
