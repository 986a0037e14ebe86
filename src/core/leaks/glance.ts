// A look at a request before tokenizing it: most third-party requests carry nothing a leak
// detector reports (on the bench corpus, 81% of them carry no page address, cookie value,
// id, address, secret or order), and 85% have no layer the token sink would decode and no
// structure it would flatten. For such a "shallow" request every token the sink would
// emit is a text below (a decoded path segment, parameter value or cookie value) or a
// piece of one, and every haystack is one of the texts too. So a known value with a
// three-character window that none of those texts has (grams.ts) is in no token and no
// haystack: a detector can answer "nothing here" without the tokens. A request with a
// body, a fragment, a redirect, an encoded or structured value, non-ASCII text or anything
// over the caps gets no glance (null): its detectors tokenize it as before.
//
// The glance is a necessary condition, never a finding: a detector that cannot rule its
// values out still reads the tokens (test/unit/leaks/glance.test.ts holds it to the
// extractor on the corpus and on crafted requests).
import { MAX_URL_CHARS, type RequestRecord } from '../model.ts';
import type { ParsedUrl } from '../detectors/types.ts';
import { parseUrl } from '../url.ts';
import { COARSE_CHAR, FINE_CHAR, MIDDLE_CHAR } from './charclass.ts';
import { base64DecodeText, looksUrlEncoded, safeUrlDecode } from './codec.ts';
import { headerIn, isHeader } from '../header-name.ts';
import { mayHoldEmail } from './email.ts';
import { addFoldedGrams, wideGrams } from './grams.ts';
import { MAX_SPLIT_INPUT, MIN_BASE64 } from './tokens.ts';

/** Where a token or haystack of a glanced request can come from. */
export type GlancePart = 'url' | 'cookie' | 'referer';

export interface Glance {
  /**
   * Case-folded three-character windows of every text a token or haystack could come
   * from, by where it comes from: the URL (path, query), the Cookie header, the Referer header
   * (null: the request has none). Kept apart because most detectors read the URL only,
   * and a Referer holds the page's own address.
   */
  grams: { url: Int32Array; cookie: Int32Array | null; referer: Int32Array | null };
  /** Whether any of those texts may hold an email address (email.ts mayHoldEmail). */
  email: boolean;
  /** Parameter names and cookie names: every key a token of this request can have but `path[i]`. */
  keys: string[];
}

/**
 * Values the sink would split only in part get no glance. (The sink's longest base64,
 * 8,192 characters, is past it.)
 */
const MAX_VALUE = MAX_SPLIT_INPUT;
/** More parameters than this: the glance would cost as much as the tokens. */
const MAX_PARTS = 200;

