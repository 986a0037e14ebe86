// Which page visit an event belongs to. tabId → current visit, documentId → visit (Chrome
// gives documentIds; Firefox does not, so there the tab's current visit is used).
//
// MV3 lifetime: every map here is lost when the worker stops. The current visit per tab is
// recovered from the `pages` table on first use (latest visit of the tab that matches what
// the tab shows), so a worker stopped mid-visit keeps attributing to the same visit; lost
// documentIds fall back to the tab's visit, lost party hints only weaken cookie attribution.
import type { Analyzer } from '../core/analysis.ts';
import type { PageContext } from '../core/model.ts';
import type { CapturedRequest } from '../platform/request-assembler.ts';
import type { CapturedCookie } from '../platform/cookie-events.ts';
import type { NavigationEvent } from '../platform/navigation.ts';
import { originOf } from '../platform/urls.ts';
import { BoundedMap } from './bounded-map.ts';

export interface RecoveredVisit {
  /** The stored visit that matches the tab, if any. */
  page: { id: string; url: string; visitedAt: number } | null;
  /** What the tab shows now (null: tab gone or not readable). */
  tabUrl: string | null;
  tabIgnored: boolean;
  /** The visit may have no stored row (noted, ./visit-notes.ts): write it again. */
  unsure?: boolean;
}

export interface PageTrackerDeps {
  analyzer: Pick<Analyzer, 'pageContext' | 'endPage'>;
  /** Registrable domain of a host. */
  siteOf(host: string): string;
  recover(tabId: number): Promise<RecoveredVisit>;
  newPageId(tabId: number, time: number): string;
  /** A visit began (write its row, reset the badge). Not called for recovered visits. */
  onPageStarted(page: PageContext): void;
  /** A recovered visit whose row may never have been committed (write it, idempotent). */
  onPageRestored?(page: PageContext): void;
  /** A tab closed (its visit note can go). */
  onTabClosed?(tabId: number): void;
  now?: () => number;
}

const DAY_MS = 86_400_000;

