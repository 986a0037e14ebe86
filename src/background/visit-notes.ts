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
import { sameDocumentUrl, type RecoveredVisit } from './page-tracker.ts';

/** The part of browser.storage.session the notes use (get(null): every item). */
export interface NoteArea {
  get(keys: string | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

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
  /** Drops the notes of tabs not in `open` (closes this worker never saw). Never throws. */
  sweep(open: ReadonlySet<number>): Promise<number>;
}

/**
 * A closed tab's note is kept this long: its page's ledger, sent as the page goes away, is
 * filed after a 1.5 s grace (reconcile.ts). Short enough to run inside the 30 s a worker
 * lives on after its last event; a stop before it is what `sweep` at the next start is for.
 */
export const FORGET_AFTER_MS = 10_000;

const PREFIX = 'visit.';
const keyOf = (tabId: number) => `${PREFIX}${tabId}`;

export function createVisitNotes(
  area: NoteArea | null,
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
      if (!area) return;
      setTimer(() => {
        area
          .remove(keyOf(tabId))
          .catch((e: unknown) => log('leakwatch: visit note removal failed', e));
      }, FORGET_AFTER_MS);
    },
    async sweep(open) {
      if (!area) return 0;
      try {
        // Every note holds a page address (up to 16 KB): closed tabs' notes must not pile up
        // towards the area's quota, which the canaries share.
        const gone = Object.keys(await area.get(null)).filter(
          (k) => k.startsWith(PREFIX) && !open.has(Number(k.slice(PREFIX.length))),
        );
        if (gone.length > 0) await area.remove(gone);
        return gone.length;
      } catch (e) {
        log('leakwatch: visit note sweep failed', e);
        return 0;
      }
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
