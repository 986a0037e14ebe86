// request → analyzer → rows. Events are handled one at a time in arrival order (a promise
// chain behind the start-up `ready` promise), so a navigation is always applied before the
// requests that followed it. The analysis is synchronous and fast; only the rare database
// lookup (recovering a tab's visit) waits. While a page loads, events wait in the load gate
// (./load-gate.ts) and are handled in one batch after its load event, off the page's way.
import type { Analyzer } from '../core/analysis.ts';
import type { CookieEvent, FindingKind, PageContext } from '../core/model.ts';
import type { Writer } from '../storage/writer.ts';
import type { CaptureHandlers } from '../platform/capture.ts';
import type { CapturedRequest } from '../platform/request-assembler.ts';
import type { CapturedCookie } from '../platform/cookie-events.ts';
import type { NavigationEvent } from '../platform/navigation.ts';
import { sameDocumentUrl, type PageTracker } from './page-tracker.ts';
import type { PrivacyFilter } from './privacy.ts';
import { createMainFrameQueue } from './main-frame-queue.ts';
import { createLoadGate } from './load-gate.ts';
import { createFindingFilter, recordCookie, recordRequest } from '../storage/rows.ts';

export interface PipelineDeps {
  analyzer: Analyzer;
  tracker: PageTracker;
  writer: Writer;
  privacy: PrivacyFilter;
  ready: Promise<unknown>;
  /** Kinds the cookie detectors produce: kept once per visit, party and cookie. */
  cookieFindingKinds: ReadonlySet<FindingKind>;
  /**
   * A request of this tab arrived (the reconciler's busy-tabs note): noted on arrival, not
   * when handled, so requests held by the load gate when the worker stops are recovered.
   */
  onRequestArrived?: (tabId: number) => void;
  /** The script that wrote a cookie, when the page-world instrumentation saw the write. */
  attributeCookie?: (page: PageContext, cookie: CookieEvent) => string | null;
  /**
   * Work to finish before a request is analysed, or null when there is none (Firefox: the
   * CNAME of a first-party-looking host, src/platform/dns.ts). Bounded by its own timeout.
   */
  beforeAnalysis?: (c: CapturedRequest, page: PageContext) => Promise<void> | null;
  now?: () => number;
  log?: (message: string, error?: unknown) => void;
}

export interface Pipeline extends CaptureHandlers {
  /** Resolves when every event received so far has been handled (hurrying held ones). */
  drain(): Promise<void>;
  /** Resolves when every event received so far has been handled, in its own time. */
  settled(): Promise<void>;
  /**
   * Runs `work` after every event received so far and before any later one, with a way to
   * record requests for a known visit (recovery, ./reconcile.ts). Resolves when done.
   */
  exclusive(
    work: (record: (c: CapturedRequest, page: PageContext) => void) => Promise<void>,
  ): Promise<void>;
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { analyzer, tracker, writer, privacy } = deps;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((m: string, e?: unknown) => console.error(m, e));
  const mainFrames = createMainFrameQueue();
  const gate = createLoadGate();
  // Lost on worker restart, which at worst stores one repeated cookie finding.
  const filter = createFindingFilter(deps.cookieFindingKinds);
  let chain: Promise<void> = deps.ready.then(
    () => undefined,
    () => undefined,
  );
  let failures = 0;

  function enqueue(work: () => Promise<void> | void): void {
    gate.pass(() => {
      chain = chain.then(work).catch((error: unknown) => {
        // Log the first few failures only: a systematic bug must not flood the console.
        if (failures++ < 5) log('leakwatch: event handling failed', error);
      });
    });
  }

  function handleRequest(c: CapturedRequest, page: PageContext): void {
    const r = c.record;
    if (!r.documentUrl && c.meta.documentId) r.documentUrl = tracker.documentUrl(c.meta.documentId);
    const a = recordRequest(analyzer, writer, filter, page, r);
    if (a.party.domain) tracker.notePartySeen(page.pageId, a.party.domain);
  }

  async function onRequest(c: CapturedRequest): Promise<void> {
    const r = c.record;
    for (const old of mainFrames.expired(now())) await attribute(old);
    if (!(await privacy.allowTabEvent(r.tabId, c.meta.incognito))) return;
    if (r.type === 'main_frame' && r.tabId >= 0) {
      const current = tracker.knownPageOfTab(r.tabId);
      // Already committed (Firefox often completes the document after the commit).
      if (current && sameDocumentUrl(current.url, r.url) && current.visitedAt >= r.time) {
        handleRequest(c, current);
      } else {
        mainFrames.hold(c);
      }
      return;
    }
    await attribute(c);
  }

  async function attribute(c: CapturedRequest): Promise<void> {
    const page = await tracker.pageForRequest(c);
    if (!page) return;
    const pending = deps.beforeAnalysis?.(c, page);
    if (pending) await pending;
    handleRequest(c, page);
  }

  async function onNavigation(nav: NavigationEvent): Promise<void> {
    if (!(await privacy.allowTabEvent(nav.tabId, nav.incognito))) return;
    const page = tracker.navigate(nav);
    if (!page) return;
    for (const c of mainFrames.takeFor(nav.tabId, nav.time)) handleRequest(c, page);
  }

  async function onCookie(c: CapturedCookie): Promise<void> {
    if (!(await privacy.allowCookieStore(c.storeId))) return;
    const page = tracker.pageForCookie(c);
    if (!c.event.scriptUrl) c.event.scriptUrl = deps.attributeCookie?.(page, c.event) ?? null;
    recordCookie(analyzer, writer, filter, page, c.event);
  }

  return {
    request: (c) => {
      deps.onRequestArrived?.(c.record.tabId);
      enqueue(() => onRequest(c));
    },
    navigation: (nav) => {
      // Known at once, not when handled: the requests that follow are held from here on.
      if (nav.frameId === 0 && !nav.ignored) gate.loading(nav.tabId);
      enqueue(() => onNavigation(nav));
    },
    pageLoaded: (tabId) => gate.loaded(tabId),
    cookie: (c) => enqueue(() => onCookie(c)),
    tabRemoved: (tabId) => {
      gate.loaded(tabId);
      enqueue(async () => {
        for (const c of mainFrames.dropTab(tabId)) await attribute(c);
        tracker.tabRemoved(tabId);
        privacy.forgetTab(tabId);
      });
    },
    drain: () => {
      gate.release();
      return chain;
    },
    settled: () => gate.settled().then(() => chain),
    exclusive: (work) =>
      new Promise<void>((resolve) => {
        enqueue(() => work(handleRequest).finally(resolve));
      }),
  };
}
