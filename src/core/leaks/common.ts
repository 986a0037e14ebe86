// Helpers the leak detectors share: "is this value an identifier worth following", "is
// this request going to somebody else", and a request URL that is safe to store.
import type { PartyInfo, RequestRecord } from '../model.ts';
import { estimateMaxEntropy, isLowEntropyValue, looksLikeTimestamp } from '../entropy.ts';
import { maskUrl } from './mask.ts';
import { headerIn } from '../header-name.ts';

export const MIN_ID_LENGTH = 8;
/** Privacy Badger's threshold for "carries enough bits to single someone out" (§3). */
export const MIN_ID_BITS = 33;
const MAX_ID_LENGTH = 256;
const ID_CHARSET = /^[A-Za-z0-9._~+/=:|-]+$/;

// Words that make a value look random to the entropy estimate without identifying anyone
// (Privacy Badger strips a similar list before re-testing, §3), plus common URL pieces.
export const COMMON_WORDS: readonly string[] = [
  'https',
  'http',
  'www',
  'undefined',
  'impression',
  'session',
  'homepage',
  'client',
  'version',
  'business',
  'title',
  'category',
  'account',
  'page',
  'view',
  'visit',
  'platform',
  'language',
  'automatic',
  'disabled',
  'enabled',
  'landing',
  'anonymous',
  'default',
  'desktop',
  'mobile',
  'false',
  'true',
  'null',
  'guest',
  'consent',
  'accepted',
];

export interface IdContext {
  /** The page URL: pieces of it are echoed everywhere (dl=, url=) and are not ids. */
  pageUrl: string;
  /** The browser's user agent, when known: its pieces are not ids either. */
  userAgent?: string;
  now: number;
}

/**
 * True when `value` could single a person out: long enough, more than 33 bits of estimated
 * entropy once common words are removed, not a timestamp, not a flag or language code, not
 * a piece of the page URL or user agent, and not a single-case run of letters (a word).
 */
export function isIdentifierLike(value: string, ctx: IdContext): boolean {
  if (value.length < MIN_ID_LENGTH || value.length > MAX_ID_LENGTH) return false;
  // Ids are made of letters, digits and a few joiners (base64 included). Spaces, commas,
  // quotes or percent escapes mean text, lists or URLs, not an id.
  if (!ID_CHARSET.test(value) || value.includes('://')) return false;
  if (isLowEntropyValue(value) || looksLikeTimestamp(value, ctx.now)) return false;
  const pieces = value.split(/[._~:-]+/);
  // A run of single-case letters is a word ("homepage", "krux_digital", "pixel.gif")...
  const letters = pieces.join('');
  if (/^[a-z]+$/.test(letters) || /^[A-Z]+$/.test(letters)) return false;
  if (pieces.every((p) => /^[A-Z]?[a-z]*$/.test(p))) return false; // "Ferguson", "Home-Page"

  // ...and a chain of short pieces is a list of flags ("w.c.ss.fst.frv1"), not an id.
  if (pieces.length > 2 && pieces.every((p) => p.length < 6)) return false;
  if (ctx.pageUrl.includes(value)) return false;
  if (ctx.userAgent?.includes(value)) return false;
  // Blank out common words (positions kept, so later words are found in the same place).
  // The value is ASCII here (ID_CHARSET), so code-unit positions are character positions.
  const lower = value.toLowerCase();
  let keep: Uint8Array | null = null; // built only when some word occurs (most ids: none)
  for (const w of COMMON_WORDS) {
    const i = lower.indexOf(w);
    if (i === -1) continue;
    keep ??= new Uint8Array(value.length).fill(1);
    keep.fill(0, i, i + w.length);
  }
  let rest = value;
  if (keep !== null) {
    rest = '';
    for (let i = 0; i < value.length; i++) if (keep[i] === 1) rest += value.charAt(i);
  }
  if (rest.length < MIN_ID_LENGTH) return false;
  return estimateMaxEntropy(rest) > MIN_ID_BITS;
}

