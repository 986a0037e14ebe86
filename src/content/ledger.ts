// The relay's side of request recovery (src/background/reconcile.ts): the frame's Resource
// Timing entries, read from this (isolated) world, which shares the document's performance
// timeline with the page. The list is sent when the background asks after a restart, and
// again when the document goes away (a tab closed just after the restart still reports).
//
// Why watch from the start instead of reading the timeline when asked: the timeline buffer
// holds only the first 250 entries (and a page may clear it), so on a busy page the fetches
// between its 250th and the ask were in no list at all, and exactly those could be among the
// lost ones (seen in the load e2e test under CPU pressure, where the first ask came late).
// A PerformanceObserver sees every entry; before the first ask it keeps only the last
// KEEP_UNASKED_MS of them, so an ordinary page pays one callback per batch of entries and a
// bounded list, never a message.
import {
  LEDGER_REQUEST,
  MAX_LEDGER_ENTRIES,
  type LedgerEntry,
  type ResourceLedger,
} from '../core/resource-ledger.ts';
import { MAX_URL_CHARS } from '../core/model.ts';

/**
 * Entries older than this are dropped while nobody has asked. A worker asks within 25 s of
 * the last request it noted (reconcile.ts ACTIVE_WINDOW_MS), and what it lost is at most a
 * few seconds older than that note (held and unflushed rows), so a minute is ample.
 */
export const KEEP_UNASKED_MS = 60_000;
/** The unasked list is first pruned at this length; then at twice what pruning left. */
const FIRST_PRUNE_AT = 500;

/** The parts of the browser the ledger uses (tests pass their own). */
export interface Timeline {
  /** Epoch ms of the document's time origin (performance.timeOrigin). */
  timeOrigin: number;
  /** Milliseconds since timeOrigin (performance.now()). */
  now(): number;
  /** Starts delivering resource entries, the buffered ones first; null when unsupported. */
  observe(onEntries: (entries: readonly PerformanceEntry[]) => void): { take(): void } | null;
  /** The timeline buffer's resource entries (fallback without observers). */
  buffered(): readonly PerformanceEntry[];
  onPageHide(listener: () => void): void;
}

export interface LedgerDeps {
  send: (ledger: ResourceLedger) => void;
  timeline?: Timeline;
}

export function browserTimeline(): Timeline {
  return {
    timeOrigin: performance.timeOrigin,
    now: () => performance.now(),
    observe(onEntries) {
      try {
        const observer = new PerformanceObserver((list) => onEntries(list.getEntries()));
        // buffered: the entries already in the timeline are queued to this observer at once,
        // so take() has them without waiting for the first callback.
        observer.observe({ type: 'resource', buffered: true });
        const take = () => onEntries(observer.takeRecords());
        take();
        return { take };
      } catch {
        return null;
      }
    },
    buffered: () => performance.getEntriesByType('resource'),
    onPageHide: (listener) => addEventListener('pagehide', listener, { capture: true }),
  };
}

export function createLedger(deps: LedgerDeps) {
  const timeline = deps.timeline ?? browserTimeline();
  let pageId: string | null = null;
  let entries: LedgerEntry[] = [];
  let pruneAt = FIRST_PRUNE_AT;

  function add(list: readonly PerformanceEntry[]): void {
    for (const e of list) {
      if (entries.length >= MAX_LEDGER_ENTRIES) makeRoom();
      const r = e as PerformanceResourceTiming;
      entries.push({
        url: String(r.name).slice(0, MAX_URL_CHARS),
        kind: String(r.initiatorType).slice(0, 40),
        start: timeline.timeOrigin + r.startTime,
      });
    }
    if (pageId === null && entries.length >= pruneAt) {
      dropOld();
      // Amortized: a page that keeps fetching is pruned again only when the list doubles.
      pruneAt = Math.max(FIRST_PRUNE_AT, entries.length * 2);
    }
  }

  /** Drops entries started more than KEEP_UNASKED_MS ago (only while nobody has asked). */
  function dropOld(): void {
    const oldest = timeline.timeOrigin + timeline.now() - KEEP_UNASKED_MS;
    entries = entries.filter((e) => e.start >= oldest);
  }

  /**
   * At the cap (a hostile or runaway page): old entries go first, then the oldest quarter.
   * The newest are kept because a worker stop loses the most recent requests.
   */
  function makeRoom(): void {
    if (pageId === null) dropOld();
    if (entries.length >= MAX_LEDGER_ENTRIES) entries.splice(0, MAX_LEDGER_ENTRIES / 4);
  }

  const observer = timeline.observe(add);
  // Without observers the buffer (first 250 entries) is all there is: read it when asked.
  let readBuffer = observer === null;

  function flush(): void {
    if (pageId === null) return;
    if (observer) observer.take();
    else if (readBuffer) {
      readBuffer = false;
      add(timeline.buffered());
    }
    deps.send({ pageId, entries: entries.slice() });
  }
  timeline.onPageHide(flush);

  return {
    /** A message from the background; true when it was the ledger request. */
    onRequest(message: unknown): boolean {
      const m = message as { type?: unknown; pageId?: unknown } | null;
      if (!m || m.type !== LEDGER_REQUEST || typeof m.pageId !== 'string') return false;
      pageId = m.pageId.slice(0, 200);
      flush();
      return true;
    },
  };
}
