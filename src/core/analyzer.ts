// The core analysis: one request or cookie event in, party and findings out. Pure (no
// browser APIs), so the extension, HAR import, the CLI and the bench share it.
//
// Resilience: every public method catches everything. Each detector runs in its own
// try/catch, so one detector failing on hostile input costs only its own findings.
import type { Analyzer, CookieAnalysis, RequestAnalysis } from './analysis.ts';
import type { CookieEvent, Finding, PageContext, PartyInfo, RequestRecord } from './model.ts';
import type {
  CookieContext,
  CookieDetector,
  PageState,
  ParsedUrl,
  RequestContext,
  RequestDetector,
} from './detectors/types.ts';
import { COOKIE_DETECTORS, REQUEST_DETECTORS } from './detectors/index.ts';
import { uncloak, type HostAliases } from './detectors/cname-cloaking.ts';
import { assessIdentifierValue } from './detectors/identifier-cookie.ts';
import { NO_PARTY, pageParty, registrableDomain, resolveParty } from './party.ts';
import { cookiesFromHeaders } from './set-cookie.ts';
import { defaultKnowledge, type TrackerKnowledge } from './trackers.ts';
import { hostOf, normalizeHost, parseUrl } from './url.ts';
import { defaultSecrets } from './leaks/secrets.ts';

/** Pages whose state is kept; a tab that never says endPage cannot grow memory forever. */
export const MAX_PAGES = 50;
/** Characters of a page title kept (the relay sends at most this many too). */
export const MAX_TITLE_CHARS = 300;
/** Cookies remembered per page (for cross-request detectors). */
const MAX_COOKIES_PER_PAGE = 2_000;

export interface AnalyzerOptions {
  /** Replace the registered detectors (tests, the bench). Defaults to detectors/index.ts. */
  requestDetectors?: readonly RequestDetector[];
  cookieDetectors?: readonly CookieDetector[];
  /** Called when a detector throws; the analysis goes on without its findings. */
  onDetectorError?: (detectorId: string, error: unknown) => void;
  /**
   * Canonical names (CNAMEs) of hosts, where the platform can resolve them (Firefox). A
   * first-party host that is an alias of a tracker is analysed as that tracker's request.
   */
  aliases?: HostAliases;
}

