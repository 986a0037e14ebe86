// Recovery of requests lost across a worker stop (issue 8, "no loss across worker death").
//
// A worker stopped mid-page loses the webRequest events of its last moments (rows buffered
// but not yet committed) and of its restart. The page itself keeps a full list of what it
// fetched (Resource Timing), so:
// 1. while handling requests, the worker notes which tabs are busy, in storage.session
//    (memory only; survives a worker restart, not a browser restart);
// 2. a worker that starts within ACTIVE_WINDOW_MS of the last noted activity was stopped
//    while busy, not for idleness (Chrome stops idle workers after 30 s): it asks those
//    tabs' relays for their ledgers at once, naming the visit it holds for each tab (the
//    tab's noted visit, ./visit-notes.ts, so no database is needed to ask: a worker stopped
//    again soon after its start still gets its question out);
// 3. each frame's relay answers with its entries now and again when its document goes
//    away (a tab closed right after the restart still reports);
// 4. after a grace period (events of fetches that just ended are still on their way), the
//    ledger is compared with the visit's stored requests behind every event already queued,
//    and what is missing is analysed and stored like any request, marked `recovered`.
import type { Analyzer } from '../core/analysis.ts';
import type { PageContext } from '../core/model.ts';
import {
  LEDGER_REQUEST,
  missingEntries,
  recoveredRecord,
  type ResourceLedger,
} from '../core/resource-ledger.ts';
import type { ContentSender } from '../messaging/content.ts';
import type { CapturedRequest } from '../platform/request-assembler.ts';
import type { Pipeline } from './pipeline.ts';
import type { PageTracker } from './page-tracker.ts';
import type { PrivacyFilter } from './privacy.ts';
import type { NotedVisit } from './visit-notes.ts';

/** A worker starting this soon after the last activity was stopped while busy. */
export const ACTIVE_WINDOW_MS = 25_000;
/** Wait before comparing: webRequest events of fetches that just ended are in flight. */
export const GRACE_MS = 1_500;
/** How often the busy-tabs note is rewritten at most while requests keep coming. */
const NOTE_EVERY_MS = 500;

export interface ActivityNote {
  at: number;
  tabs: number[];
}

export interface ReconcileDeps {
  analyzer: Pick<Analyzer, 'pageContext'>;
  tracker: Pick<PageTracker, 'pageOfTab' | 'knownPageOfTab' | 'pageOfDocument'>;
  pipeline: Pick<Pipeline, 'exclusive'>;
  privacy: Pick<PrivacyFilter, 'allowTabEvent'>;
  /** Commits every buffered row (so the comparison sees them). */
  flush: () => Promise<void>;
  /** The stored visit, to check a ledger's visit belongs to the sending tab. */
  pageRow: (pageId: string) => Promise<{ url: string; tabId: number; visitedAt: number } | null>;
  /** Start-up settings (privacy) and the database. */
  ready: Promise<unknown>;
  /** The tab's noted visit (./visit-notes.ts): names a visit whose row may never have committed. */
  notedVisit: (tabId: number) => Promise<NotedVisit | null>;
  /** The tab's noted visit if the tab still shows it: asked without waiting for `ready`. */
  shownVisit: (tabId: number) => Promise<NotedVisit | null>;
  /** Writes the row of a visit known from its note (a put: harmless if it exists). */
  restoreVisit: (page: PageContext) => void;
  /** URLs of the visit's stored requests. */
  storedUrls: (pageId: string) => Promise<string[]>;
  /** storage.session get/set of the activity note (absent: no recovery across restarts). */
  readNote: () => Promise<ActivityNote | null>;
  writeNote: (note: ActivityNote) => Promise<void>;
  /** Sends the ledger request to every frame of a tab (never throws). */
  askTab: (tabId: number, message: { type: string; pageId: string }) => Promise<void>;
  idPrefix: string;
  graceMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string, error?: unknown) => void;
}

