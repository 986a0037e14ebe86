// The relay's side of request recovery (src/background/reconcile.ts): the frame's Resource
// Timing entries, read from this (isolated) world, which shares the document's performance
// timeline with the page. Nothing runs until the background asks after a restart, so an
// ordinary page load pays nothing. Once asked, an observer keeps the list complete past the
// timeline's 250-entry buffer, and the list is sent now and again when the document goes
// away (a tab closed just after the restart still reports).
import {
  LEDGER_REQUEST,
  MAX_LEDGER_ENTRIES,
  type LedgerEntry,
  type ResourceLedger,
} from '../core/resource-ledger.ts';
import { MAX_URL_CHARS } from '../core/model.ts';

export interface LedgerDeps {
  send: (ledger: ResourceLedger) => void;
}

export function createLedger(deps: LedgerDeps) {
  let pageId: string | null = null;
  let observer: PerformanceObserver | null = null;
  const entries: LedgerEntry[] = [];

  function add(list: PerformanceEntryList): void {
    for (const e of list) {
      if (entries.length >= MAX_LEDGER_ENTRIES) return;
      const r = e as PerformanceResourceTiming;
      entries.push({
        url: String(r.name).slice(0, MAX_URL_CHARS),
        kind: String(r.initiatorType).slice(0, 40),
        start: performance.timeOrigin + r.startTime,
      });
    }
  }

  function start(): void {
    try {
      observer = new PerformanceObserver((list) => add(list.getEntries()));
      // buffered: the entries already in the timeline are queued to this observer at once,
      // so takeRecords() below has them without waiting for the first callback.
      observer.observe({ type: 'resource', buffered: true });
      add(observer.takeRecords());
    } catch {
      // No PerformanceObserver (very old engines): the timeline buffer is all there is.
      add(performance.getEntriesByType('resource'));
    }
    addEventListener('pagehide', flush, { capture: true });
  }

  function flush(): void {
    if (pageId === null) return;
    if (observer) add(observer.takeRecords());
    deps.send({ pageId, entries: entries.slice() });
  }

  return {
    /** A message from the background; true when it was the ledger request. */
    onRequest(message: unknown): boolean {
      const m = message as { type?: unknown; pageId?: unknown } | null;
      if (!m || m.type !== LEDGER_REQUEST || typeof m.pageId !== 'string') return false;
      const first = pageId === null;
      pageId = m.pageId.slice(0, 200);
      if (first) start();
      flush();
      return true;
    },
  };
}
