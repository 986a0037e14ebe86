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

export interface RequestContext {
  page: PageContext;
  party: PartyInfo;
  url: ParsedUrl;
  state: PageState;
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
