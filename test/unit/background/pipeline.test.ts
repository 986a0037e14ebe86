import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../platform/fake-browser.ts';
import { dropDatabasesAfterEach, startBackground } from './harness.ts';

const CHROME_TAB = 972017464;
const opened = dropDatabasesAfterEach();
function bg(opts: Parameters<typeof startBackground>[0]) {
  const b = startBackground(opts);
  opened.push(b.db);
  return b;
}

describe('pipeline on a recorded Chrome page load', () => {
  it('records one visit with every request attributed to it', async () => {
    const b = bg({ flavor: 'chrome' });
    b.fake.replay(loadScenario('chrome', 'page-load'));
    await b.settle();
    const pages = await b.db.pages.toArray();
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({
      tabId: CHROME_TAB,
      url: 'https://publisher.test:8443/',
      site: 'publisher.test',
    });
    const requests = await b.db.requests.toArray();
    expect(requests).toHaveLength(9);
    expect(new Set(requests.map((r) => r.pageId))).toEqual(new Set([pages[0]?.id]));
    // The document request arrived before its commit and still belongs to the new visit.
    expect(requests.find((r) => r.type === 'main_frame')?.pageId).toBe(pages[0]?.id);
    expect(requests.find((r) => r.url.includes('frame-px'))).toMatchObject({
      party: 'tracker-a.test',
      firstParty: false,
    });
  });

  it('aggregates parties and merges cookies without storing values', async () => {
    const b = bg({ flavor: 'chrome' });
    b.fake.replay(loadScenario('chrome', 'page-load'));
    await b.settle();
    const parties = await b.db.parties.toArray();
    const byDomain = new Map(parties.map((p) => [p.domain, p]));
    expect(byDomain.get('tracker-a.test')).toMatchObject({ requests: 3, firstParty: false });
    expect(byDomain.get('tracker-b.test')?.requests).toBe(5);
    expect(byDomain.get('tracker-b.test')?.hosts.sort()).toEqual([
      'cdn.tracker-b.test',
      'collect.tracker-b.test',
    ]);
    expect(byDomain.get('publisher.test')).toMatchObject({ firstParty: true, requests: 1 });

    const cookies = await b.db.cookies.toArray();
    const ta = cookies.find((c) => c.name === 'ta_none');
    expect(ta).toMatchObject({
      setBy: 'header',
      domain: 'tracker-a.test',
      party: 'tracker-a.test',
    });
    expect(cookies.filter((c) => c.name === 'ta_none')).toHaveLength(1);
    expect(cookies.find((c) => c.name === 'ta_js')).toMatchObject({ setBy: 'api' });
    expect(cookies.find((c) => c.name === 'pub_uid')).toMatchObject({
      setBy: 'header',
      firstParty: true,
    });
    // requestUrl is the response URL (also in the requests table); the rest must not
    // carry any cookie value.
    const stored = JSON.stringify(cookies.map((c) => ({ ...c, requestUrl: null })));
    expect(cookies.some((c) => 'value' in c)).toBe(false);
    for (const value of ['a8f3e2b19c7d4e6f8a0b', 'c0ffee00c0ffee00c0ff', '7f3a9c2e51b84d0f']) {
      expect(stored).not.toContain(value);
    }
    expect(byDomain.get('tracker-a.test')?.cookiesSet).toBe(3); // ta_none, ta_seen, ta_js
  });

  it('sets the badge to the number of tracking parties of the current visit', async () => {
    const b = bg({ flavor: 'chrome' });
    b.fake.replay(loadScenario('chrome', 'page-load'));
    await b.settle();
    const parties = await b.db.parties.toArray();
    const tracking = parties.filter(
      (p) => !p.firstParty && !p.sameOrganization && (p.trackerName !== null || p.pixels > 0),
    ).length;
    expect(tracking).toBeGreaterThan(0);
    expect(b.badges[0]).toEqual([CHROME_TAB, '']); // cleared on navigation
    expect(b.badges.at(-1)).toEqual([CHROME_TAB, String(tracking)]);
  });

  it('attributes tabless requests by initiator, else to a per-site unattributed visit', async () => {
    const b = bg({ flavor: 'chrome' });
    b.fake.replay(loadScenario('chrome', 'page-load'));
    b.fake.replay(loadScenario('chrome', 'tabless-and-ignored'));
    await b.settle();
    const visit = (await b.db.pages.where('tabId').equals(CHROME_TAB).toArray())[0];
    const sw = await b.db.requests.filter((r) => r.url.endsWith('/sw-sync')).first();
    expect(sw?.pageId).toBe(visit?.id);
    const orphan = await b.db.requests.filter((r) => r.url.endsWith('/prefetch.js')).first();
    expect(orphan?.pageId).toMatch(/^unattributed\|elsewhere\.test\|\d{4}-\d\d-\d\d$/);
    const synthetic = await b.db.pages.get(orphan?.pageId ?? '');
    expect(synthetic).toMatchObject({ tabId: -1, site: 'elsewhere.test' });
    // Extension and about: pages: no visit; requests from an extension tab: not recorded.
    expect(await b.db.pages.count()).toBe(2);
    expect(await b.db.requests.filter((r) => r.url.endsWith('/api')).count()).toBe(0);
  });

  it('keeps redirect hops as separate rows of the same visit', async () => {
    const b = bg({ flavor: 'chrome' });
    b.fake.replay(loadScenario('chrome', 'page-load'));
    b.fake.replay(loadScenario('chrome', 'redirect'));
    await b.settle();
    const hops = await b.db.requests.filter((r) => r.id.startsWith('b-2001')).toArray();
    expect(hops.map((h) => [h.id, h.status, h.party])).toEqual([
      ['b-2001', 302, 'tracker-a.test'],
      ['b-2001.1', 200, 'tracker-c.test'],
    ]);
  });
});

