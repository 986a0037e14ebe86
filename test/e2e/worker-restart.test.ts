// MV3 kills an idle service worker at any time. Here we kill it on purpose (CDP) after a
// visit is stored, then browse on: the stored visit must survive unchanged and exactly once,
// and the next visit, whose first request is what wakes the worker, must still be recorded.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StoreSnapshot } from '../../src/cli/chromium.ts';
import {
  PUBLISHER_PAGE_DONE,
  pagesFor,
  startSession,
  visit,
  waitForSettledStore,
  waitForStore,
  type E2eSession,
} from './support.ts';

const SITE = 'news-publisher.test';

let session: E2eSession;

beforeAll(async () => {
  session = await startSession();
});

afterAll(async () => {
  await session?.close();
});

/** Everything stored for one visit, in a stable order, for before/after comparison. */
function visitRows(s: StoreSnapshot, pageId: string) {
  const mine = <T extends { pageId: string }>(rows: T[]) => rows.filter((r) => r.pageId === pageId);
  const byId = (a: { id?: string | number }, b: { id?: string | number }) =>
    String(a.id).localeCompare(String(b.id));
  return {
    pages: s.pages.filter((p) => p.id === pageId),
    requests: mine(s.requests).sort(byId),
    cookies: mine(s.cookies).sort(byId),
    parties: mine(s.parties).sort(byId),
    findings: mine(s.findings).sort(byId),
  };
}

it('keeps a stored visit intact and records the next one after the worker is stopped', async () => {
  const { browser } = session;
  const tab = await browser.context.newPage();

  const firstUrl = session.publisherUrl('/');
  await visit(session, tab, firstUrl, PUBLISHER_PAGE_DONE);
  const firstVisitRows = (s: StoreSnapshot) => {
    const page = pagesFor(s, firstUrl)[0];
    return page ? visitRows(s, page.id) : null;
  };
  const before = await waitForSettledStore(
    browser,
    (s) => {
      const page = pagesFor(s, firstUrl)[0];
      if (!page) return false;
      const domains = new Set(s.parties.filter((p) => p.pageId === page.id).map((p) => p.domain));
      // Cookie rows learn which script wrote them from the page-world script's next batch:
      // wait for that too, or the "before" snapshot is taken half-way.
      const byScript = new Set(
        s.cookies.filter((c) => c.pageId === page.id && c.setBy === 'script').map((c) => c.name),
      );
      return (
        ['facebook.com', 'krxd.net', 'widgets.test'].every((d) => domains.has(d)) &&
        ['_fbp', '_ga', '_lw_uid'].every((n) => byScript.has(n))
      );
    },
    firstVisitRows,
  );
  expect(pagesFor(before, firstUrl)).toHaveLength(1);
  const firstId = pagesFor(before, firstUrl)[0]!.id;
  const firstRows = visitRows(before, firstId);
  expect(firstRows.requests.length).toBeGreaterThan(15);

  const { bootId } = await browser.ping();
  await browser.stopServiceWorker();
  const stoppedAt = Date.now();

  // No ping here: the navigation's own first request has to wake the worker.
  const secondUrl = session.publisherUrl('/second.html');
  await visit(session, tab, secondUrl, [
    (h) => h.host === 'www.facebook.com' && h.path === '/tr',
    (h) => h.host === 'www.google-analytics.com' && h.path === '/g/collect',
  ]);
  const restarted = await browser.ping();
  expect(restarted.bootId, 'the worker really restarted').not.toBe(bootId);

  const after = await waitForStore(browser, (s) => {
    const page = pagesFor(s, secondUrl)[0];
    if (!page) return false;
    const domains = new Set(s.parties.filter((p) => p.pageId === page.id).map((p) => p.domain));
    return ['facebook.com', 'google-analytics.com'].every((d) => domains.has(d));
  });

  // The first visit: every row still there, none added, none duplicated.
  expect(pagesFor(after, firstUrl)).toHaveLength(1);
  const known = new Set(firstRows.requests.map((r) => r.id));
  const added = visitRows(after, firstId)
    .requests.filter((r) => !known.has(r.id))
    .map((r) => `${r.type} ${r.url} at ${Math.round(r.time - stoppedAt)} ms after the stop`);
  expect(added, 'requests added to the first visit after it was stored').toEqual([]);
  expect(visitRows(after, firstId)).toEqual(firstRows);

  // The second visit: recorded from its very first request (the one that woke the worker).
  const second = pagesFor(after, secondUrl);
  expect(second).toHaveLength(1);
  const secondId = second[0]!.id;
  expect(secondId).not.toBe(firstId);
  expect(second[0]).toMatchObject({ site: SITE, tabId: await browser.tabIdFor(secondUrl) });
  const secondRows = visitRows(after, secondId);
  expect(secondRows.requests.map((r) => r.url)).toContain(secondUrl);
  expect(secondRows.parties.map((p) => p.domain).sort()).toEqual(
    ['facebook.com', 'facebook.net', 'google-analytics.com', SITE].sort(),
  );
  expect(secondRows.findings.some((f) => f.kind === 'pixel' && f.party === 'facebook.com')).toBe(
    true,
  );
  await tab.close();
});