// Character classes of the split levels (charclass.ts COARSE_CHAR, MIDDLE_CHAR, FINE_CHAR) and
// of base64.
const K_COARSE = 1;
const K_MIDDLE = 2; // coarse, ':' or '='
const K_FINE = 4; // coarse, ':', '=' or . _ ~ -
const K_B64 = 8; // A-Z a-z 0-9 + _ - (a coarse or middle piece never holds '/')
const K_B64_FINE = 16; // A-Z a-z 0-9 + (a fine piece never holds '_' or '-')
const K_HEX = 32;
const K_B64_WHOLE = 64; // A-Z a-z 0-9 + / _ - (the whole value may hold '/')
const K_SPECIAL = 128; // { [ = & ? % : (structure, escapes, '://')
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  let k = 0;
  if (COARSE_CHAR.test(ch)) k |= K_COARSE | K_MIDDLE | K_FINE;
  if (MIDDLE_CHAR.test(ch)) k |= K_MIDDLE | K_FINE;
  if (FINE_CHAR.test(ch)) k |= K_FINE;
  if (/[A-Za-z0-9+_-]/.test(ch)) k |= K_B64;
  if (/[A-Za-z0-9+]/.test(ch)) k |= K_B64_FINE;
  if (/[0-9a-fA-F]/.test(ch)) k |= K_HEX;
  if (/[A-Za-z0-9+/_-]/.test(ch)) k |= K_B64_WHOLE;
  if (/[{[=&?%:]/.test(ch)) k |= K_SPECIAL;
  CLASS[c] = k;
}
// What TokenSink.structuredText reads as structure, by the characters it needs: JSON starts
// with '{' or '[' (either one makes a value deep here, wherever it is); an embedded query
// needs '=' and '&'; a URL's query is read only when the value has '://' and a '?'. A
// value with '=' alone (`a=b`, base64 padding) or an address without a query is only cut
// into pieces, at '=' too.
const BRACE = 1;
const EQUALS = 2;
const AMPERSAND = 4;
const QUESTION = 8;
const SCHEME = 16; // '://'
const PERCENT = 32;

/** The mark of one special character (K_SPECIAL) at `i` ("://" for ':'; else 0). */
function mark(v: string, i: number, to: number, c: number): number {
  switch (c) {
    case 0x7b: // {
    case 0x5b: // [
      return BRACE;
    case 0x3d:
      return EQUALS;
    case 0x26:
      return AMPERSAND;
    case 0x3f:
      return QUESTION;
    case 0x25:
      return PERCENT;
    default: // ':'
      return i + 2 < to && v.charCodeAt(i + 1) === 0x2f && v.charCodeAt(i + 2) === 0x2f
        ? SCHEME
        : 0;
  }
}

/** Whether the marks seen in a value make the sink read structure (or escapes) in it. */
function structured(v: string, from: number, to: number, marks: number): boolean {
  if (marks & BRACE) return true;
  if (marks & EQUALS && marks & AMPERSAND) return true;
  if (marks & SCHEME && marks & QUESTION) return true;
  return (marks & PERCENT) !== 0 && looksUrlEncoded(v.slice(from, to));
}

/**
 * A piece the sink would try as base64 and get text from: long enough, of the alphabet
 * (`shape`, the AND of its characters' classes, has `alphabet`), not hex.
 */
function decodes(v: string, start: number, end: number, shape: number, alphabet: number): boolean {
  return (
    end - start >= MIN_BASE64 &&
    (shape & alphabet) !== 0 &&
    (shape & K_HEX) === 0 &&
    base64DecodeText(v.slice(start, end)) !== null
  );
}

/**
 * decodes for a coarse piece or the whole value, which may end in up to two '=' of base64
 * padding ('=' cuts only middle pieces). A padded piece is never hex to the sink, since
 * '=' is no hex digit.
 */
function decodesPadded(v: string, start: number, end: number, shape: number, alphabet: number) {
  if (v.charCodeAt(end - 1) !== 0x3d) return decodes(v, start, end, shape, alphabet);
  let body = end - 1;
  if (body - 1 > start && v.charCodeAt(body - 1) === 0x3d) body--;
  let all = 0xff;
  for (let i = start; i < body; i++) all &= CLASS[v.charCodeAt(i)] as number;
  return decodes(v, start, end, all & ~K_HEX, alphabet);
}

/**
 * True when the token sink would do more with `v` than cut it into pieces: decode it or a
 * piece of it (percent escapes, base64 that reads as text), read structure in it (JSON, an
 * embedded query or URL), or when it is too long or not ASCII (lower-casing non-ASCII text
 * can change its characters, which the folded windows would not see).
 */
export function deepValue(v: string): boolean {
  return deepRange(v, 0, v.length);
}

/**
 * deepValue of `v.slice(from, to)`, without the slice. Walks it once, keeping the current
 * piece at each split level the way TokenSink.split cuts it (coarse, then middle within
 * coarse, then fine within middle), with the AND of its characters' classes.
 */
function deepRange(v: string, from: number, to: number): boolean {
  const n = to - from;
  if (n > MAX_VALUE) return true;
  if (n < MIN_BASE64) return shortDeep(v, from, to);
  let marks = 0;
  let cut = false; // a coarse delimiter inside: else the one coarse piece was the whole
  let all = 0xff;
  let s1 = from;
  let a1 = 0xff;
  let s2 = from;
  let a2 = 0xff;
  let s3 = from;
  let a3 = 0xff;
  for (let i = from; i < to; i++) {
    const c = v.charCodeAt(i);
    if (c >= 128) return true;
    const k = CLASS[c] as number;
    all &= k;
    if (k & K_SPECIAL) marks |= mark(v, i, to, c);
    if (!(k & K_FINE)) {
      a3 &= k;
      a2 &= k;
      a1 &= k;
      continue;
    }
    // A fine piece ends here; tried only if it is not the whole middle piece ending too.
    if (!(s3 === s2 && k & K_MIDDLE) && decodes(v, s3, i, a3, K_B64_FINE)) return true;
    s3 = i + 1;
    a3 = 0xff;
    if (!(k & K_MIDDLE)) {
      a2 &= k;
      a1 &= k;
      continue;
    }
    if (!(s2 === s1 && k & K_COARSE) && decodes(v, s2, i, a2, K_B64)) return true;
    s2 = i + 1;
    a2 = 0xff;
    if (!(k & K_COARSE)) {
      a1 &= k;
      continue;
    }
    cut = true;
    if (decodesPadded(v, s1, i, a1, K_B64)) return true;
    s1 = i + 1;
    a1 = 0xff;
  }
  if (marks !== 0 && structured(v, from, to, marks)) return true;
  // The end closes every piece.
  if (s3 !== s2 && decodes(v, s3, to, a3, K_B64_FINE)) return true;
  if (s2 !== s1 && decodes(v, s2, to, a2, K_B64)) return true;
  if (decodesPadded(v, s1, to, a1, K_B64)) return true;
  // The whole value as base64 (it may hold '/'); without a coarse cut it was the coarse
  // piece just tried.
  return cut && decodesPadded(v, from, to, all, K_B64_WHOLE);
}

/** deepValue of a value too short for any piece of it to be decoded as base64. */
function shortDeep(v: string, from: number, to: number): boolean {
  let marks = 0;
  for (let i = from; i < to; i++) {
    const c = v.charCodeAt(i);
    if (c >= 128) return true;
    if ((CLASS[c] as number) & K_SPECIAL) marks |= mark(v, i, to, c);
  }
  return marks !== 0 && structured(v, from, to, marks);
}

/**
 * The sink's file-extension stem of `path.slice(start, end)` (extract.ts FILE_EXTENSION:
 * 4+ characters, '.', 2 to 4 letters), checked in place: true when it is deep. (The
 * pattern's '.' skips line breaks, this does not: it may check a stem the sink never
 * reads, which only costs a glance.)
 */
function deepStem(path: string, start: number, end: number): boolean {
  if (end - start < 7) return false;
  const dot = path.lastIndexOf('.', end - 1);
  if (dot < end - 5 || dot - start < 4 || end - dot - 1 < 2) return false;
  for (let i = dot + 1; i < end; i++) {
    const c = path.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) return false;
  }
  return deepRange(path, start, dot);
}

