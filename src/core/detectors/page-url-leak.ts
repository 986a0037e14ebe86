// page-url-leak: the page address, its path, its query, the title (Analyzer.setPageTitle puts
// it in PageState.scratch under 'page-title'; the extension's relay reports the top document's
// title), or on-site search terms sent to a third party. Titles shorter than MIN_TITLE or made
// only of generic words ("Home", "Log in") are not matched.
//
// Two cases are told apart because they mean different things:
// - sent on purpose: a script put the address in a parameter or body (Facebook's `dl=`,
//   Google Analytics' `dl=`, `url=`): dataTypes page-url / search-terms;
// - sent by the browser: the full address (with path or query) in the Referer header of
//   a third-party request, which a referrer policy could have trimmed: dataTypes referrer.
import type { DataType, Finding, RequestRecord } from '../model.ts';
import type { PageState, RequestContext, RequestDetector } from './types.ts';
import { describeParty, firstTimeOnPage, makeFinding } from './finding.ts';
import { parseUrl, safeDecode } from '../url.ts';
import { requestTokens, urlValueTokens, type Token, type ValueUse } from '../leaks/extract.ts';
import { neverAPiece } from '../leaks/tokens.ts';
import { requestGlance } from '../leaks/glance.ts';
import { foldedGramKeys, mayContainFolded } from '../leaks/grams.ts';
import { maskText, maskUrl } from '../leaks/mask.ts';
import {
  encodingWords,
  headerValue,
  isOtherParty,
  locationWords,
  storableUrl,
} from '../leaks/common.ts';

const ID = 'page-url-leak';
/** Page parameters that hold what the visitor searched for on the site. */
const SEARCH_KEYS = new Set([
  'q',
  'query',
  's',
  'search',
  'searchterm',
  'search_query',
  'keyword',
  'keywords',
  'k',
  'term',
  'text',
]);
const MIN_PIECE = 8;
/** A title shorter than this says too little about the page to call its sending a leak. */
export const MIN_TITLE = 12;
/**
 * Words that name no page in particular: a title made only of these ("Home", "Log in",
 * "Welcome - Home page") is not matched, since many sites share it and a match is chance.
 */
const GENERIC_TITLE_WORDS = new Set([
  'home',
  'homepage',
  'page',
  'welcome',
  'index',
  'main',
  'untitled',
  'document',
  'loading',
  'login',
  'log',
  'in',
  'sign',
  'signin',
  'up',
  'register',
  'account',
  'my',
  'cart',
  'basket',
  'checkout',
  'search',
  'results',
  'error',
  'not',
  'found',
  '404',
  'the',
  'a',
  'to',
  'of',
  'and',
  'new',
  'tab',
  'blank',
  'about',
  'contact',
  'us',
  'your',
  'for',
  'with',
  'out',
  'logout',
  'password',
  'reset',
  'settings',
  'profile',
  'dashboard',
]);

/** The title worth matching, lower-cased; null when too short or only generic words. */
export function titlePiece(title: unknown): string | null {
  if (typeof title !== 'string') return null;
  const t = title.replace(/\s+/g, ' ').trim().toLowerCase();
  if (t.length < MIN_TITLE) return null;
  const words = t.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.every((w) => GENERIC_TITLE_WORDS.has(w))) return null;
  return t;
}

interface Piece {
  value: string;
  dataType: DataType;
  what: string;
  /** The page title (its preview is masked as text, not as the page address). */
  title?: boolean;
}

/** Lower-cased, no fragment, no trailing slash: `https://a.com/x/` and `https://a.com/x` match. */
function normalize(url: string): string {
  const hash = url.indexOf('#');
  const u = (hash === -1 ? url : url.slice(0, hash)).toLowerCase();
  return u.endsWith('/') ? u.slice(0, -1) : u;
}

