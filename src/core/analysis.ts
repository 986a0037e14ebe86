// The contract between the core analysis and its callers (the background pipeline, HAR
// replay, the CLI, the bench). Implemented by ./analyzer.ts.
import type { CookieEvent, Finding, PageContext, PartyInfo, RequestRecord } from './model.ts';

export interface RequestAnalysis {
  party: PartyInfo;
  findings: Finding[];
  /** Cookies parsed from this response's Set-Cookie headers (hostile syntax tolerated). */
  cookies: CookieEvent[];
  /** True when the pixel detector judged this request a data-sending pixel or beacon. */
  isPixel: boolean;
  /**
   * Registrable domain of whatever loaded this request (initiator or document), or 'page'
   * when the page itself did; null when unknown. Feeds the "who brought them in" chain.
   */
  loadedBy: string | null;
}

export interface CookieAnalysis {
  party: PartyInfo;
  findings: Finding[];
  identifierLike: boolean;
  entropyBits: number;
}

export interface Analyzer {
  /** Builds the page context (site, owning organization) for a visit. */
  pageContext(pageId: string, url: string, tabId: number, visitedAt: number): PageContext;
  /** Never throws: hostile input yields fewer findings, not an exception. */
  analyzeRequest(page: PageContext, req: RequestRecord): RequestAnalysis;
  /** Never throws. */
  analyzeCookie(page: PageContext, cookie: CookieEvent): CookieAnalysis;
  /**
   * Records the top document's title for a visit (from the page-world relay), so detectors
   * can tell when a third party is sent it. Kept in the page's state under 'page-title'.
   */
  setPageTitle(pageId: string, title: string): void;
  /** Frees per-page memory when a visit ends. */
  endPage(pageId: string): void;
  /** The tracker list in use, for reports ("Ghostery TrackerDB", "1.0.945"). */
  readonly trackerData: { source: string; version: string };
}
