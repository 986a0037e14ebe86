// request → analyzer → rows. Events are handled one at a time in arrival order (a promise
// chain behind the start-up `ready` promise), so a navigation is always applied before the
// requests that followed it. The analysis is synchronous and fast; only the rare database
// lookup (recovering a tab's visit) waits.
import type { Analyzer } from '../core/analysis.ts';
import type { Finding, FindingKind, PageContext } from '../core/model.ts';
import type { FindingRow, RequestRow } from '../storage/db.ts';
import type { Writer } from '../storage/writer.ts';
import type { CaptureHandlers } from '../platform/capture.ts';
import type { CapturedRequest } from '../platform/request-assembler.ts';
import type { CapturedCookie } from '../platform/cookie-events.ts';
import type { NavigationEvent } from '../platform/navigation.ts';
import type { PageTracker } from './page-tracker.ts';
import type { PrivacyFilter } from './privacy.ts';
import { createMainFrameQueue } from './main-frame-queue.ts';
import { BoundedMap } from './bounded-map.ts';

export interface PipelineDeps {
  analyzer: Analyzer;
  tracker: PageTracker;
  writer: Writer;
  privacy: PrivacyFilter;
  ready: Promise<unknown>;
  /** Kinds the cookie detectors produce: kept once per visit, party and cookie. */
  cookieFindingKinds: ReadonlySet<FindingKind>;
  now?: () => number;
  log?: (message: string, error?: unknown) => void;
}

export interface Pipeline extends CaptureHandlers {
  /** Resolves when every event received so far has been handled. */
  drain(): Promise<void>;
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { analyzer, tracker, writer, privacy } = deps;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((m: string, e?: unknown) => console.error(m, e));
  const mainFrames = createMainFrameQueue();
  // Cookie findings repeat: Chrome reports a header cookie again through cookies.onChanged,
  // and trackers re-set cookies on every hit. Keep one per visit, party, kind and cookie.
  // Lost on worker restart, which at worst stores one repeat.
  const seenCookieFindings = new BoundedMap<string, true>(20_000);
  let chain: Promise<void> = deps.ready.then(
    () => undefined,
    () => undefined,
  );
  let failures = 0;

  function enqueue(work: () => Promise<void> | void): void {
    chain = chain.then(work).catch((error: unknown) => {
      // Log the first few failures only: a systematic bug must not flood the console.
      if (failures++ < 5) log('leakwatch: event handling failed', error);
    });
  }

  function keepCookieFinding(f: Finding): boolean {
    const key = `${f.pageId}|${f.kind}|${f.party}|${f.evidence.cookieName ?? f.host}`;
    if (seenCookieFindings.has(key)) return false;
    seenCookieFindings.set(key, true);
    return true;
  }

  function findingRows(findings: readonly Finding[], cookie: boolean): FindingRow[] {
    const rows: FindingRow[] = [];
    for (const f of findings) {
      if ((cookie || deps.cookieFindingKinds.has(f.kind)) && !keepCookieFinding(f)) continue;
      rows.push({ ...f });
    }
    return rows;
  }

  function handleRequest(c: CapturedRequest, page: PageContext): void {
    const r = c.record;
    if (!r.documentUrl && c.meta.documentId) r.documentUrl = tracker.documentUrl(c.meta.documentId);
    const a = analyzer.analyzeRequest(page, r);
    const row: RequestRow = {
      id: r.id,
      pageId: page.pageId,
      site: page.site,
      url: r.url,
      host: a.party.host,
      party: a.party.domain,
      type: r.type,
      method: r.method,
      initiator: r.initiator,
      status: r.status,
      firstParty: a.party.firstParty,
      tracker: a.party.tracker?.key ?? null,
      time: r.time,
    };
    writer.request(row);
    if (a.party.domain) {
      tracker.notePartySeen(page.pageId, a.party.domain);
      writer.party({
        pageId: page.pageId,
        site: page.site,
        party: a.party,
        time: r.time,
        requests: 1,
        pixels: a.isPixel ? 1 : 0,
        loadedBy: a.loadedBy,
      });
    }
    writer.findings(findingRows(a.findings, false));
    for (const cookie of a.cookies) {
      // analyzeRequest already ran the cookie detectors on these; only the identifier
      // assessment is taken from analyzeCookie here (its findings would be repeats).
      const ca = analyzer.analyzeCookie(page, cookie);
      writer.cookie({
        pageId: page.pageId,
        site: page.site,
        cookie,
        party: a.party.domain ? a.party : ca.party,
        identifierLike: ca.identifierLike,
        entropyBits: ca.entropyBits,
      });
    }
  }

  async function onRequest(c: CapturedRequest): Promise<void> {
    const r = c.record;
    for (const old of mainFrames.expired(now())) await attribute(old);
    if (!(await privacy.allowTabEvent(r.tabId, c.meta.incognito))) return;
    if (r.type === 'main_frame' && r.tabId >= 0) {
      const current = tracker.knownPageOfTab(r.tabId);
      // Already committed (Firefox often completes the document after the commit).
      if (current && sameDocument(current.url, r.url) && current.visitedAt >= r.time) {
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
    if (page) handleRequest(c, page);
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
    const a = analyzer.analyzeCookie(page, c.event);
    writer.cookie({
      pageId: page.pageId,
      site: page.site,
      cookie: c.event,
      party: a.party,
      identifierLike: a.identifierLike,
      entropyBits: a.entropyBits,
    });
    writer.findings(findingRows(a.findings, true));
  }

  return {
    request: (c) => enqueue(() => onRequest(c)),
    navigation: (nav) => enqueue(() => onNavigation(nav)),
    cookie: (c) => enqueue(() => onCookie(c)),
    tabRemoved: (tabId) =>
      enqueue(async () => {
        for (const c of mainFrames.dropTab(tabId)) await attribute(c);
        tracker.tabRemoved(tabId);
        privacy.forgetTab(tabId);
      }),
    drain: () => chain,
  };
}

function sameDocument(a: string, b: string): boolean {
  const strip = (u: string) => (u.includes('#') ? u.slice(0, u.indexOf('#')) : u);
  return strip(a) === strip(b);
}