it('attributes a request that wakes a stopped worker to the visit already in progress', async () => {
  const { browser, site } = session;
  const tab = await browser.context.newPage();
  const url = session.publisherUrl('/live.html?manual=1');
  await visit(session, tab, url);
  const started = await waitForStore(browser, (s) => pagesFor(s, url).length > 0);
  expect(pagesFor(started, url)).toHaveLength(1);
  const visitId = pagesFor(started, url)[0]!.id;

  const { bootId } = await browser.ping();
  await browser.stopServiceWorker();
  // The late pixel is the event that wakes the worker: its in-memory tab→visit map is gone,
  // so it must find the visit again from what it stored.
  await tab.evaluate(() =>
    (
      globalThis as unknown as { leakwatchFixture: { firePixel(): boolean } }
    ).leakwatchFixture.firePixel(),
  );
  await site.waitForHit(
    (h) => h.host === 'pixel.adnetwork.test' && h.query.get('ev') === 'engaged',
  );
  expect((await browser.ping()).bootId, 'the worker really restarted').not.toBe(bootId);

  const after = await waitForStore(browser, (s) =>
    s.parties.some((p) => p.domain === 'adnetwork.test' && p.pageId === visitId),
  );
  expect(pagesFor(after, url).map((p) => p.id)).toEqual([visitId]);
  const party = after.parties.find((p) => p.pageId === visitId && p.domain === 'adnetwork.test');
  expect(party, 'the late pixel joins the visit in progress').toBeDefined();
  expect(party!.pixels).toBeGreaterThan(0);
  await tab.close();
});

// Each tab's visit is noted in storage.session (src/background/visit-notes.ts), page address
// and all: a closed tab's note must go, even when its close is what wakes a stopped worker.
it("drops a closed tab's visit note, and a worker's start sweeps any left", async () => {
  const { browser } = session;
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl('src/ui/popup/popup.html'));
  const notes = async () =>
    Object.keys(
      await ext.evaluate(() =>
        (
          globalThis as unknown as {
            chrome: { storage: { session: { get(k: null): Promise<object> } } };
          }
        ).chrome.storage.session.get(null),
      ),
    ).filter((k) => k.startsWith('visit.'));

  const tab = await browser.context.newPage();
  const url = session.publisherUrl('/live.html?manual=1&note=1');
  await visit(session, tab, url);
  await waitForStore(browser, (s) => pagesFor(s, url).length > 0);
  const key = `visit.${await browser.tabIdFor(url)}`;
  expect(await notes()).toContain(key);

  await browser.stopServiceWorker();
  await tab.close();
  await expect.poll(notes, { timeout: 30_000, interval: 500 }).not.toContain(key);

  // A note no close event will ever remove (its tab closed while no worker ran): the sweep
  // of the next worker start (tabs.query, storage.session.get(null)) drops it.
  await ext.evaluate(() =>
    (
      globalThis as unknown as {
        chrome: { storage: { session: { set(items: object): Promise<void> } } };
      }
    ).chrome.storage.session.set({
      'visit.987654321': { pageId: 'gone', url: 'https://gone.test/', visitedAt: 1 },
    }),
  );
  expect(await notes()).toContain('visit.987654321');
  await browser.stopServiceWorker();
  await browser.ping(); // a new worker, whose sweep runs 10 s after its start
  await expect.poll(notes, { timeout: 30_000, interval: 500 }).not.toContain('visit.987654321');
  await ext.close();
}, 90_000);