describe('while the page loads', () => {
  it("analyses and stores nothing until the page's load event, then all of it", async () => {
    const b = bg({ flavor: 'chrome' });
    b.fake.replay(loadScenario('chrome', 'page-load'));
    // The writer commits what it has; the gate still holds the page's events.
    await b.writer.flushNow();
    expect(await b.db.requests.count()).toBe(0);
    b.fake.emit('webNavigation.onCompleted', { tabId: CHROME_TAB, frameId: 0 });
    await b.pipeline.settled();
    await b.writer.flushNow();
    expect(await b.db.requests.count()).toBe(9);
    expect(await b.db.pages.count()).toBe(1);
    await b.settle();
  });

  it('a subframe finishing does not release the page; a failed load does', async () => {
    const b = bg({ flavor: 'chrome' });
    b.fake.replay(loadScenario('chrome', 'page-load'));
    b.fake.emit('webNavigation.onCompleted', { tabId: CHROME_TAB, frameId: 3 });
    await b.writer.flushNow();
    expect(await b.db.requests.count()).toBe(0);
    b.fake.emit('webNavigation.onErrorOccurred', { tabId: CHROME_TAB, frameId: 0 });
    await b.pipeline.settled();
    await b.writer.flushNow();
    expect(await b.db.requests.count()).toBe(9);
    await b.settle();
  });

  it('the popup asking for the tab gets the visit at once, mid-load', async () => {
    const b = bg({ flavor: 'chrome' });
    b.fake.replay(loadScenario('chrome', 'page-load'));
    expect(await b.handlers.getTabPage({ tabId: CHROME_TAB })).toMatchObject({
      url: 'https://publisher.test:8443/',
    });
    await b.settle();
  });
});

describe('pipeline on a recorded Firefox page load', () => {
  it('attributes by tab, splits newline-joined Set-Cookie, uses the partition key', async () => {
    const b = bg({ flavor: 'firefox' });
    b.fake.replay(loadScenario('firefox', 'page-load'));
    await b.settle();
    const pages = await b.db.pages.toArray();
    expect(pages.map((p) => [p.tabId, p.site])).toEqual([[3, 'publisher.test']]);
    const requests = await b.db.requests.toArray();
    expect(requests).toHaveLength(7);
    expect(requests.every((r) => r.pageId === pages[0]?.id)).toBe(true);
    expect(requests.find((r) => r.url.endsWith('/beacon'))?.type).toBe('beacon');
    const cookies = await b.db.cookies.toArray();
    expect(cookies.map((c) => c.name).sort()).toEqual(['ta_js', 'ta_none', 'ta_seen']);
    expect(cookies.every((c) => c.pageId === pages[0]?.id)).toBe(true);
  });
});

