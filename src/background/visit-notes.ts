// The visit each tab shows, noted in storage.session the moment it starts.
//
// Why not the database alone: a visit's row reaches IndexedDB in a write transaction a few
// milliseconds after its commit, and a worker stopped before that transaction ends loses the
// row. Under a storm of stops (test/e2e/load.test.ts) the next workers were each stopped
// again before their database had even opened, so none could name the visit to the page's
// relay; the relay was never asked for its ledger, and once the tab closed every request of
// the visit was gone, row and all. storage.session answers within milliseconds, needs no
// database and survives a worker restart (not a browser restart), so with this note:
// - a restarted worker finds the tab's visit without its database, and writes its row again
//   (a put of the same row: harmless when the first one did commit);
// - a ledger that names a visit whose row never committed is still filed under that visit,
//   even when it comes from a tab that has closed since (./reconcile.ts).
// The URL is kept whole, as the worker holds it in memory: lost requests are analysed
// against it (a page address in a pixel is a finding). The area is memory only, cleared
// when the browser closes, and not readable by content scripts, like the canaries beside it.
import type { PageContext } from '../core/model.ts';
import type { SessionArea } from './canaries.ts';
import { sameDocumentUrl, type RecoveredVisit } from './page-tracker.ts';

export interface NotedVisit {
  pageId: string;
  url: string;
  visitedAt: number;
}

export interface VisitNotes {
  /** The tab's visit started (fire and forget; a failure is logged). */
  note(page: PageContext): void;
  /** The tab's last noted visit, or null (none, unreadable, or no session area). */
  get(tabId: number): Promise<NotedVisit | null>;
  /** The tab closed: drop its note once a last ledger of its page has had time to come. */
  forget(tabId: number): void;
}

/** A closed tab's note is kept this long: its page's ledger is sent as the page goes away. */
export const FORGET_AFTER_MS = 60_000;

const keyOf = (tabId: number) => `visit.${tabId}`;

export function createVisitNotes(
  area: (SessionArea & { remove?(keys: string): Promise<void> }) | null,
  opts: {
    log?: (message: string, error?: unknown) => void;
    setTimer?: (fn: () => void, ms: number) => unknown;
  } = {},
): VisitNotes {
  const log = opts.log ?? (() => undefined);
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  return {
    note(page) {
      if (!area || page.tabId < 0) return;
      const visit: NotedVisit = { pageId: page.pageId, url: page.url, visitedAt: page.visitedAt };
      area
        .set({ [keyOf(page.tabId)]: visit })
        .catch((e: unknown) => log('leakwatch: visit note failed', e));
    },
    async get(tabId) {
      if (!area) return null;
      try {
        return asNotedVisit((await area.get(keyOf(tabId)))[keyOf(tabId)]);
      } catch {
        return null;
      }
    },
    forget(tabId) {
      if (!area?.remove) return;
      const remove = area.remove.bind(area);
      // If the worker stops before this runs, the note stays until the browser closes: a
      // few hundred bytes per tab, bounded by the tabs opened in one session.
      setTimer(() => {
        remove(keyOf(tabId)).catch((e: unknown) => log('leakwatch: visit note removal failed', e));
      }, FORGET_AFTER_MS);
    },
  };
}

function asNotedVisit(value: unknown): NotedVisit | null {
  const v = value as Partial<NotedVisit> | null | undefined;
  return v &&
    typeof v.pageId === 'string' &&
    typeof v.url === 'string' &&
    typeof v.visitedAt === 'number'
    ? { pageId: v.pageId, url: v.url, visitedAt: v.visitedAt }
    : null;
}

export interface ShownVisitDeps {
  notes: Pick<VisitNotes, 'get'>;
  /** What the tab shows now: its URL (null: unknown), or null when the tab is gone. */
  tab(tabId: number): Promise<{ url: string | null } | null>;
}

/** The tab's noted visit, if the tab still shows that document. */
export async function shownVisit(tabId: number, deps: ShownVisitDeps): Promise<NotedVisit | null> {
  const [tab, noted] = await Promise.all([deps.tab(tabId), deps.notes.get(tabId)]);
  return shows(tab, noted) ? noted : null;
}

function shows(tab: { url: string | null } | null, noted: NotedVisit | null): noted is NotedVisit {
  return !!tab?.url && noted !== null && sameDocumentUrl(noted.url, tab.url);
}

export interface RecoverDeps extends ShownVisitDeps {
  isIgnored(url: string): boolean;
  /** The stored visit of the tab that matches the URL (waits for the database). */
  storedVisit(
    tabId: number,
    url: string | null,
  ): Promise<{ id: string; url: string; visitedAt: number } | null>;
}

/**
 * A restarted worker's view of the visit a tab shows (page-tracker.ts `recover`). The noted
 * visit comes first, when the tab still shows its document: it is the newest visit started
 * in the tab, and it needs no database, which a worker stopped again soon after its start
 * may never get to open. Then the stored visit with the tab's exact URL.
 */
export async function recoverVisit(tabId: number, deps: RecoverDeps): Promise<RecoveredVisit> {
  const [tab, noted] = await Promise.all([deps.tab(tabId), deps.notes.get(tabId)]);
  const page = noted && { id: noted.pageId, url: noted.url, visitedAt: noted.visitedAt };
  // A closed tab's last events (held or in flight when it closed) belong to its last visit.
  if (!tab) return { page, tabUrl: null, tabIgnored: false, unsure: page !== null };
  const tabUrl = tab.url;
  if (shows(tab, noted)) return { page, tabUrl, tabIgnored: false, unsure: true };
  if (tabUrl !== null && deps.isIgnored(tabUrl)) {
    return { page: null, tabUrl: null, tabIgnored: true };
  }
  // Only an exact URL match is the same visit. A just-woken worker can receive a new page's
  // requests before its commit event, even after that page finished loading, so "the latest
  // visit on the same host" would file them under the previous page. A single-page app that
  // changed its own URL gets a new visit after a restart instead.
  return { page: await deps.storedVisit(tabId, tabUrl), tabUrl, tabIgnored: false };
}
