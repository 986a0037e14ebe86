// id-sync: an identifier first seen as one third party's (its cookie, its redirect, or a
// value its frame sends out) later sent to a different third party: cookie syncing
// (notes/detection-methods.md §2). The chain is recorded as from-party → to-party with the
// value masked.
//
// Where an id's owner comes from, in order of trust:
// - a cookie of a third party: Set-Cookie on its response, a cookies API event for its
//   domain (both reach detectCookie), or the Cookie header of a request to it;
// - a value a third party's redirect (Location) carries onward;
// - a value a third party's frame sends out (the frame is the request's document): sync
//   iframes such as p.rfihub.com/ca.html fan one id out to a dozen exchanges.
// First sighting wins; later sightings never change the owner.
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
import { registrableDomain } from '../party.ts';
import { defaultKnowledge, type TrackerKnowledge } from '../trackers.ts';
import { hostOf } from '../url.ts';
import { requestTokens, type Extraction, type Token } from '../leaks/extract.ts';
import { requestGlance } from '../leaks/glance.ts';
import { VariantIndex } from '../leaks/match.ts';
import { buildVariants } from '../leaks/variants.ts';
import { maskId } from '../leaks/mask.ts';
import { isClickIdKey, isConsentKey, isSyncKey } from '../leaks/sync-keys.ts';
import {
  encodingWords,
  headerValue,
  identifierCandidates,
  isIdentifierLike,
  isOtherParty,
  LastSeen,
  locationWords,
  storableUrl,
  type IdContext,
} from '../leaks/common.ts';

const ID = 'id-sync';
const MAX_IDS = 1_000;

type Source = 'cookie' | 'redirect' | 'frame';

interface KnownId {
  value: string;
  owner: string;
  organization: string;
  source: Source;
  /** Cookie or parameter name the id was first seen under. */
  name: string;
  /** Parties it has been seen going to (for ids of weaker origin, see below). */
  destinations: Set<string>;
}

interface State {
  index: VariantIndex<KnownId>;
  known: Map<string, KnownId>;
  /** Each party's last Cookie header read, by its domain: a repeat is not split again. */
  lastHeaders: LastSeen;
}

/** Characters of Cookie headers remembered per page (LastSeen). */
const MAX_HEADER_CHARS = 65_536;

function stateOf(page: PageState): State {
  let s = page.scratch.get(ID) as State | undefined;
  if (!s) {
    s = {
      index: new VariantIndex<KnownId>(),
      known: new Map(),
      lastHeaders: new LastSeen(MAX_HEADER_CHARS),
    };
    page.scratch.set(ID, s);
  }
  return s;
}

function learn(
  state: State,
  id: Omit<KnownId, 'value' | 'destinations'>,
  values: readonly string[],
  firstDestination?: string,
): KnownId[] {
  const added: KnownId[] = [];
  for (const value of values) {
    if (state.known.size >= MAX_IDS || state.known.has(value)) continue;
    const known: KnownId = { ...id, value, destinations: new Set() };
    if (firstDestination) known.destinations.add(firstDestination);
    state.known.set(value, known);
    // base64 catches Google's google_hm; md5/sha1 as in WebGraph's checks (§2.4).
    const variants = buildVariants([{ value, form: id.source }], {
      hashes: true,
      hashSet: ['md5', 'sha1'],
    });
    state.index.add(known, variants);
    added.push(known);
  }
  return added;
}

const SOURCE_WORDS: Record<Source, (k: KnownId) => string> = {
  cookie: (k) => `an identifier that ${k.owner} keeps in its cookie "${k.name}"`,
  redirect: (k) => `an identifier that ${k.owner} passed on in a redirect`,
  frame: (k) => `an identifier sent out by a ${k.owner} frame`,
};