/** Whether a path segment (decoded) or its file-extension stem is deep. */
function deepPath(path: string): boolean {
  // Segments are read in place; only one with an escape or a '+' is decoded into a copy.
  const decode = path.includes('%') || path.includes('+');
  for (let start = 0; start <= path.length;) {
    let end = path.indexOf('/', start);
    if (end === -1) end = path.length;
    if (end > start) {
      if (decode) {
        const seg = safeUrlDecode(path.slice(start, end));
        if (deepValue(seg) || deepStem(seg, 0, seg.length)) return true;
      } else if (deepRange(path, start, end) || deepStem(path, start, end)) return true;
    }
    start = end + 1;
  }
  return false;
}

/**
 * Checks the values of a URL the sink reads (path segments and their stems, parameter
 * values) and collects the parameter names; false when one of them is deep. Their text
 * is already in the bitmap: each is a piece of the address or of its decoded form.
 */
function urlValues(url: ParsedUrl, keys: string[]): boolean {
  if (deepPath(url.pathname)) return false;
  if (url.params.length > MAX_PARTS) return false;
  for (const [k, v] of url.params) {
    if (deepValue(v)) return false;
    keys.push(k);
  }
  return true;
}

interface RefererLook {
  text: string;
  /** Windows of the header and of its parsed address; null when the sink would read more. */
  grams: Int32Array | null;
  email: boolean;
}

/**
 * The Referer's tokens are its whole address (as parsed) and its path segments. It is the
 * same for every request of a page, so its look is kept for the next request (the bitmap
 * is only ever read once made).
 */
let lastReferer: RefererLook | null = null;

function refererLook(text: string): RefererLook {
  if (lastReferer?.text === text) return lastReferer;
  let shallow = false;
  let href = text;
  if (text.length <= MAX_URL_CHARS && !text.includes('%') && !text.includes('+')) {
    const r = parseUrl(text);
    href = r.href;
    // A query or fragment is read field by field: left to the tokens (rare on a Referer,
    // which browsers cut to the origin for other sites).
    shallow =
      r.protocol !== '' &&
      r.protocol !== 'data:' &&
      r.search === '' &&
      r.hash === '' &&
      !deepPath(r.pathname);
  }
  let grams: Int32Array | null = null;
  if (shallow) {
    grams = wideGrams();
    addFoldedGrams(grams, text);
    if (href !== text) addFoldedGrams(grams, href);
  }
  lastReferer = { text, grams, email: mayHoldEmail(text) || mayHoldEmail(href) };
  return lastReferer;
}