function piecesOf(state: PageState, pageUrl: string): Piece[] {
  // The title arrives later than the address (from the page-world relay): both key the
  // cache. The title as the analyzer keeps it is compared, not the piece made of it: one
  // string comparison per request (the same string object, until a new title comes)
  // instead of titlePiece's patterns and word split on every third-party request.
  const rawTitle = state.scratch.get('page-title');
  const cached = state.scratch.get(ID) as
    { url: string; rawTitle: unknown; pieces: Piece[] } | undefined;
  if (cached?.url === pageUrl && cached.rawTitle === rawTitle) return cached.pieces;
  const title = titlePiece(rawTitle);
  const u = parseUrl(pageUrl);
  const pieces: Piece[] = [];
  if (u.host) {
    pieces.push({
      value: normalize(u.href),
      dataType: 'page-url',
      what: 'the address of the page',
    });
    if (u.search) {
      pieces.push({
        value: normalize(u.href.split('?')[0] ?? ''),
        dataType: 'page-url',
        what: 'the address of the page',
      });
    }
    const path = safeDecode(u.pathname).toLowerCase();
    if (path.length >= MIN_PIECE)
      pieces.push({ value: path, dataType: 'page-url', what: 'the path of the page' });
    if (u.search.length >= MIN_PIECE) {
      pieces.push({
        value: safeDecode(u.search).toLowerCase(),
        dataType: 'page-url',
        what: 'the query of the page address',
      });
    }
    for (const [k, v] of u.params) {
      const term = v.trim().toLowerCase();
      if (SEARCH_KEYS.has(k.toLowerCase()) && term.length >= 3) {
        pieces.push({
          value: term,
          dataType: 'search-terms',
          what: 'what the visitor searched for on the site',
        });
      }
    }
  }
  if (title && !pieces.some((p) => p.value === title)) {
    pieces.push({ value: title, dataType: 'page-url', what: 'the title of the page', title: true });
  }
  state.scratch.set(ID, { url: pageUrl, rawTitle, pieces, ...lookup(pieces, pageUrl) });
  return pieces;
}

interface PieceLookup {
  byValue: Map<string, Piece>;
  /** Shortest piece: an ASCII token shorter than this cannot match any piece. */
  minLength: number;
  /** Every piece's length (see mustHaveLength). */
  lengths: Set<number>;
  /** Each piece's case-folded windows, to rule a glanced request out (leaks/glance.ts). */
  folded: Uint16Array[];
  /** How much of a glanced request's value holding each piece needs tokens (detectRequest). */
  uses: ValueUse[];
  /** The page address normalized, for the Referer check. */
  page: string;
}

/** Built once per page (pieces are cached per page), not once per request. */
function lookup(pieces: readonly Piece[], pageUrl: string): PieceLookup {
  return {
    byValue: new Map(pieces.map((p) => [p.value, p] as const)),
    minLength: Math.min(...pieces.map((p) => p.value.length)),
    lengths: new Set(pieces.map((p) => p.value.length)),
    folded: pieces.map((p) => foldedGramKeys(p.value)),
    // A token matches a piece when it is the piece once trimmed, lower-cased and cut at
    // '#' or a trailing '/' (normalize), so a piece with a coarse delimiter (an address,
    // a path, a title with spaces) can only be a whole value, never a split piece of one.
    uses: pieces.map((p) => (neverAPiece(p.value) ? 'whole' : 'all')),
    page: normalize(pageUrl),
  };
}

/**
 * True when a token is looked up with its own length only: ASCII (lower-casing keeps the
 * length), no white space at either end (nothing to trim), no '#' and no trailing '/'
 * (normalize cuts nothing). Such a token can match only a piece of exactly its length.
 */
function mustHaveLength(v: string): boolean {
  const first = v.charCodeAt(0);
  const last = v.charCodeAt(v.length - 1);
  return (
    first > 0x20 &&
    last > 0x20 &&
    last !== 0x2f && // '/'
    !v.includes('#') &&
    !NON_ASCII.test(v)
  );
}

function lookupOf(state: PageState, pieces: readonly Piece[], pageUrl: string): PieceLookup {
  const cached = state.scratch.get(ID) as (PieceLookup & { pieces: Piece[] }) | undefined;
  return cached?.pieces === pieces ? cached : lookup(pieces, pageUrl);
}

/** Lower-casing can lengthen a few non-ASCII letters (İ); ASCII never grows. */
const NON_ASCII = /[\u0080-\uffff]/;

