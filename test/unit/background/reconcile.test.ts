// Request recovery across a worker restart (src/background/reconcile.ts), with the real
// analyzer, tracker, pipeline and writer on fake-indexeddb: a recorded Chrome page load is
// stored by a first worker; a second worker gets the page's Resource Timing ledger and must
// add exactly what the database lacks, once.
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { loadScenario } from '../platform/fake-browser.ts';
import { dropDatabasesAfterEach, FakeSession, startBackground } from './harness.ts';
import { shownVisit } from '../../../src/background/visit-notes.ts';
import { pageRow } from '../../../src/storage/rows.ts';
import { createReconciler, type ActivityNote } from '../../../src/background/reconcile.ts';
import { requestUrlsOfVisit, visitRow } from '../../../src/storage/recovery.ts';
import { findingsOfPage } from '../../../src/storage/findings.ts';
import type { LedgerEntry } from '../../../src/core/resource-ledger.ts';
import type { ContentSender } from '../../../src/messaging/content.ts';

const CHROME_TAB = 972017464;
const PAGE_URL = 'https://publisher.test:8443/';
const opened = dropDatabasesAfterEach();

interface RestartOptions {
  /** The first worker was stopped before its rows committed: the visit row is gone. */
  rowLost?: boolean;
  /** The second worker's start-up (settings, database) has not finished. */
  ready?: Promise<unknown>;
  /** What tabs.get says to the second worker (default: the visit's tab, still open). */
  tabs?: Map<number, { url: string; incognito: boolean }>;
}

async function restartedWorker(note: ActivityNote | null = null, opts: RestartOptions = {}) {
  const session = new FakeSession();
  const first = startBackground({ flavor: 'chrome', bootId: 'one', session });
  opened.push(first.db);
  first.fake.replay(loadScenario('chrome', 'page-load'));
  await first.settle();
  const visit = (await first.db.pages.toArray())[0];
  if (!visit) throw new Error('no visit stored');
  if (opts.rowLost) await first.db.pages.delete(visit.id);
  const tabs = opts.tabs ?? new Map([[CHROME_TAB, { url: PAGE_URL, incognito: false }]]);
  const second = startBackground({ flavor: 'chrome', bootId: 'two', db: first.db, tabs, session });
  const asked: [number, string][] = [];
  const notes: ActivityNote[] = [];
  const reconciler = createReconciler({
    analyzer: second.analyzer,
    tracker: second.tracker,
    pipeline: second.pipeline,
    privacy: second.privacy,
    ready: opts.ready ?? Promise.resolve(),
    notedVisit: (tabId) => second.visitNotes.get(tabId),
    shownVisit: (tabId) =>
      shownVisit(tabId, { notes: second.visitNotes, tab: async (id) => tabs.get(id) ?? null }),
    restoreVisit: (page) => second.writer.page(pageRow(page, false)),
    flush: () => second.writer.flushNow(),
    pageRow: (id) => visitRow(second.db, id),
    storedUrls: (id) => requestUrlsOfVisit(second.db, id),
    readNote: async () => note,
    writeNote: async (n) => void notes.push(n),
    askTab: async (tabId, m) => void asked.push([tabId, m.pageId]),
    idPrefix: 'two-',
    graceMs: 0,
  });
  const stored = await requestUrlsOfVisit(second.db, visit.id);
  return { db: second.db, second, visit, reconciler, asked, notes, stored };
}

const sender: ContentSender = {
  tabId: CHROME_TAB,
  frameId: 0,
  url: PAGE_URL,
  documentId: null,
  incognito: false,
};
const entry = (url: string, kind = 'img'): LedgerEntry => ({ url, kind, start: 1_700_000_000_000 });

