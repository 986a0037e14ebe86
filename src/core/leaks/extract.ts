// Where data hides in a request: one extractor that every leak detector shares. It turns a
// RequestRecord into (location, key, value) tokens plus raw haystacks, once per request
// (on the RequestContext during analysis, see requestTokens; by object identity for other
// callers), so five detectors do not parse the same body five times.
import { MAX_BODY_CHARS, MAX_URL_CHARS, type Location, type RequestRecord } from '../model.ts';
import type { ParsedUrl } from '../detectors/types.ts';
import { parseUrl } from '../url.ts';
import { headerIn, isHeader } from '../header-name.ts';
import { base64DecodeText, looksBase64, looksUrlEncoded, safeUrlDecode } from './codec.ts';
import {
  MAX_PARTS_PER_VALUE,
  MAX_TOKENS,
  TokenSink,
  type Extraction,
  type Token,
} from './tokens.ts';
import { countDelimiters } from './charclass.ts';

export type { Extraction, Haystack, Token, TokenEncoding } from './tokens.ts';

const cache = new WeakMap<RequestRecord, Extraction>();

/**
 * The last request the analyzer tokenized, and its tokens. Storage asks extractRequest for
 * the record it has just analysed: this one slot answers it. The analyzer does not fill the
 * WeakMap: a WeakMap holding an entry for every request until the next GC made every
 * scavenge slower (the per-request p99), and nothing else asks twice.
 */
let lastRequest: RequestRecord | null = null;
let lastExtraction: Extraction | null = null;

/** Tokens of a request; computed once per RequestRecord object. Never throws. */
export function extractRequest(req: RequestRecord, url?: ParsedUrl | null): Extraction {
  if (req === lastRequest && lastExtraction !== null) return lastExtraction;
  const hit = cache.get(req);
  if (hit) return hit;
  const out = extractUncached(req, url ?? null);
  cache.set(req, out);
  return out;
}

/**
 * The detectors' way in: the one extraction of the request being analysed, made by the
 * first detector that asks (a request no leak detector looks at is never tokenized) and
 * kept on the RequestContext, so the others read it without a lookup. extractRequest
 * returns it too for the same record, as long as it is the last one analysed.
 */
export function requestTokens(
  req: RequestRecord,
  ctx: { url: ParsedUrl; extraction?: Extraction },
): Extraction {
  if (ctx.extraction) return ctx.extraction;
  const out =
    req === lastRequest && lastExtraction !== null
      ? lastExtraction
      : (cache.get(req) ?? extractUncached(req, ctx.url));
  ctx.extraction = out;
  lastRequest = req;
  lastExtraction = out;
  return out;
}

function extractUncached(req: RequestRecord, url: ParsedUrl | null): Extraction {
  const sink = new TokenSink();
  try {
    fillFromRequest(sink, req, url);
  } catch {
    // Defensive: the extractor is written not to throw, but a detector must never die here.
    sink.note('extraction stopped on unexpected input');
    sink.truncated = true;
  }
  return {
    tokens: sink.tokens,
    haystacks: sink.haystacks,
    truncated: sink.truncated,
    notes: sink.notes,
  };
}

/** Tokens of a bare URL (used for Referer and redirect targets, and in tests). */
export function extractUrl(href: string, location: Location = 'query'): Extraction {
  const sink = new TokenSink();
  urlTokens(sink, href, location === 'query' ? null : location);
  return {
    tokens: sink.tokens,
    haystacks: sink.haystacks,
    truncated: sink.truncated,
    notes: sink.notes,
  };
}

/** Tokens of a text body (used in tests and by callers holding only a body). */
export function extractBody(text: string, contentType = ''): Extraction {
  const sink = new TokenSink();
  textBody(sink, capText(sink, text, MAX_BODY_CHARS, 'body'), contentType, 0);
  return {
    tokens: sink.tokens,
    haystacks: sink.haystacks,
    truncated: sink.truncated,
    notes: sink.notes,
  };
}

function fillFromRequest(sink: TokenSink, req: RequestRecord, url: ParsedUrl | null): void {
  if (url) parsedUrlTokens(sink, url, null);
  else urlTokens(sink, req.url, null);

  const body = req.body;
  if (body?.kind === 'form') {
    if (body.truncated) sink.note('body was truncated before analysis');
    for (const [key, values] of Object.entries(body.fields)) {
      for (const v of values) sink.value('body', key, capText(sink, v, MAX_BODY_CHARS, 'body'));
      if (sink.full()) break;
    }
    sink.haystack('body', formHaystack(body.fields));
  } else if (body?.kind === 'text') {
    if (body.truncated) sink.note('body was truncated before analysis');
    if (body.binary) sink.note('binary body not inspected');
    else
      textBody(
        sink,
        capText(sink, body.text, MAX_BODY_CHARS, 'body'),
        header(req, 'content-type'),
        0,
      );
  }

  for (const h of req.requestHeaders) {
    if (isHeader(h.name, 'cookie'))
      cookieHeader(sink, capText(sink, h.value, MAX_URL_CHARS, 'cookie'));
    else if (isHeader(h.name, 'referer')) {
      const ref = capText(sink, h.value, MAX_URL_CHARS, 'referer');
      sink.haystack('referer-header', ref);
      urlTokens(sink, ref, 'referer-header');
    }
  }
  const redirect = req.redirectUrl ?? header(req, 'location', true);
  if (redirect) {
    const target = capText(sink, redirect, MAX_URL_CHARS, 'redirect');
    sink.haystack('redirect', target);
    urlTokens(sink, resolveAgainst(target, req.url), 'redirect');
  }
}