export const pageUrlLeak: RequestDetector = {
  id: ID,
  kinds: ['page-url-leak'],

  detectRequest(req: RequestRecord, ctx: RequestContext): Finding[] {
    if (!isOtherParty(ctx.party)) return [];
    const pieces = piecesOf(ctx.state, ctx.page.url);
    if (pieces.length === 0) return [];
    const { byValue, minLength, lengths, folded, uses, page } = lookupOf(
      ctx.state,
      pieces,
      ctx.page.url,
    );
    const findings: Finding[] = [];
    const emit = (
      p: Piece | { dataType: DataType; what: string },
      location: string,
      key: string,
      // Built only for a first sighting: previews parse URLs, explanations build strings.
      build: () => Omit<
        Parameters<typeof makeFinding>[0],
        'kind' | 'page' | 'party' | 'time' | 'requestUrl'
      >,
    ) => {
      const once = `${ctx.party.domain}|${p.dataType}|${location}|${key}`;
      if (!firstTimeOnPage(ctx.state.scratch, `${ID}:seen`, once)) return;
      findings.push(
        makeFinding({
          ...build(),
          kind: 'page-url-leak',
          page: ctx.page,
          party: ctx.party,
          time: req.time,
          requestUrl: storableUrl(req.url),
        }),
      );
    };

    const matched = new Set<DataType>();
    // A token matches a piece only when it holds the piece's characters (trimming,
    // lower-casing and normalizing only cut): a glanced request without any piece's
    // windows has no such token and is not tokenized for this.
    const glance = requestGlance(req, ctx);
    const mayHold =
      glance === null || folded.some((keys) => mayContainFolded(glance.grams.url, keys));
    let tokens: readonly Token[] = [];
    if (mayHold) {
      // A glanced request's tokens here are its URL values and their pieces: only a value
      // holding a piece can give a matching token, so only those are tokenized, and only
      // as far as a piece it holds can match (a value that is the page address, sent
      // whole, needs no pieces). A request that sends the page address is seldom one whose
      // other tokens anyone needs.
      const some =
        glance !== null && ctx.extraction === undefined
          ? urlValueTokens(ctx.url, (v) => {
              let use: ValueUse = 'none';
              for (let i = 0; i < pieces.length; i++) {
                if (!v.includes((pieces[i] as Piece).value)) continue;
                if (uses[i] === 'all') return 'all';
                use = 'whole';
              }
              return use;
            })
          : null;
      tokens = some ?? requestTokens(req, ctx).tokens;
    }
    for (const t of tokens) {
      if (
        t.location !== 'query' &&
        t.location !== 'body' &&
        t.location !== 'fragment' &&
        t.location !== 'path'
      )
        continue;
      if (t.value.length < 3 || t.value.length > 16_384) continue;
      // Trimming, lower-casing (ASCII) and normalizing only shorten: too short never matches.
      if (t.value.length < minLength && !NON_ASCII.test(t.value)) continue;
      // Most tokens: no piece has their length, and nothing could change it.
      if (!lengths.has(t.value.length) && mustHaveLength(t.value)) continue;
      const v = t.value.trim().toLowerCase();
      const p = byValue.get(v) ?? byValue.get(normalize(v));
      if (!p || (matched.has(p.dataType) && t.part)) continue;
      matched.add(p.dataType);
      emit(p, t.location, t.key, () => ({
        dataTypes: [p.dataType],
        encoding: t.encoding,
        explanation:
          `${describeParty(ctx.party)} was sent ${p.what} ${locationWords(t.location, t.key)}` +
          `${t.encoding === 'plain' ? '' : ` (${encodingWords(t.encoding)})`}: a script put it there on purpose, ` +
          `so this company learns which pages you read${p.dataType === 'search-terms' ? ' and what you searched for' : ''}.`,
        evidence: {
          rule: p.title ? 'page-title-in-parameter' : `page-url-in-parameter:${p.dataType}`,
          location: t.location,
          key: t.key || undefined,
          preview:
            p.dataType === 'search-terms' || p.title ? maskText(t.value) : maskUrl(ctx.page.url),
        },
      }));
    }

    // The browser's Referer: only a leak when it carries more than the site's origin.
    const referer = headerValue(req, 'referer');
    // normalize only shortens ASCII: a Referer shorter than the page's address (the origin
    // that browsers send to other sites) is not it.
    if (
      referer &&
      (referer.length >= page.length || NON_ASCII.test(referer)) &&
      normalize(referer) === page
    ) {
      const r = parseUrl(referer);
      if ((r.pathname.length > 1 || r.search.length > 0) && r.host) {
        emit(
          { dataType: 'referrer', what: 'the full page address' },
          'referer-header',
          'Referer',
          () => ({
            dataTypes: ['referrer'],
            encoding: 'plain',
            explanation:
              `The browser sent the full address of this page (path${r.search ? ' and query' : ''}) to ` +
              `${describeParty(ctx.party)} in the Referer header; no script chose to, and a stricter ` +
              `referrer policy on the site would send only the site's name.`,
            evidence: {
              rule: 'page-url-in-referer',
              location: 'referer-header',
              key: 'Referer',
              preview: maskUrl(referer),
            },
          }),
        );
      }
    }
    return findings;
  },
};
