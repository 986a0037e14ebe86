// The visit each tab shows, noted in storage.session (src/background/visit-notes.ts): what a
// restarted worker makes of a tab from the note alone, and, with the real tracker, pipeline
// and writer on fake-indexeddb, what becomes of a visit whose row or tab is gone.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { loadScenario, type FixtureEvent } from '../platform/fake-browser.ts';
import { dropDatabasesAfterEach, FakeSession, startBackground } from './harness.ts';
import {
  createVisitNotes,
  FORGET_AFTER_MS,
  recoverVisit,
  type NotedVisit,
  type RecoverDeps,
} from '../../../src/background/visit-notes.ts';
import type { PageContext } from '../../../src/core/model.ts';

const CHROME_TAB = 972017464;
const PAGE_URL = 'https://publisher.test:8443/';
const opened = dropDatabasesAfterEach();

const page = (tabId: number, pageId = `${tabId}-1`): PageContext =>
  ({
    pageId,
    url: `https://shop.test/p?id=${tabId}`,
    tabId,
    visitedAt: 1_000,
    site: 'shop.test',
  }) as PageContext;

describe('visit notes', () => {
  it('keeps the last visit of each tab, none for tabless traffic', async () => {
    const session = new FakeSession();
    const notes = createVisitNotes(session);
    notes.note(page(3, 'a'));
    notes.note(page(3, 'b'));
    notes.note(page(-1));
    await Promise.resolve();
    expect(await notes.get(3)).toEqual<NotedVisit>({
      pageId: 'b',
      url: 'https://shop.test/p?id=3',
      visitedAt: 1_000,
    });
    expect(await notes.get(-1)).toBeNull();
    expect([...session.items.keys()]).toEqual(['visit.3']);
  });

  it('reads a malformed or missing note as none, and works without a session area', async () => {
    const session = new FakeSession();
    await session.set({ 'visit.4': { pageId: 4, url: 'x', visitedAt: 1 } });
    await session.set({ 'visit.5': '<img src=x onerror=alert(1)>' });
    const notes = createVisitNotes(session);
    expect(await notes.get(4)).toBeNull();
    expect(await notes.get(5)).toBeNull();
    expect(await notes.get(6)).toBeNull();
    const none = createVisitNotes(null);
    none.note(page(3));
    expect(await none.get(3)).toBeNull();
  });

  it("drops a closed tab's note only after its page's last ledger has had time to come", async () => {
    const session = new FakeSession();
    const timers: [() => void, number][] = [];
    const notes = createVisitNotes(session, { setTimer: (fn, ms) => timers.push([fn, ms]) });
    notes.note(page(3));
    await Promise.resolve();
    notes.forget(3);
    expect(await notes.get(3)).not.toBeNull();
    expect(timers.map(([, ms]) => ms)).toEqual([FORGET_AFTER_MS]);
    timers[0]?.[0]();
    await Promise.resolve();
    expect(await notes.get(3)).toBeNull();
  });

  it('sweeps the notes of tabs no longer open, and nothing else of the area', async () => {
    const session = new FakeSession();
    await session.set({ canaries: ['me@example.com'], activity: { at: 1, tabs: [3] } });
    const notes = createVisitNotes(session);
    notes.note(page(3));
    notes.note(page(4));
    await Promise.resolve();
    expect(await notes.sweep(new Set([4, 9]))).toBe(1);
    expect([...session.items.keys()].sort()).toEqual(['activity', 'canaries', 'visit.4']);
    expect(await notes.sweep(new Set([4]))).toBe(0);
  });
});