export function createPageTracker(deps: PageTrackerDeps) {
  const now = deps.now ?? Date.now;
  // null = the tab shows a page we do not audit (extension page, about:, chrome://).
  const byTab = new Map<number, PageContext | null>();
  const byDocument = new BoundedMap<string, string>(10_000);
  /** documentId → frame URL: Chrome requests carry a documentId but no documentUrl. */
  const documentUrls = new BoundedMap<string, string>(10_000);
  const pages = new BoundedMap<string, PageContext>(500);
  /** Party domain → last visit where a request to it was seen (cookie attribution). */
  const partyPages = new BoundedMap<string, string>(5_000);
  const recovering = new Map<number, Promise<PageContext | null>>();
  const syntheticWritten = new BoundedMap<string, true>(1_000);
  /** Visits started by recovery before their navigation event arrived: tabId → page. */
  const startedEarly = new Map<number, PageContext>();

  function remember(page: PageContext): PageContext {
    pages.set(page.pageId, page);
    return page;
  }

  function startVisit(tabId: number, url: string, time: number): PageContext {
    const previous = byTab.get(tabId);
    if (previous) deps.analyzer.endPage(previous.pageId);
    const page = remember(deps.analyzer.pageContext(deps.newPageId(tabId, time), url, tabId, time));
    byTab.set(tabId, page);
    partyPages.set(page.site, page.pageId);
    deps.onPageStarted(page);
    return page;
  }

  /** A per-day visit standing for traffic no tab explains (service workers, prefetch). */
  function synthetic(initiator: string | null, time: number): PageContext {
    const origin = originOf(initiator);
    const site = origin ? deps.siteOf(new URL(origin).hostname) : '(unknown)';
    const day = Math.floor(time / DAY_MS) * DAY_MS;
    const pageId = `unattributed|${site}|${new Date(day).toISOString().slice(0, 10)}`;
    const known = pages.get(pageId);
    if (known) return known;
    const page = remember({
      ...deps.analyzer.pageContext(pageId, origin ?? '', -1, day),
      site,
    });
    if (!syntheticWritten.has(pageId)) {
      syntheticWritten.set(pageId, true);
      deps.onPageStarted(page);
    }
    return page;
  }

  /** The visit whose origin (else site) matches the initiator, most recent first. */
  function byInitiator(initiator: string | null): PageContext | null {
    const origin = originOf(initiator);
    if (!origin) return null;
    const site = deps.siteOf(new URL(origin).hostname);
    let best: PageContext | null = null;
    let bestScore = 0;
    for (const p of byTab.values()) {
      if (!p) continue;
      const score = originOf(p.url) === origin ? 2 : p.site === site ? 1 : 0;
      const newer = best !== null && p.visitedAt > best.visitedAt;
      if (score > bestScore || (score > 0 && score === bestScore && newer)) {
        best = p;
        bestScore = score;
      }
    }
    return best;
  }

  async function pageOfTab(tabId: number): Promise<PageContext | null> {
    if (byTab.has(tabId)) return byTab.get(tabId) ?? null;
    let pending = recovering.get(tabId);
    if (!pending) {
      pending = recoverTab(tabId).finally(() => recovering.delete(tabId));
      recovering.set(tabId, pending);
    }
    return pending;
  }

  async function recoverTab(tabId: number): Promise<PageContext | null> {
    let r: RecoveredVisit;
    try {
      r = await deps.recover(tabId);
    } catch {
      r = { page: null, tabUrl: null, tabIgnored: false };
    }
    // A navigation may have been handled while we were reading the database.
    if (byTab.has(tabId)) return byTab.get(tabId) ?? null;
    if (r.page) {
      const page = remember(
        deps.analyzer.pageContext(r.page.id, r.page.url, tabId, r.page.visitedAt),
      );
      byTab.set(tabId, page);
      partyPages.set(page.site, page.pageId);
      if (r.unsure) deps.onPageRestored?.(page);
      return page;
    }
    if (r.tabIgnored) {
      byTab.set(tabId, null);
      return null;
    }
    // The tab was open before we started (install, update), or its commit event has not
    // reached us yet (worker just woke up): the visit starts now.
    if (r.tabUrl) {
      const page = startVisit(tabId, r.tabUrl, now());
      startedEarly.set(tabId, page);
      return page;
    }
    return null;
  }

  return {
    /** A committed navigation. Returns the new visit for a top-frame web page. */
    navigate(nav: NavigationEvent): PageContext | null {
      if (nav.documentId) documentUrls.set(nav.documentId, nav.url);
      if (nav.frameId !== 0) {
        const parent =
          (nav.parentDocumentId && byDocument.get(nav.parentDocumentId)) ||
          byTab.get(nav.tabId)?.pageId;
        if (nav.documentId && parent) byDocument.set(nav.documentId, parent);
        return null;
      }
      if (nav.ignored) {
        const previous = byTab.get(nav.tabId);
        if (previous) deps.analyzer.endPage(previous.pageId);
        byTab.set(nav.tabId, null);
        return null;
      }
      const early = startedEarly.get(nav.tabId);
      startedEarly.delete(nav.tabId);
      // The commit of the visit recovery already started: adopt it instead of a duplicate.
      const page =
        early &&
        byTab.get(nav.tabId) === early &&
        nav.time - early.visitedAt < ADOPT_WINDOW_MS &&
        sameDocumentUrl(early.url, nav.url)
          ? early
          : startVisit(nav.tabId, nav.url, nav.time);
      if (nav.documentId) byDocument.set(nav.documentId, page.pageId);
      return page;
    },

    pageOfTab,

    /**
     * The visit a document belongs to (Chrome's documentId, from the navigation that committed
     * it), or null when unknown. Unlike the tab's current visit, this stays right for a
     * document's last messages sent while the tab already moves on to the next page.
     */
    pageOfDocument(documentId: string): PageContext | null {
      return pages.get(byDocument.get(documentId) ?? '') ?? null;
    },

    /** The tab's visit if known in memory (no recovery). */
    knownPageOfTab(tabId: number): PageContext | null {
      return byTab.get(tabId) ?? null;
    },

    documentUrl(documentId: string): string | null {
      return documentUrls.get(documentId) ?? null;
    },

    /**
     * The visit a request belongs to: its document's visit, else its tab's, else (tabId -1
     * or an unknown tab) the visit matching its initiator, else a synthetic per-site visit.
     * null only for tabs showing a page we do not audit.
     */
    async pageForRequest(c: CapturedRequest): Promise<PageContext | null> {
      const { record, meta } = c;
      const docId = meta.documentId ?? meta.parentDocumentId;
      const docPage = docId ? pages.get(byDocument.get(docId) ?? '') : undefined;
      if (docPage) return docPage;
      if (record.tabId >= 0) {
        if (byTab.get(record.tabId) === null) return null;
        const tabPage = await pageOfTab(record.tabId);
        if (tabPage) return tabPage;
        if (byTab.get(record.tabId) === null) return null;
      }
      const initiator = record.initiator ?? record.documentUrl;
      return byInitiator(initiator) ?? synthetic(initiator, record.time);
    },

    /** A party was seen on a visit: cookies for its domain will be attributed there. */
    notePartySeen(pageId: string, domain: string): void {
      if (domain) partyPages.set(domain, pageId);
    },

    /** Partitioned cookies name their top-level site; others go where their party was seen. */
    pageForCookie(c: CapturedCookie): PageContext {
      const top = originOf(c.topLevelSite);
      if (top) {
        const site = deps.siteOf(new URL(top).hostname);
        const match = [...byTab.values()]
          .filter((p): p is PageContext => p !== null && p.site === site)
          .sort((a, b) => b.visitedAt - a.visitedAt)[0];
        if (match) return match;
      }
      const domain = deps.siteOf(c.event.domain);
      const seen = pages.get(partyPages.get(domain) ?? '');
      return seen ?? synthetic(`https://${c.event.domain}`, c.event.time);
    },

    tabRemoved(tabId: number): void {
      startedEarly.delete(tabId);
      const page = byTab.get(tabId);
      if (page) deps.analyzer.endPage(page.pageId);
      byTab.delete(tabId);
      deps.onTabClosed?.(tabId);
    },

    /** Current visit per tab (for the badge). */
    currentPageId(tabId: number): string | null {
      return byTab.get(tabId)?.pageId ?? null;
    },

    tabsShowing(pageIds: Set<string>): number[] {
      const out: number[] = [];
      for (const [tabId, p] of byTab) if (p && pageIds.has(p.pageId)) out.push(tabId);
      return out;
    },
  };
}

export type PageTracker = ReturnType<typeof createPageTracker>;

/** A commit this soon after recovery started the same URL is that visit's own commit. */
const ADOPT_WINDOW_MS = 30_000;

/** Same document: URLs equal up to the fragment. */
export function sameDocumentUrl(a: string, b: string): boolean {
  const strip = (u: string) => (u.includes('#') ? u.slice(0, u.indexOf('#')) : u);
  return strip(a) === strip(b);
}