export function createIdSync(knowledge?: TrackerKnowledge): RequestDetector & CookieDetector {
  const kb = () => knowledge ?? defaultKnowledge();
  const orgOf = (domain: string) => kb().organizationOfDomain(domain) ?? domain;

  // The frame's registrable domain, kept for the next request from the same document and
  // initiator (nearly all of a page's requests); the Referer is only read when both are empty.
  let frameMemo: { documentUrl: string | null; initiator: string | null; frame: string } | null =
    null;
  function frameOf(req: RequestRecord): string {
    if (
      frameMemo !== null &&
      frameMemo.documentUrl === req.documentUrl &&
      frameMemo.initiator === req.initiator
    )
      return frameMemo.frame;
    const host = hostOf(req.documentUrl) || hostOf(req.initiator);
    if (!host) {
      const referer = hostOf(headerValue(req, 'referer'));
      return referer ? registrableDomain(referer) : '';
    }
    const frame = registrableDomain(host);
    frameMemo = { documentUrl: req.documentUrl, initiator: req.initiator, frame };
    return frame;
  }

  function finding(
    req: RequestRecord,
    ctx: RequestContext,
    k: KnownId,
    t: Pick<Token, 'location' | 'key'>,
    encoding: Finding['encoding'] & string,
  ): Finding[] {
    const once = `${k.owner}|${ctx.party.domain}|${t.key}`;
    if (!firstTimeOnPage(ctx.state.scratch, `${ID}:seen`, once)) return [];
    return [
      makeFinding({
        kind: 'id-sync',
        page: ctx.page,
        party: ctx.party,
        requestUrl: storableUrl(req.url),
        dataTypes: k.source === 'cookie' ? ['cookie-id', 'user-id'] : ['user-id'],
        encoding,
        time: req.time,
        explanation:
          `${describeParty(ctx.party)} received ${SOURCE_WORDS[k.source](k)}, ` +
          `${encodingWords(encoding)} ${locationWords(t.location, t.key)}. Passing one ` +
          `company's id for you to another lets both join what they know about you (cookie syncing).`,
        evidence: {
          rule: `id-sync:${k.source}`,
          location: t.location,
          key: t.key || undefined,
          cookieName: k.source === 'cookie' ? k.name : undefined,
          preview: maskId(k.value),
          details: {
            from: k.owner,
            fromOrganization: k.organization,
            to: ctx.party.domain,
            firstSeenAs: k.name,
          },
        },
      }),
    ];
  }

  return {
    id: ID,
    kinds: ['id-sync'],

    detectCookie(cookie: CookieEvent, ctx: CookieContext): Finding[] {
      if (cookie.removed || ctx.party.firstParty || !ctx.party.domain) return [];
      if (isConsentCookie(cookie.name)) return [];
      const idCtx: IdContext = { pageUrl: ctx.page.url, now: ctx.now };
      learn(
        stateOf(ctx.state),
        {
          owner: ctx.party.domain,
          organization: ctx.party.organization,
          source: 'cookie',
          name: cookie.name,
        },
        identifierCandidates(cookie.value, idCtx),
      );
      return [];
    },

    detectRequest(req: RequestRecord, ctx: RequestContext): Finding[] {
      const dest = ctx.party;
      if (!isOtherParty(dest)) return [];
      const state = stateOf(ctx.state);
      // Tokens only when a step below needs them: most requests carry no known id and do
      // not come from another party's frame (see leaks/glance.ts).
      let extraction: Extraction | null = null;
      const tokens = () => (extraction ??= requestTokens(req, ctx));
      const glance = requestGlance(req, ctx);
      const idCtx: IdContext = {
        pageUrl: ctx.page.url,
        userAgent: headerValue(req, 'user-agent'),
        now: req.time,
      };
      const findings: Finding[] = [];
      const outgoing = (t: Pick<Token, 'location'>) =>
        t.location === 'query' ||
        t.location === 'body' ||
        t.location === 'path' ||
        t.location === 'fragment';

      // 1. Known ids of another party in what this request sends out.
      if (state.index.size > 0 && (glance === null || state.index.mayMatch(glance, ['url']))) {
        for (const m of state.index.match(tokens(), { substring: false })) {
          const k = m.owner;
          if (!outgoing(m) || isConsentKey(m.key) || isClickIdKey(m.key)) continue;
          if (k.owner === dest.domain || k.owner === ctx.page.site) continue;
          if (k.organization === dest.organization || orgOf(k.owner) === orgOf(dest.domain))
            continue;
          // A value of weaker origin (a redirect or frame passed it on, no cookie holds it)
          // counts once it reaches a second company, or when a sync parameter carries it:
          // a partner's configuration id in one redirect is not a sync.
          const weak = k.source !== 'cookie';
          const elsewhere = [...k.destinations].some((d) => d !== dest.domain);
          k.destinations.add(dest.domain);
          if (weak && !elsewhere && !isSyncKey(m.key)) continue;
          findings.push(...finding(req, ctx, k, m, m.encoding));
        }
      }

      // 2. A third party's frame sending values to this (different) party.
      const frame = frameOf(req);
      if (
        frame &&
        frame !== ctx.page.site &&
        frame !== dest.domain &&
        orgOf(frame) !== orgOf(dest.domain)
      ) {
        const wholeKeys = new Set<string>();
        for (const t of tokens().tokens) {
          if (!outgoing(t) || isConsentKey(t.key) || isClickIdKey(t.key)) continue;
          const sync = isSyncKey(t.key);
          // Pieces only for sync parameters whose whole value was no id (setuids('…','')).
          if ((t.part && (!sync || wholeKeys.has(t.key))) || !isIdentifierLike(t.value, idCtx))
            continue;
          if (!t.part) wholeKeys.add(t.key);
          const id = {
            owner: frame,
            organization: orgOf(frame),
            source: 'frame' as const,
            name: t.key,
          };
          const k = learn(state, id, [t.value], dest.domain)[0];
          if (sync && k) findings.push(...finding(req, ctx, k, t, t.encoding));
        }
      }

      // 3. This party's own ids: its cookies...
      const cookieHeader = headerValue(req, 'cookie');
      if (cookieHeader && !state.lastHeaders.repeats(dest.domain, cookieHeader)) {
        for (const pair of cookieHeader.split(';').slice(0, 100)) {
          const eq = pair.indexOf('=');
          const name = pair.slice(0, eq).trim();
          if (eq <= 0 || isConsentCookie(name)) continue;
          learn(
            state,
            { owner: dest.domain, organization: dest.organization, source: 'cookie', name },
            identifierCandidates(pair.slice(eq + 1).trim(), idCtx),
          );
        }
      }
      // ...and what its redirect hands on to another party (not what it was itself given).
      const target = req.redirectUrl ? registrableDomain(hostOf(req.redirectUrl)) : '';
      if (target && target !== dest.domain) {
        const x = tokens();
        const received = new Set(x.tokens.filter(outgoing).map((t) => t.value));
        for (const t of x.tokens) {
          if (
            t.location !== 'redirect' ||
            t.part ||
            t.key.startsWith('path[') ||
            received.has(t.value)
          )
            continue;
          if (isConsentKey(t.key) || isClickIdKey(t.key) || !isIdentifierLike(t.value, idCtx))
            continue;
          const id = {
            owner: dest.domain,
            organization: dest.organization,
            source: 'redirect' as const,
            name: t.key,
          };
          learn(state, id, [t.value], target);
        }
      }
      return findings;
    },
  };
}

export const idSync = createIdSync();