describe("a restarted worker's view of a tab", () => {
  const noted: NotedVisit = { pageId: 'p1', url: 'https://shop.test/cart#top', visitedAt: 5 };
  const stored = { id: 'p0', url: 'https://shop.test/cart', visitedAt: 1 };
  function deps(tab: { url: string | null } | null, note: NotedVisit | null = noted) {
    const asked: (string | null)[] = [];
    const d: RecoverDeps = {
      notes: { get: async () => note },
      tab: async () => tab,
      isIgnored: (url) => url.startsWith('chrome://'),
      storedVisit: async (_tabId, url) => {
        asked.push(url);
        return stored;
      },
    };
    return { d, asked };
  }

  it('is the noted visit while the tab shows its document, without the database', async () => {
    const { d, asked } = deps({ url: 'https://shop.test/cart#reviews' });
    expect(await recoverVisit(1, d)).toEqual({
      page: { id: 'p1', url: noted.url, visitedAt: 5 },
      tabUrl: 'https://shop.test/cart#reviews',
      tabIgnored: false,
      unsure: true,
    });
    expect(asked).toEqual([]);
  });

  it('is the stored visit of the URL once the tab shows another document', async () => {
    const { d, asked } = deps({ url: 'https://shop.test/checkout' });
    expect((await recoverVisit(1, d)).page).toEqual(stored);
    expect(asked).toEqual(['https://shop.test/checkout']);
    // No note at all (a tab opened before the extension started): the same.
    const bare = deps({ url: 'https://shop.test/checkout' }, null);
    expect((await recoverVisit(1, bare.d)).page).toEqual(stored);
  });

  it("is the closed tab's last noted visit, and nothing for a closed tab never noted", async () => {
    expect(await recoverVisit(1, deps(null).d)).toMatchObject({
      page: { id: 'p1' },
      tabUrl: null,
      unsure: true,
    });
    expect(await recoverVisit(1, deps(null, null).d)).toEqual({
      page: null,
      tabUrl: null,
      tabIgnored: false,
      unsure: false,
    });
  });

  it('is nothing for a page we do not audit, whatever the note says', async () => {
    const { d, asked } = deps({ url: 'chrome://settings/' });
    expect(await recoverVisit(1, d)).toEqual({ page: null, tabUrl: null, tabIgnored: true });
    expect(asked).toEqual([]);
  });
});

describe('with the real pipeline', () => {
  const events = loadScenario('chrome', 'page-load');
  /** The page's own requests again, as a restarted worker gets them (no commit event). */
  const subresources: FixtureEvent[] = events.filter(
    (e) =>
      !e.event.startsWith('webNavigation') &&
      (e.details as { type?: string }).type !== 'main_frame',
  );

  async function twoWorkers(tabs: Map<number, { url: string; incognito: boolean }>) {
    const session = new FakeSession();
    const first = startBackground({ flavor: 'chrome', bootId: 'one', session });
    opened.push(first.db);
    first.fake.replay(events);
    await first.settle();
    const visit = (await first.db.pages.toArray())[0];
    if (!visit) throw new Error('no visit stored');
    const second = startBackground({
      flavor: 'chrome',
      bootId: 'two',
      db: first.db,
      tabs,
      session,
    });
    return { db: first.db, visit, second };
  }

  it("files a closed tab's last requests under its visit, not an unattributed one", async () => {
    const { db, visit, second } = await twoWorkers(new Map());
    second.fake.replay(subresources);
    await second.settle();
    expect((await db.pages.toArray()).map((p) => p.id)).toEqual([visit.id]);
    const late = await db.requests.filter((r) => r.id.startsWith('two-')).toArray();
    expect(late.length).toBeGreaterThan(0);
    expect(new Set(late.map((r) => r.pageId))).toEqual(new Set([visit.id]));
  });

  it('writes back the row of a noted visit the first worker never committed', async () => {
    const { db, visit, second } = await twoWorkers(
      new Map([[CHROME_TAB, { url: PAGE_URL, incognito: false }]]),
    );
    await db.pages.delete(visit.id);
    second.fake.replay(subresources);
    await second.settle();
    expect(await db.pages.toArray()).toEqual([visit]);
    const late = await db.requests.filter((r) => r.id.startsWith('two-')).toArray();
    expect(new Set(late.map((r) => r.pageId))).toEqual(new Set([visit.id]));
  });
});
