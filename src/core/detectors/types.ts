// The shape every detector shares. One file per detector, each listed in ./index.ts,
// each with a unit test in test/unit/detectors/<name>.test.ts and a fixture.
import type {
  CookieEvent,
  Finding,
  FindingKind,
  PageContext,
  PartyInfo,
  RequestRecord,
} from '../model.ts';
import type { Extraction } from '../leaks/tokens.ts';
import type { Glance } from '../leaks/glance.ts';

/** A URL parsed once per request and shared by every detector. */
export interface ParsedUrl {
  href: string;
  protocol: string;
  host: string;
  pathname: string;
  /** Raw query string without '?', possibly capped. */
  search: string;
  /** Decoded query pairs (first 500 at most). */
  params: [string, string][];
  hash: string;
}

/**
 * Per-page memory the analysis keeps between events (first-party cookie values seen,
 * identifiers seen per party, ...). Lives in the analyzer; detectors read and add to it.
 * Losing it (worker death) only costs cross-request matches, never stored findings.
 */
export interface PageState {
  /** Cookies observed on this page, keyed `${domain}|${name}`. */
  cookies: Map<string, CookieEvent>;
  /** Free slots for detectors that need their own memory, keyed by detector id. */
  scratch: Map<string, unknown>;
}

/** A first-party-looking host that is an alias (CNAME) of a tracker's host. */
export interface CnameAlias {
  /** The host the browser contacted (on the page's site). */
  host: string;
  /** The canonical name it resolves through to. */
  canonical: string;
  /** Where the alias is known from ("dns.resolve"). */
  source: string;
}

export interface RequestContext {
  page: PageContext;
  /** For an uncloaked alias, the tracker's party (its `host` stays the contacted host). */
  party: PartyInfo;
  url: ParsedUrl;
  state: PageState;
  /** Set when `party` was found through a CNAME (detectors/cname-cloaking.ts). */
  cname?: CnameAlias | null;
  /**
   * The request's tokens, filled by the first detector that calls leaks/extract.ts
   * `requestTokens` and shared by the rest: one tokenization pass per request, and none
   * when no detector needs one.
   */
  extraction?: Extraction;
  /**
   * The request's glance (leaks/glance.ts `requestGlance`): undefined until a leak detector
   * asks, null when the request must be tokenized to be judged.
   */
  glance?: Glance | null;
}

export interface CookieContext {
  page: PageContext;
  /** The party that owns the cookie's domain. */
  party: PartyInfo;
  state: PageState;
  now: number;
}

export interface RequestDetector {
  id: string;
  kinds: readonly FindingKind[];
  detectRequest(req: RequestRecord, ctx: RequestContext): Finding[];
}

export interface CookieDetector {
  id: string;
  kinds: readonly FindingKind[];
  detectCookie(cookie: CookieEvent, ctx: CookieContext): Finding[];
}