export function createReconciler(deps: ReconcileDeps) {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const graceMs = deps.graceMs ?? GRACE_MS;
  const log = deps.log ?? (() => undefined);
  /** Tabs with requests recently, with the time of their last one. */
  const busy = new Map<number, number>();
  let lastWrite = 0;
  let writeTimer: ReturnType<typeof setTimeout> | null = null;
  let recovered = 0;
  /** The previous worker's note, read once: afterStart asks its tabs, writes keep them. */
  let previous: Promise<ActivityNote | null> | null = null;
  const previousNote = () => (previous ??= deps.readNote().catch(() => null));
  let merged = false;

  function writeNote(): void {
    writeTimer = null;
    lastWrite = now();
    void previousNote()
      .then((prior) => {
        // A worker stopped before it got its ledgers must leave their tabs to the next one:
        // the first write of this worker carries the previous note's tabs over.
        if (!merged && prior)
          for (const tab of prior.tabs) if (!busy.has(tab)) busy.set(tab, prior.at);
        merged = true;
        const t = now();
        for (const [tab, at] of busy) if (t - at > ACTIVE_WINDOW_MS) busy.delete(tab);
        return deps.writeNote({ at: t, tabs: [...busy.keys()] });
      })
      .catch((e: unknown) => log('leakwatch: activity note failed', e));
  }

  return {
    /** A request of `tabId` was handled: keep the busy-tabs note fresh (throttled). */
    noteActivity(tabId: number): void {
      if (tabId < 0) return;
      const known = busy.has(tabId);
      busy.set(tabId, now());
      if (writeTimer !== null) return;
      // A tab not in the note yet is written at once: its first requests are the ones a
      // stop right now would lose.
      const wait = known ? Math.max(0, NOTE_EVERY_MS - (now() - lastWrite)) : 0;
      writeTimer = setTimeout(writeNote, wait);
    },

    /**
     * At start-up (not behind the database: a storm of stops may never let it open): when
     * the previous worker was stopped while busy, ask its tabs.
     */
    async afterStart(): Promise<number> {
      const note = await previousNote();
      if (!note || now() - note.at > ACTIVE_WINDOW_MS) return 0;
      let asked = 0;
      for (const tabId of note.tabs.slice(0, 100)) {
        // The noted visit was started (so allowed) by an earlier worker: ask at once. Else
        // the tracker's recovery, which may start a visit: only after the settings are read
        // and only for a tab the privacy settings let us record.
        let pageId = (await deps.shownVisit(tabId))?.pageId ?? null;
        if (pageId === null) {
          await deps.ready;
          if (!(await deps.privacy.allowTabEvent(tabId, null))) continue;
          pageId = (await deps.tracker.pageOfTab(tabId))?.pageId ?? null;
        }
        if (pageId === null) continue;
        await deps.askTab(tabId, { type: LEDGER_REQUEST, pageId });
        asked++;
      }
      return asked;
    },

    /** A frame's ledger (validated by ../messaging/content.ts). Resolves when reconciled. */
    async resourceLedger(ledger: ResourceLedger, sender: ContentSender): Promise<number> {
      await sleep(graceMs);
      // The settings (paused, private windows) are read in `ready`.
      await deps.ready;
      if (!(await deps.privacy.allowTabEvent(sender.tabId, sender.incognito))) return 0;
      let added = 0;
      await deps.pipeline.exclusive(async (record) => {
        // The sender's document belongs to another visit (Chrome's documentId, known from its
        // commit): the question named the tab's visit of before, and reached the document
        // that replaced it (a reload while the worker was stopped, say). Its requests are
        // this worker's own; the old document's are nobody's to recover.
        const own = sender.documentId ? deps.tracker.pageOfDocument(sender.documentId) : null;
        if (own && own.pageId !== ledger.pageId) return;
        const page = await visitOf(ledger.pageId, sender.tabId);
        if (!page) return;
        await deps.flush();
        const missing = missingEntries(ledger.entries, await deps.storedUrls(page.pageId));
        for (const e of missing) {
          const r = recoveredRecord(e, {
            id: `${deps.idPrefix}rt${++recovered}`,
            tabId: sender.tabId,
            frameId: sender.frameId,
            frameUrl: sender.url,
          });
          const c: CapturedRequest = {
            record: r,
            meta: { documentId: null, parentDocumentId: null, incognito: sender.incognito },
          };
          record(c, page);
          added++;
        }
        // Written before the next ledger is compared (both run on the pipeline's chain).
        if (added > 0) await deps.flush();
      });
      return added;
    },
  };

  /** The named visit, only if it is (or was) a visit of the sending tab. */
  async function visitOf(pageId: string, tabId: number): Promise<PageContext | null> {
    const current = deps.tracker.knownPageOfTab(tabId);
    if (current?.pageId === pageId) return current;
    // Noted by the worker that started it: its row may have been lost with that worker.
    const noted = await deps.notedVisit(tabId);
    if (noted?.pageId === pageId) {
      const page = deps.analyzer.pageContext(pageId, noted.url, tabId, noted.visitedAt);
      deps.restoreVisit(page);
      return page;
    }
    const row = await deps.pageRow(pageId);
    if (!row || row.tabId !== tabId) return null;
    return deps.analyzer.pageContext(pageId, row.url, tabId, row.visitedAt);
  }
}

export type Reconciler = ReturnType<typeof createReconciler>;