/**
 * Candidate identifiers inside a cookie-like value: the whole value, its pieces split on
 * the usual separators, and the tails of dotted values (GA1.2.<id>.<time> is sent as
 * cid=<id>.<time>; fb.1.<time>.<random> as is).
 */
export function identifierCandidates(value: string, ctx: IdContext): string[] {
  const out = new Set<string>();
  // The same piece comes up several times (a value without dots is its own tail and its
  // own fine piece): the verdict depends on the text only, so each is judged once.
  const tried = new Set<string>();
  const consider = (v: string) => {
    if (tried.has(v)) return;
    tried.add(v);
    if (isIdentifierLike(v, ctx)) out.add(v);
  };
  consider(value);
  if (value.length > 512) return [...out];
  for (const piece of value.split(/[&|,;:=\s]+/)) {
    consider(piece);
    const dots = piece.split('.');
    if (dots.length > 2) {
      consider(dots.slice(1).join('.'));
      consider(dots.slice(2).join('.'));
    }
    for (const fine of piece.split(/[._~-]+/)) consider(fine);
    if (out.size >= 8) break;
  }
  return [...out];
}

/**
 * The last value read per key (a party's Cookie header), bounded by characters in all. A
 * site or a tracker gets the same Cookie header on run after run of its requests: one
 * string comparison turns a repeat away before it is split and each piece judged. Past
 * the bound a value is not kept (a hostile page's 700 KB headers, on each of the pages
 * the analyzer keeps), so it is read each time.
 */
export class LastSeen {
  private readonly last = new Map<string, string>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  /** True when `value` is the one last read for `key`; else keeps it (within the bound). */
  repeats(key: string, value: string): boolean {
    const last = this.last.get(key);
    if (last === value) return true;
    if (last !== undefined) {
      this.last.delete(key);
      this.chars -= last.length;
    }
    if (this.chars + value.length <= this.maxChars) {
      this.last.set(key, value);
      this.chars += value.length;
    }
    return false;
  }
}

/** A party that is neither the page's site nor a sister domain of the same company. */
export function isOtherParty(party: PartyInfo): boolean {
  return party.domain !== '' && !party.firstParty && !party.sameOrganization;
}

/** A request header's value; `lower` is its name in lower case. */
export function headerValue(req: RequestRecord, lower: string): string | undefined {
  return headerIn(req.requestHeaders, lower);
}

/** An '@' as sent, escaped, or escaped twice (`%2540`, which a detector decodes too). */
const EMAILISH = /@|%40|%2540/i;

/**
 * The request URL to keep in a finding: as is, unless it may carry personal data (an '@'
 * anywhere, or the caller knows it does), in which case only origin, path and parameter
 * names are kept.
 */
export function storableUrl(url: string, sensitive = false): string {
  return sensitive || EMAILISH.test(url) ? maskUrl(url) : url;
}

/** Plain words for an encoding, for explanations. */
export function encodingWords(encoding: string): string {
  switch (encoding) {
    case 'plain':
      return 'as plain text';
    case 'url':
      return 'URL-encoded';
    case 'base64':
      return 'base64-encoded';
    default:
      return `as a ${encoding.toUpperCase()} hash`;
  }
}

/** Where a value travelled, in words: 'in the query parameter "dl"'. */
export function locationWords(location: string, key: string): string {
  const k = key ? ` "${key}"` : '';
  switch (location) {
    case 'query':
      return key ? `in the URL parameter${k}` : 'in the URL';
    case 'path':
      return 'in the URL path';
    case 'fragment':
      return 'in the URL fragment';
    case 'body':
      return key ? `in the request body field${k}` : 'in the request body';
    case 'cookie-header':
      return `in the Cookie header${k ? ` (cookie${k})` : ''}`;
    case 'referer-header':
      return 'in the Referer header';
    case 'redirect':
      return 'in a redirect address';
    default:
      return `in the ${location}`;
  }
}