/**
 * JSON inside a parameter ('{' escaped, as browsers send it), seen in the raw address. Only
 * a shortcut (the values are still checked one by one): a long URL carrying JSON is turned
 * away before its values are walked. ('[' is left out: Meta's `cd[...]` names have it.)
 */
function surelyDeep(href: string): boolean {
  return href.includes('%7B') || href.includes('%7b');
}

function glanceUncached(req: RequestRecord, url: ParsedUrl): Glance | null {
  if (req.body || req.redirectUrl || url.hash !== '' || !url.protocol) return null;
  if (url.protocol === 'data:' || url.href.length > MAX_URL_CHARS) return null;
  if (headerIn(req.responseHeaders ?? [], 'location') !== undefined) return null;
  if (surelyDeep(url.href)) return null;
  const keys: string[] = [];
  if (!urlValues(url, keys)) return null;
  const grams = lendBitmaps();
  addFoldedGrams(grams, url.href);
  let email = mayHoldEmail(url.href);
  // Every decoded path segment and parameter value is a piece of the decoded address:
  // escapes decode run by run, a run never crosses a '/', '&' or '=', and a value whose
  // escapes do not decode keeps a '%XX' and is deep. (It is also the sink's haystack.)
  if (url.href.includes('%') || url.href.includes('+')) {
    const decoded = safeUrlDecode(url.href);
    if (decoded !== url.href) {
      addFoldedGrams(grams, decoded);
      email ||= mayHoldEmail(decoded);
    }
  }
  let cookieGrams: Int32Array | null = null;
  let refererGrams: Int32Array | null = null;
  for (const h of req.requestHeaders) {
    if (isHeader(h.name, 'cookie')) {
      if (h.value.length > MAX_URL_CHARS) return null;
      let pairs = 0;
      for (const pair of h.value.split(';')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) continue;
        if (++pairs > MAX_PARTS) return null;
        let value = pair.slice(eq + 1).trim();
        if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
          value = value.slice(1, -1);
        if (deepValue(value)) return null;
        keys.push(pair.slice(0, eq).trim());
      }
      if (cookieGrams === null) {
        cookieGrams = COOKIE_BITS;
        cookieGrams.fill(0);
      }
      addFoldedGrams(cookieGrams, h.value);
      email ||= mayHoldEmail(h.value);
    } else if (isHeader(h.name, 'referer')) {
      // Two Referer headers would share one bitmap: left to the tokens.
      if (refererGrams !== null) return null;
      const look = refererLook(h.value);
      if (look.grams === null) return null;
      refererGrams = look.grams;
      email ||= look.email;
    }
  }
  owner = { grams: { url: grams, cookie: cookieGrams, referer: refererGrams }, email, keys };
  return owner;
}

// The URL and Cookie bitmaps are made for every glanced request: two are reused rather
// than allocated each time. Only the newest glance owns them; the one before is handed
// bitmaps with every bit set, so a stale glance rules nothing out (it is never wrong,
// only no longer useful).
const URL_BITS = wideGrams();
const COOKIE_BITS = wideGrams();
const ALL_BITS = wideGrams().fill(-1);
let owner: Glance | null = null;

function lendBitmaps(): Int32Array {
  if (owner !== null) {
    const g = owner.grams;
    owner.grams = { url: ALL_BITS, cookie: g.cookie && ALL_BITS, referer: g.referer };
    owner = null;
  }
  URL_BITS.fill(0);
  return URL_BITS;
}

/** The glance of the request last looked at (see glanceOf). */
let lastRequest: RequestRecord | null = null;
let lastGlance: Glance | null = null;

/**
 * The glance of the request being analysed, made once and kept on the RequestContext;
 * null when its detectors must read its tokens. Never throws.
 */
export function requestGlance(
  req: RequestRecord,
  ctx: { url: ParsedUrl; glance?: Glance | null },
): Glance | null {
  if (ctx.glance !== undefined) return ctx.glance;
  let g: Glance | null;
  try {
    g = glanceUncached(req, ctx.url);
  } catch {
    g = null;
  }
  ctx.glance = g;
  lastRequest = req;
  lastGlance = g;
  return g;
}

/** The glance made for `req` if it is the last request looked at, else null (no glance). */
export function glanceOf(req: RequestRecord): Glance | null {
  return req === lastRequest ? lastGlance : null;
}