/** A relative Location (`/tap.php?...`) is resolved against the request URL. */
function resolveAgainst(target: string, base: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return target;
  try {
    return new URL(target, base).href;
  } catch {
    return target;
  }
}

function header(req: RequestRecord, name: string, response = false): string {
  const list = response ? req.responseHeaders : req.requestHeaders;
  return headerIn(list, name) ?? '';
}

function capText(sink: TokenSink, text: string, cap: number, what: string): string {
  if (text.length <= cap) return text;
  sink.truncated = true;
  sink.note(`${what} truncated to ${cap} characters`);
  return text.slice(0, cap);
}

function formHaystack(fields: Record<string, string[]>): string {
  const parts: string[] = [];
  let size = 0;
  for (const [k, vs] of Object.entries(fields)) {
    for (const v of vs) {
      parts.push(`${k}=${v}`);
      size += k.length + v.length + 2;
      if (size > MAX_BODY_CHARS) return parts.join('&').slice(0, MAX_BODY_CHARS);
    }
  }
  return parts.join('&');
}

/** Location override: null means "the request's own URL" (path/query/fragment). */
function urlTokens(sink: TokenSink, href: string, as: Location | null): void {
  const parsed = parseUrl(capText(sink, href, MAX_URL_CHARS, 'url'));
  if (!parsed.protocol || parsed.protocol === 'data:') {
    // Not a URL we can take apart (a relative Location, say): keep it as one value.
    if (as) sink.value(as, as === 'redirect' ? 'Location' : 'Referer', href);
    return;
  }
  parsedUrlTokens(sink, parsed, as);
}

function parsedUrlTokens(sink: TokenSink, url: ParsedUrl, as: Location | null): void {
  if (as) sink.whole(as, as === 'redirect' ? 'Location' : 'Referer', url.href);
  else {
    sink.haystack('query', url.href);
    if (looksUrlEncoded(url.href)) sink.haystack('query', safeUrlDecode(url.href));
  }
  urlValues(sink, url.pathname.split('/'), url.params, as);
  const hash = url.hash.startsWith('#') ? url.hash.slice(1) : url.hash;
  if (hash.length > 0) {
    if (hash.includes('=')) sink.query(as ?? 'fragment', '', hash, 'plain', 0);
    else sink.value(as ?? 'fragment', '#', safeUrlDecode(hash));
  }
}

/**
 * What urlValueTokens takes of a value: nothing, only the value itself as one token (no
 * pieces), or every token the whole extraction gives it.
 */
export type ValueUse = 'none' | 'whole' | 'all';

/**
 * The tokens of the URL's path segments and parameter values, as far as `use` asks (given
 * the value as the sink would read it, lower-cased), in the order and form the whole
 * extraction gives them: for a detector that can tell from a value alone that none of its
 * tokens, or none of its pieces, can matter. Only for a request that has a glance
 * (leaks/glance.ts): no value of it is decoded or flattened, so a value's tokens are the
 * value and its delimiter-split pieces, and the token bound below holds. Null when the
 * URL has so many values that the whole extraction could stop at its token cap, which
 * this one would not.
 */
export function urlValueTokens(url: ParsedUrl, use: (lower: string) => ValueUse): Token[] | null {
  const segments = url.pathname.split('/');
  if (mayReachCap(segments, url.params)) return null;
  const sink = new TokenSink();
  urlValues(sink, segments, url.params, null, use);
  return sink.tokens;
}

/**
 * A URL's path segments (each followed by its stem) and parameter values into `sink`, as
 * values under `as` (null: 'path' and 'query'); with `use`, only as much of each value as
 * it asks (a stem goes with its segment: it is a piece of it, so what the segment lacks
 * it lacks).
 */
function urlValues(
  sink: TokenSink,
  segments: readonly string[],
  params: readonly [string, string][],
  as: Location | null,
  use?: (lower: string) => ValueUse,
): void {
  for (let i = 0; i < segments.length; i++) {
    const raw = segments[i] as string;
    if (raw.length === 0) continue;
    const seg = safeUrlDecode(raw);
    const how = use ? use(seg.toLowerCase()) : 'all';
    if (how === 'none') continue;
    const key = pathKey(i);
    emitValue(sink, as ?? 'path', key, seg, how);
    // Drop a file extension (pixel.gif, id.json) the way LeakDetector's tokenizer does. The
    // pattern needs a '.' 3 to 5 characters from the end of a 7+ character segment.
    if (seg.length < 7 || seg.lastIndexOf('.') < seg.length - 5) continue;
    const ext = FILE_EXTENSION.exec(seg);
    if (ext?.[1]) emitValue(sink, as ?? 'path', key, ext[1], how);
  }
  for (const [k, v] of params) {
    const how = use ? use(v.toLowerCase()) : 'all';
    if (how !== 'none') emitValue(sink, as ?? 'query', k, v, how);
  }
}