describe('request recovery after a worker restart', () => {
  it('stores the requests the page made and the database lacks, analysed and marked, once', async () => {
    const { db, visit, reconciler, stored } = await restartedWorker();
    const lostPixel = `https://pixel.lost-tracker.test/p.gif?uid=8f3a9c1d2e7b4a60&dl=${encodeURIComponent(PAGE_URL)}`;
    const ledger = {
      pageId: visit.id,
      entries: [
        ...stored.map((u) => entry(u)),
        entry(lostPixel),
        entry('data:image/gif;base64,R0lGOD'),
      ],
    };
    expect(await reconciler.resourceLedger(ledger, sender)).toBe(1);

    const rows = await db.requests.where('pageId').equals(visit.id).toArray();
    expect(rows).toHaveLength(stored.length + 1);
    const recovered = rows.filter((r) => r.recovered);
    expect(recovered).toMatchObject([
      { url: lostPixel, type: 'image', party: 'lost-tracker.test', firstParty: false },
    ]);
    // Analysed like any request: its party is aggregated and the page URL it carried found.
    expect(await db.parties.get(`${visit.id}|lost-tracker.test`)).toMatchObject({ requests: 1 });
    const kinds = (await findingsOfPage(db, visit.id))
      .filter((f) => f.party === 'lost-tracker.test')
      .map((f) => f.kind);
    expect(kinds).toContain('page-url-leak');

    // The same ledger again (pagehide after the first answer): nothing is added twice.
    expect(await reconciler.resourceLedger(ledger, sender)).toBe(0);
    expect(await db.requests.where('pageId').equals(visit.id).count()).toBe(stored.length + 1);
  });

  it('counts a URL fetched twice as two requests, and a masked stored URL as its raw form', async () => {
    const { db, visit, reconciler } = await restartedWorker();
    const twice = 'https://pixel.lost-tracker.test/hit.gif?n=1';
    const email = 'https://collect.lost-tracker.test/c?em=jane%40example.com&v=1';
    await reconciler.resourceLedger(
      { pageId: visit.id, entries: [entry(twice), entry(email)] },
      sender,
    );
    const urls = await requestUrlsOfVisit(db, visit.id);
    // The email URL is stored masked (no raw address at rest)...
    expect(urls.some((u) => u.includes('jane'))).toBe(false);
    expect(urls.filter((u) => u.startsWith('https://collect.lost-tracker.test/c?'))).toHaveLength(
      1,
    );
    // ...and still counts as stored when the ledger names it again; the pixel's second fetch
    // is new.
    const again = [entry(twice), entry(twice), entry(email)];
    expect(await reconciler.resourceLedger({ pageId: visit.id, entries: again }, sender)).toBe(1);
  });

  it("refuses a ledger that names another tab's visit or an unknown one", async () => {
    const { visit, reconciler } = await restartedWorker();
    const lost = [entry('https://pixel.lost-tracker.test/x.gif')];
    const other = { ...sender, tabId: CHROME_TAB + 1 };
    expect(await reconciler.resourceLedger({ pageId: visit.id, entries: lost }, other)).toBe(0);
    expect(await reconciler.resourceLedger({ pageId: 'nope', entries: lost }, sender)).toBe(0);
  });

  it('asks the tabs of a worker stopped while busy, and none after an idle stop', async () => {
    const busy = await restartedWorker({ at: Date.now() - 2_000, tabs: [CHROME_TAB, 99] });
    expect(await busy.reconciler.afterStart()).toBe(1);
    expect(busy.asked).toEqual([[CHROME_TAB, busy.visit.id]]);

    const idle = await restartedWorker({ at: Date.now() - 60_000, tabs: [CHROME_TAB] });
    expect(await idle.reconciler.afterStart()).toBe(0);
    expect(idle.asked).toEqual([]);
  });

  it("files a ledger under the visit its tab noted when the visit's row was lost", async () => {
    const { db, visit, reconciler, stored } = await restartedWorker(null, { rowLost: true });
    expect(await db.pages.get(visit.id)).toBeUndefined();
    const lostPixel = 'https://pixel.lost-tracker.test/p.gif?uid=8f3a9c1d2e7b4a60';
    const ledger = {
      pageId: visit.id,
      entries: [...stored.map((u) => entry(u)), entry(lostPixel)],
    };
    expect(await reconciler.resourceLedger(ledger, sender)).toBe(1);
    // The visit is whole again: its row, under its own id and time, with every request.
    expect(await db.pages.get(visit.id)).toMatchObject({
      url: PAGE_URL,
      tabId: CHROME_TAB,
      visitedAt: visit.visitedAt,
    });
    expect(await db.requests.where('pageId').equals(visit.id).count()).toBe(stored.length + 1);
    // The note names one visit: a ledger naming another is still refused.
    const other = { pageId: `${visit.id}x`, entries: [entry(lostPixel)] };
    expect(await reconciler.resourceLedger(other, sender)).toBe(0);
  });

  it('refuses a ledger from a document this worker saw commit as another visit', async () => {
    const { second, visit, reconciler, db } = await restartedWorker();
    // The tab was reloaded while no worker ran: the new document's commit reaches this one.
    const commit = loadScenario('chrome', 'page-load').find(
      (e) => e.event === 'webNavigation.onCommitted',
    )!;
    const details = commit.details as Record<string, unknown>;
    const time = Date.now();
    second.fake.emit('webNavigation.onCommitted', {
      ...details,
      documentId: 'NEWDOC',
      timeStamp: time,
    });
    second.fake.emit('webNavigation.onCompleted', {
      ...details,
      documentId: 'NEWDOC',
      timeStamp: time,
    });
    const lost = [entry('https://pixel.lost-tracker.test/new-document.gif')];
    const fromNew = { ...sender, documentId: 'NEWDOC' };
    expect(await reconciler.resourceLedger({ pageId: visit.id, entries: lost }, fromNew)).toBe(0);
    expect(
      await db.requests
        .where('pageId')
        .equals(visit.id)
        .filter((r) => !!r.recovered)
        .count(),
    ).toBe(0);
    // A document this worker knows nothing of (the old one) is still heard.
    const fromOld = { ...sender, documentId: 'OLDDOC' };
    expect(await reconciler.resourceLedger({ pageId: visit.id, entries: lost }, fromOld)).toBe(1);
  });

  it('asks a tab still showing its noted visit before the database is open', async () => {
    const never = new Promise(() => undefined);
    const { reconciler, asked, visit } = await restartedWorker(
      { at: Date.now() - 2_000, tabs: [CHROME_TAB, 99] },
      { ready: never },
    );
    void reconciler.afterStart();
    await vi.waitFor(() => expect(asked).toEqual([[CHROME_TAB, visit.id]]));
  });

  it('does not start a visit for a busy private tab when private windows are not recorded', async () => {
    const PRIVATE_TAB = 77;
    const tabs = new Map([[PRIVATE_TAB, { url: 'https://private.test/', incognito: true }]]);
    const { db, second, reconciler, asked } = await restartedWorker(
      { at: Date.now() - 2_000, tabs: [PRIVATE_TAB] },
      { tabs },
    );
    expect(await reconciler.afterStart()).toBe(0);
    await second.settle();
    expect(asked).toEqual([]);
    expect(await db.pages.where('tabId').equals(PRIVATE_TAB).count()).toBe(0);
  });

  it("keeps the previous worker's busy tabs in its first note", async () => {
    const recent = await restartedWorker({ at: Date.now() - 1_000, tabs: [5] });
    recent.reconciler.noteActivity(7);
    await vi.waitFor(() => expect(recent.notes).toHaveLength(1));
    expect([...(recent.notes[0]?.tabs ?? [])].sort()).toEqual([5, 7]);
    // A note from before an idle stop is history.
    const old = await restartedWorker({ at: Date.now() - 60_000, tabs: [5] });
    old.reconciler.noteActivity(7);
    await vi.waitFor(() => expect(old.notes).toHaveLength(1));
    expect(old.notes[0]?.tabs).toEqual([7]);
  });

  it('notes busy tabs at once and then at most twice a second', async () => {
    const { reconciler, notes } = await restartedWorker();
    reconciler.noteActivity(7);
    reconciler.noteActivity(7);
    reconciler.noteActivity(-1);
    await new Promise((r) => setTimeout(r, 20));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.tabs).toEqual([7]);
  });
});