export function createAnalyzer(
  knowledge?: TrackerKnowledge,
  options: AnalyzerOptions = {},
): Analyzer {
  const kb = knowledge ?? defaultKnowledge();
  const requestDetectors = options.requestDetectors ?? REQUEST_DETECTORS;
  const cookieDetectors = options.cookieDetectors ?? COOKIE_DETECTORS;
  const onError = options.onDetectorError ?? (() => undefined);
  const aliases = options.aliases;
  const pages = new Map<string, PageState>();

  function stateOf(pageId: string): PageState {
    let s = pages.get(pageId);
    if (!s) {
      s = { cookies: new Map(), scratch: new Map() };
      pages.set(pageId, s);
      // Map keeps insertion order: the first key is the oldest page.
      while (pages.size > MAX_PAGES) {
        const oldest = pages.keys().next().value;
        if (oldest === undefined) break;
        pages.delete(oldest);
      }
    }
    return s;
  }

  function runCookieDetectors(
    page: PageContext,
    cookie: CookieEvent,
    party: PartyInfo,
    now: number,
  ): Finding[] {
    const state = stateOf(page.pageId);
    const ctx: CookieContext = { page, party, state, now };
    const findings: Finding[] = [];
    for (const d of cookieDetectors) {
      try {
        findings.push(...d.detectCookie(cookie, ctx));
      } catch (e) {
        onError(d.id, e);
      }
    }
    // Remembered after detection, so detectors can compare with the previous value.
    const key = `${cookie.domain}|${cookie.name}`;
    if (cookie.removed) state.cookies.delete(key);
    else if (state.cookies.has(key) || state.cookies.size < MAX_COOKIES_PER_PAGE)
      state.cookies.set(key, cookie);
    return findings;
  }

  function cookieParty(page: PageContext, cookie: CookieEvent): PartyInfo {
    return resolveParty(kb, page, cookie.domain, '');
  }

  // Every request of a page has the same initiator and document: the last answer is kept.
  let byMemo: { initiator: string | null; documentUrl: string | null; site: string } | null = null;
  let byAnswer: string | null = null;
  function loadedBy(page: PageContext, req: RequestRecord): string | null {
    if (
      byMemo !== null &&
      byMemo.initiator === req.initiator &&
      byMemo.documentUrl === req.documentUrl &&
      byMemo.site === page.site
    )
      return byAnswer;
    const host = hostOf(req.initiator) || hostOf(req.documentUrl);
    const domain = host ? registrableDomain(host) : null;
    byAnswer = domain === null ? null : domain === page.site ? 'page' : domain;
    byMemo = { initiator: req.initiator, documentUrl: req.documentUrl, site: page.site };
    return byAnswer;
  }

  function analyzeRequest(page: PageContext, req: RequestRecord): RequestAnalysis {
    const findings: Finding[] = [];
    let party = NO_PARTY;
    let cookies: CookieEvent[] = [];
    let by: string | null = null;
    try {
      const url: ParsedUrl = parseUrl(req.url);
      const path = url.search ? `${url.pathname}?${url.search}` : url.pathname;
      party = resolveParty(kb, page, url.host, path);
      const first = party;
      const cloaked =
        aliases && first.firstParty
          ? safe(() => uncloak(kb, page, first, path, aliases), null)
          : null;
      if (cloaked) party = cloaked.party;
      const ctx: RequestContext = {
        page,
        party,
        url,
        state: stateOf(page.pageId),
        cname: cloaked?.alias ?? null,
        // Filled by the first detector that needs tokens (leaks/extract.ts requestTokens).
        extraction: undefined,
        // Made by the first leak detector that asks (leaks/glance.ts requestGlance).
        glance: undefined,
      };
      for (const d of requestDetectors) {
        try {
          const found = d.detectRequest(req, ctx);
          // Most detectors find nothing on most requests: no spread of an empty array.
          for (let i = 0; i < found.length; i++) findings.push(found[i] as Finding);
        } catch (e) {
          onError(d.id, e);
        }
      }
      try {
        by = loadedBy(page, req);
      } catch {
        by = null;
      }
      // No Set-Cookie header, no cookies: skip the parser (and its closure) entirely.
      const responseHeaders = req.responseHeaders ?? [];
      if (responseHeaders.length > 0) {
        try {
          cookies = cookiesFromHeaders(responseHeaders, { requestUrl: url.href, time: req.time });
        } catch {
          cookies = [];
        }
      }
      for (const c of cookies) {
        // A cloaked host's cookies still belong to the site's domain, where the browser keeps
        // them: they are first party by scope, whoever set them.
        const cp =
          c.domain === party.host && !cloaked ? party : safe(() => cookieParty(page, c), NO_PARTY);
        findings.push(...runCookieDetectors(page, c, cp, req.time));
      }
    } catch (e) {
      onError('analyzer', e);
    }
    return {
      party,
      findings,
      cookies,
      isPixel: findings.some((f) => f.kind === 'pixel'),
      loadedBy: by,
    };
  }

  function analyzeCookie(page: PageContext, cookie: CookieEvent): CookieAnalysis {
    let party = NO_PARTY;
    const findings: Finding[] = [];
    let identifierLike = false;
    let entropyBits = 0;
    try {
      party = cookieParty(page, cookie);
      const now = Number.isFinite(cookie.time) ? cookie.time : Date.now();
      const a = assessIdentifierValue(String(cookie.value ?? ''), now);
      identifierLike = a.identifierLike;
      entropyBits = Math.round(a.entropyBits * 10) / 10;
      findings.push(...runCookieDetectors(page, cookie, party, now));
    } catch (e) {
      onError('analyzer', e);
    }
    return { party, findings, identifierLike, entropyBits };
  }

  function pageContext(pageId: string, url: string, tabId: number, visitedAt: number): PageContext {
    let site = '';
    let organization: string | null = null;
    try {
      const host = parseUrl(url).host || hostOfOpaque(url);
      ({ site, organization } = pageParty(kb, host));
    } catch (e) {
      onError('analyzer', e);
    }
    stateOf(pageId);
    return { pageId, url, site, organization, tabId, visitedAt };
  }

  return {
    pageContext,
    analyzeRequest,
    analyzeCookie,
    setPageTitle(pageId: string, title: string) {
      if (typeof title !== 'string') return;
      // Only for a visit that is known: a late batch must not revive an ended page.
      const state = pages.get(pageId);
      if (!state) return;
      const t = title.replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE_CHARS);
      if (t) state.scratch.set('page-title', t);
      else state.scratch.delete('page-title');
    },
    endPage(pageId: string) {
      pages.delete(pageId);
      // Values typed on that page are held only while it is open.
      defaultSecrets.clearPage(pageId);
    },
    trackerData: { source: kb.list, version: kb.version },
  };
}

/**
 * Extension pages (chrome-extension://id/, moz-extension://uuid/) have a host that is not a
 * network party; it still names the page's "site" so their own requests count as first party.
 */
function hostOfOpaque(url: string): string {
  const m = /^(?:chrome|moz)-extension:\/\/([^/?#]+)/i.exec(url);
  return m?.[1] ? normalizeHost(m[1]) : '';
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