/**
 * A value as the sink reads it, or (for a glanced request, whose values have no layer to
 * decode) only its first token, the value itself, which is what `sink.value` pushes first.
 */
function emitValue(sink: TokenSink, at: Location, key: string, v: string, how: ValueUse): void {
  if (how === 'whole') sink.whole(at, key, v);
  else sink.value(at, key, v);
}

/**
 * The whole-value tokens of the URL's parameters (not their pieces), as the whole
 * extraction gives them, for a request that has a glance; null as for urlValueTokens.
 */
export function urlParamTokens(url: ParsedUrl): Token[] | null {
  if (mayReachCap(url.pathname.split('/'), url.params)) return null;
  const out: Token[] = [];
  for (const [key, value] of url.params) {
    if (value.length > 0)
      out.push({ location: 'query', key, value, encoding: 'plain', part: false });
  }
  return out;
}

/**
 * Whether the URL's values could give MAX_TOKENS tokens. A value gives itself and at most
 * one piece per split level and delimiter run (3 per delimiter, plus 3), never more than
 * MAX_PARTS_PER_VALUE; a path segment's stem as many again.
 */
function mayReachCap(segments: readonly string[], params: readonly [string, string][]): boolean {
  const most = (v: string) => 1 + Math.min(MAX_PARTS_PER_VALUE, 3 * (countDelimiters(v) + 1));
  // Most URLs are far below: a bound from the number of values alone settles them.
  if ((2 * segments.length + params.length) * (1 + MAX_PARTS_PER_VALUE) < MAX_TOKENS) return false;
  let n = 0;
  for (const s of segments) n += 2 * most(safeUrlDecode(s));
  for (const [, v] of params) n += most(v);
  return n >= MAX_TOKENS;
}

/** A path segment's stem before a file extension (`pixel.gif`), read as a value of its own. */
const FILE_EXTENSION = /^(.{4,})\.[A-Za-z]{2,4}$/;
const PATH_KEYS = Array.from({ length: 32 }, (_, i) => `path[${i}]`);
function pathKey(i: number): string {
  return PATH_KEYS[i] ?? `path[${i}]`;
}

function cookieHeader(sink: TokenSink, text: string): void {
  sink.haystack('cookie-header', text);
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1);
    sink.value('cookie-header', name, value);
  }
}

const MULTIPART_NAME = /name="([^"]{0,200})"/i;

function textBody(sink: TokenSink, text: string, contentType: string, depth: number): void {
  if (depth === 0) sink.haystack('body', text);
  const trimmed = text.trim();
  if (trimmed.length === 0) return;
  const boundary = /boundary=("?)([^";,\s]{1,200})\1/i.exec(contentType)?.[2];
  if (
    boundary ||
    (trimmed.startsWith('--') && /content-disposition/i.test(trimmed.slice(0, 500)))
  ) {
    multipart(sink, trimmed, boundary ?? trimmed.slice(2, trimmed.search(/\r?\n/)));
    return;
  }
  // GA4 and similar batch several hits as query strings, one per line.
  const first = trimmed.charAt(0);
  const lines = first === '{' || first === '[' ? [] : trimmed.split(/\r?\n/);
  if (lines.length > 1 && lines.every((l) => l.length === 0 || l.includes('='))) {
    for (const line of lines) if (line.length > 0) sink.query('body', '', line, 'plain', depth);
    return;
  }
  if (sink.structured('body', '', trimmed, 'plain', depth)) return;
  // A whole body that is itself base64 (JSON inside, usually). Checked before the
  // query-string test because base64 padding contains '='.
  if (depth < 2 && looksBase64(trimmed)) {
    const decoded = base64DecodeText(trimmed);
    if (decoded !== null) return textBody(sink, decoded, '', depth + 1);
  }
  if (trimmed.includes('=') && !/\s/.test(trimmed)) {
    sink.query('body', '', trimmed, 'plain', depth);
    return;
  }
  if (depth < 2 && looksUrlEncoded(trimmed)) {
    const decoded = safeUrlDecode(trimmed);
    if (decoded !== trimmed) return textBody(sink, decoded, '', depth + 1);
  }
  sink.value('body', '', trimmed);
}

function multipart(sink: TokenSink, text: string, boundary: string): void {
  if (boundary.length === 0) return;
  for (const chunk of text.split(`--${boundary}`)) {
    if (sink.full()) return;
    const sep = chunk.search(/\r?\n\r?\n/);
    if (sep === -1) continue;
    const head = chunk.slice(0, sep);
    const name = MULTIPART_NAME.exec(head)?.[1] ?? '';
    const value = chunk
      .slice(sep)
      .replace(/^\r?\n\r?\n/, '')
      .replace(/\r?\n$/, '');
    if (/content-type:\s*(?!text\/|application\/json)/i.test(head)) continue; // files
    sink.value('body', name, value);
  }
}