describe('private windows', () => {
  it('drops private-window events by default (Firefox gives incognito)', async () => {
    const b = bg({
      flavor: 'firefox',
      stores: [{ id: 'firefox-private', tabIds: [9], incognito: true }],
    });
    b.fake.replay(loadScenario('firefox', 'private-window'));
    await b.settle();
    expect(await b.db.pages.count()).toBe(0);
    expect(await b.db.requests.count()).toBe(0);
    expect(await b.db.cookies.count()).toBe(0);
  });

  it('records them when the user opted in', async () => {
    const b = bg({ flavor: 'firefox', recordPrivate: true });
    b.fake.replay(loadScenario('firefox', 'private-window'));
    await b.settle();
    expect(await b.db.pages.count()).toBe(1);
    expect(await b.db.requests.count()).toBe(1);
  });

  it('looks the tab and cookie store up when the browser does not say (Chrome)', async () => {
    const b = bg({
      flavor: 'chrome',
      tabs: new Map([[CHROME_TAB, { url: 'https://publisher.test:8443/', incognito: true }]]),
      // Chrome's cookie stores list their tabs; a store of incognito tabs is private.
      stores: [{ id: '0', tabIds: [CHROME_TAB], incognito: null }],
    });
    b.fake.replay(loadScenario('chrome', 'page-load'));
    await b.settle();
    expect(await b.db.pages.count()).toBe(0);
    expect(await b.db.requests.count()).toBe(0);
    expect(await b.db.cookies.count()).toBe(0);
  });
});

describe('worker restart', () => {
  it('keeps attributing to the same visit and adds up party counts', async () => {
    const first = bg({ flavor: 'chrome', bootId: 'one' });
    first.fake.replay(loadScenario('chrome', 'page-load'));
    await first.settle();
    const visit = (await first.db.pages.toArray())[0];
    const before = await first.db.parties.get(`${visit?.id}|tracker-b.test`);

    // A new worker: empty memory, same database, the tab still shows the page.
    const second = bg({
      flavor: 'chrome',
      bootId: 'two',
      db: first.db,
      tabs: new Map([[CHROME_TAB, { url: 'https://publisher.test:8443/', incognito: false }]]),
    });
    expect(await second.handlers.getTabPage({ tabId: CHROME_TAB })).toEqual({
      pageId: visit?.id,
      url: 'https://publisher.test:8443/',
      site: 'publisher.test',
    });
    // documentId unknown to the new worker: falls back to the tab's visit.
    second.fake.replay(loadScenario('chrome', 'redirect'));
    await second.settle();
    expect(await second.db.pages.count()).toBe(1);
    const ids = await second.db.requests.filter((r) => r.id.startsWith('two-')).toArray();
    expect(ids.length).toBe(3);
    expect(ids.every((r) => r.pageId === visit?.id)).toBe(true);
    const after = await second.db.parties.get(`${visit?.id}|tracker-b.test`);
    expect(after?.requests).toBe(before?.requests);
    const a = await second.db.parties.get(`${visit?.id}|tracker-a.test`);
    expect(a?.requests).toBe(4);
  });

  it('starts a visit for a tab that was open before the worker started', async () => {
    const b = bg({
      flavor: 'chrome',
      tabs: new Map([[CHROME_TAB, { url: 'https://publisher.test:8443/', incognito: false }]]),
    });
    b.fake.replay(loadScenario('chrome', 'redirect'));
    await b.settle();
    const pages = await b.db.pages.toArray();
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ tabId: CHROME_TAB, site: 'publisher.test' });
  });
});
