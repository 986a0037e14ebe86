// cookie-sharing: a first-party cookie value sent to a third party, verbatim or encoded.
//
// Privacy Badger's pixel-cookie-sharing idea (notes/detection-methods.md §3) generalized
// to every request type, to bodies and headers, and to url/base64/hash encodings. First-
// party cookie values are learned from cookie events (Set-Cookie on first-party responses
// and cookies API writes, which reach detectCookie) and from the Cookie header of
// first-party requests; each qualifying value (and qualifying pieces of it) is turned into
// its variants once, then every third-party request is matched against them.
import type { CookieEvent, Finding, RequestRecord } from '../model.ts';
import type {
  CookieContext,
  CookieDetector,
  PageState,
  RequestContext,
  RequestDetector,
} from './types.ts';
import { describeParty, firstTimeOnPage, makeFinding } from './finding.ts';
import { isConsentCookie } from './identifier-cookie.ts';
import { requestTokens } from '../leaks/extract.ts';
import { requestGlance } from '../leaks/glance.ts';
import { VariantIndex } from '../leaks/match.ts';
import { buildVariants } from '../leaks/variants.ts';
import { maskId } from '../leaks/mask.ts';
import {
  encodingWords,
  headerValue,
  identifierCandidates,
  isOtherParty,
  LastSeen,
  locationWords,
  storableUrl,
} from '../leaks/common.ts';

const ID = 'cookie-sharing';
/** Values remembered per page; a page setting more cookies than this is not typical. */
const MAX_VALUES = 300;
/**
 * Cookie pairs remembered as judged per page, and their characters in all: a memory bound
 * against a page that varies many long cookies (past it, pairs are judged again, as before
 * the memo). Long pairs are the ones worth remembering: real sites send pairs of 200 to
 * 500 characters on every request (2 of 10 on walmart.com's), and judging one again
 * splits it into pieces and estimates each piece's entropy.
 */
const MAX_JUDGED = 400;
const MAX_JUDGED_CHARS = 65_536;

interface SharedCookie {
  name: string;
  domain: string;
  /** The candidate (whole value or a piece) kept in memory for matching only. */
  value: string;
  whole: boolean;
}

interface State {
  index: VariantIndex<SharedCookie>;
  known: Set<string>;
  /**
   * Cookie pairs already judged on this page, as sent: a site's Cookie header repeats on
   * each of its requests, and judging the same value again finds the same candidates.
   */
  judged: Set<string>;
  /** Characters of the pairs in `judged`. */
  judgedChars: number;
  /** The site's last Cookie header read (within MAX_JUDGED_CHARS): a repeat is not split again. */
  lastHeaders: LastSeen;
}

function stateOf(page: PageState): State {
  let s = page.scratch.get(ID) as State | undefined;
  if (!s) {
    s = {
      index: new VariantIndex<SharedCookie>((c) => c.name),
      known: new Set(),
      judged: new Set(),
      judgedChars: 0,
      lastHeaders: new LastSeen(MAX_JUDGED_CHARS),
    };
    page.scratch.set(ID, s);
  }
  return s;
}

function remember(
  state: State,
  name: string,
  domain: string,
  value: string,
  ctx: { pageUrl: string; userAgent?: string; now: number },
): void {
  if (state.known.size >= MAX_VALUES || isConsentCookie(name)) return;
  for (const candidate of identifierCandidates(value, ctx)) {
    const key = `${name}\u0000${candidate}`;
    if (state.known.has(key)) continue;
    state.known.add(key);
    const owner: SharedCookie = { name, domain, value: candidate, whole: candidate === value };
    // md5/sha1/sha256 as in CookieGraph's obfuscation checks (§2.4); no sha512 for cookies.
    const variants = buildVariants([{ value: candidate, form: 'cookie' }], {
      hashes: true,
      hashSet: ['md5', 'sha1', 'sha256'],
    });
    state.index.add(owner, variants);
  }
}

function learnFromCookieHeader(state: State, req: RequestRecord, ctx: RequestContext): void {
  const header = headerValue(req, 'cookie');
  if (!header || state.lastHeaders.repeats(ctx.party.domain, header)) return;
  const idCtx = { pageUrl: ctx.page.url, userAgent: headerValue(req, 'user-agent'), now: req.time };
  for (const pair of header.split(';').slice(0, 100)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    if (state.judged.has(pair)) continue;
    if (state.judged.size < MAX_JUDGED && state.judgedChars + pair.length <= MAX_JUDGED_CHARS) {
      state.judged.add(pair);
      state.judgedChars += pair.length;
    }
    remember(state, pair.slice(0, eq).trim(), ctx.party.domain, pair.slice(eq + 1).trim(), idCtx);
  }
}

export const cookieSharing: RequestDetector & CookieDetector = {
  id: ID,
  kinds: ['cookie-sharing'],

  detectCookie(cookie: CookieEvent, ctx: CookieContext): Finding[] {
    if (cookie.removed || !ctx.party.firstParty || !ctx.party.domain) return [];
    remember(stateOf(ctx.state), cookie.name, cookie.domain, cookie.value, {
      pageUrl: ctx.page.url,
      now: ctx.now,
    });
    return [];
  },

  detectRequest(req: RequestRecord, ctx: RequestContext): Finding[] {
    const state = stateOf(ctx.state);
    if (ctx.party.firstParty) {
      learnFromCookieHeader(state, req, ctx);
      return [];
    }
    if (!isOtherParty(ctx.party) || state.index.size === 0) return [];
    // No value of the site's cookies can be in this request (matches in the Referer are
    // not reported, see below): no need for its tokens.
    const glance = requestGlance(req, ctx);
    if (glance !== null && !state.index.mayMatch(glance, ['url', 'cookie'])) return [];
    const userAgent = headerValue(req, 'user-agent') ?? '';
    const findings: Finding[] = [];
    for (const m of state.index.match(requestTokens(req, ctx))) {
      // A value that is also a piece of the user agent is a version string, not an id.
      if (userAgent.includes(m.owner.value)) continue;
      // The Referer is the page or a frame address: page-url-leak reports it, and a frame
      // address that carries the id was itself a request that is reported on its own.
      // A redirect target carrying it is reported when the browser follows it.
      if (m.location === 'referer-header' || m.location === 'redirect') continue;
      const once = `${m.owner.name}|${ctx.party.domain}|${m.location}|${m.key}`;
      if (!firstTimeOnPage(ctx.state.scratch, `${ID}:seen`, once)) continue;
      const what = m.owner.whole ? 'the value' : 'part of the value';
      findings.push(
        makeFinding({
          kind: 'cookie-sharing',
          page: ctx.page,
          party: ctx.party,
          requestUrl: storableUrl(req.url),
          dataTypes: ['cookie-id'],
          encoding: m.encoding,
          time: req.time,
          explanation:
            `${describeParty(ctx.party)} received ${what} of the site's own cookie ` +
            `"${m.owner.name}", an identifier, ${encodingWords(m.encoding)} ` +
            `${locationWords(m.location, m.key)}. The site's visitor id now reaches a third party.`,
          evidence: {
            rule: 'first-party-cookie-value',
            location: m.location,
            key: m.key || undefined,
            cookieName: m.owner.name,
            preview: maskId(m.owner.value),
            details: {
              cookieDomain: m.owner.domain,
              wholeValue: m.owner.whole,
              substring: m.substring,
            },
          },
        }),
      );
    }
    return findings;
  },
};
