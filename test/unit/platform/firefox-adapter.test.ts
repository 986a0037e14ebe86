// Firefox-shaped events through the real adapter and background: the differences the
// adapter settles by feature detection (docs/firefox.md, "What differs").
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createAnalyzer } from '../../../src/core/analyzer.ts';
import { registrableDomain } from '../../../src/core/party.ts';
import { createPageTracker } from '../../../src/background/page-tracker.ts';
import { createPipeline } from '../../../src/background/pipeline.ts';
import { createPrivacyFilter } from '../../../src/background/privacy.ts';
import { startCapture } from '../../../src/platform/capture.ts';
import { convertCookieChange } from '../../../src/platform/cookie-events.ts';
import { createDnsAliases } from '../../../src/platform/dns.ts';
import { createWriter } from '../../../src/storage/writer.ts';
import { allFindings, findingsOfPage } from '../../../src/storage/findings.ts';
import { dropDatabasesAfterEach, freshDb, startBackground } from '../background/harness.ts';
import { createFakeBrowser, type FixtureEvent } from './fake-browser.ts';

/** test/fixtures/firefox/events/<name>.json; raw bodies are {"$utf8": "..."}. */
function firefoxScenario(name: string): FixtureEvent[] {
  const file = resolve(import.meta.dirname, '../../fixtures/firefox/events', `${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8'), (_key, value: unknown) => {
    const v = value as Record<string, unknown> | null;
    if (v && typeof v === 'object' && typeof v['$utf8'] === 'string') {
      return new TextEncoder().encode(v['$utf8']).buffer;
    }
    return value;
  }) as FixtureEvent[];
}

const opened = dropDatabasesAfterEach();

async function replayTwoSites() {
  const b = startBackground({ flavor: 'firefox' });
  opened.push(b.db);
  b.fake.replay(firefoxScenario('two-sites'));
  await b.settle();
  const pages = await b.db.pages.toArray();
  const pub = pages.find((p) => p.site === 'publisher.test');
  const other = pages.find((p) => p.site === 'other-news.test');
  if (!pub || !other) throw new Error(`visits missing: ${JSON.stringify(pages)}`);
  return { b, pub, other };
}

describe('partitioned and isolated cookies', () => {
  const change = (cookie: Record<string, unknown>) =>
    convertCookieChange(
      {
        removed: false,
        cause: 'explicit',
        cookie: { name: 'c', value: 'v', domain: '.t.test', ...cookie },
      },
      1,
    );

  it('reads the top-level site from partitionKey (Total Cookie Protection)', () => {
    const c = change({
      firstPartyDomain: '',
      partitionKey: { topLevelSite: 'https://publisher.test', hasCrossSiteAncestor: true },
    });
    expect(c).toMatchObject({
      topLevelSite: 'https://publisher.test',
      event: { partitioned: true },
    });
  });

  it.each([
    ['publisher.test', 'https://publisher.test'],
    ['(https,publisher.test)', 'https://publisher.test'],
    ['(http,publisher.test,8080)', 'http://publisher.test'],
    ['', null],
    ['[::1]', null],
    ['(file,x)', null],
    ['publisher.test)', null],
  ])('reads first-party isolation’s firstPartyDomain %j as %j', (firstPartyDomain, site) => {
    expect(change({ firstPartyDomain })?.topLevelSite).toBe(site);
  });

  it('attributes partitioned and isolated cookies to the top-level site’s visit', async () => {
    const { b, pub, other } = await replayTwoSites();
    const cookies = await b.db.cookies.toArray();
    const pageOf = (name: string) => cookies.find((c) => c.name === name)?.pageId;
    // tracker-a.test was last seen on the other tab, but these cookies were kept for
    // publisher.test, so they are the publisher visit's.
    expect(pageOf('ta_tcp')).toBe(pub.id);
    expect(pageOf('ta_fpi')).toBe(pub.id);
    // Without a partition the cookie goes where its party was seen last.
    expect(pageOf('ta_plain')).toBe(other.id);
  });
});

describe('Firefox request details', () => {
  it('splits newline-joined Set-Cookie, keeps beacons as pixels, folds imageset', async () => {
    const { b, pub } = await replayTwoSites();
    const cookies = await b.db.cookies.where('pageId').equals(pub.id).toArray();
    expect(cookies.map((c) => c.name).sort()).toEqual(
      expect.arrayContaining(['ta_pub', 'ta_seen']),
    );
    const requests = await b.db.requests.where('pageId').equals(pub.id).toArray();
    expect(requests.map((r) => [r.type, r.party, r.firstParty]).sort()).toEqual([
      ['beacon', 'tracker-a.test', false],
      ['image', 'tracker-a.test', false], // Firefox's imageset
      ['main_frame', 'publisher.test', true],
    ]);
    // originUrl / documentUrl stand in for Chrome's initiator.
    expect(requests.find((r) => r.type === 'beacon')?.initiator).toBe('https://publisher.test/');
    const party = await b.db.parties.where('pageId').equals(pub.id).toArray();
    expect(party.find((p) => p.domain === 'tracker-a.test')?.pixels).toBeGreaterThan(0);
    const findings = await findingsOfPage(b.db, pub.id);
    expect(findings.some((f) => f.kind === 'pixel' && f.party === 'tracker-a.test')).toBe(true);
  });
});

describe('CNAME answers reach the analysis (pipeline wiring as in background/index.ts)', () => {
  it('holds a first-party-looking request until dns.resolve answers, then files it under the tracker', async () => {
    const db = freshDb();
    opened.push(db);
    let answer: (v: { canonicalName: string }) => void = () => undefined;
    const asked: string[] = [];
    const dns = createDnsAliases({
      resolve: (host) => {
        asked.push(host);
        return new Promise((ok) => (answer = ok));
      },
    });
    const analyzer = createAnalyzer(undefined, { aliases: dns });
    const tracker = createPageTracker({
      analyzer,
      siteOf: registrableDomain,
      newPageId: (tabId, time) => `${tabId}-${time}`,
      onPageStarted: (page) =>
        writer.page({
          id: page.pageId,
          tabId: page.tabId,
          url: page.url,
          site: page.site,
          visitedAt: page.visitedAt,
          imported: false,
        }),
      recover: async () => ({ page: null, tabUrl: null, tabIgnored: false }),
    });
    const writer = createWriter(db, { intervalMs: 10_000 });
    const pipeline = createPipeline({
      analyzer,
      tracker,
      writer,
      privacy: createPrivacyFilter({
        recordPrivate: () => false,
        isIncognitoTab: async () => false,
        cookieStores: async () => [],
      }),
      ready: db.open(),
      cookieFindingKinds: new Set(),
      beforeAnalysis: (c, page) => dns.settle(c.record.url, page.url),
    });
    const fake = createFakeBrowser('firefox');
    startCapture(fake.api, pipeline, { idPrefix: 'b-', ownOrigin: null });

    const page = 'https://www.liberation.fr/';
    fake.emit('webNavigation.onCommitted', { tabId: 5, frameId: 0, url: page, timeStamp: 1 });
    const px = {
      requestId: '7',
      url: 'https://f7ds.liberation.fr/col2/-/1?pv=1',
      method: 'GET',
      type: 'imageset',
      tabId: 5,
      frameId: 0,
      parentFrameId: -1,
      timeStamp: 2,
      originUrl: page,
      documentUrl: page,
      thirdParty: false,
    };
    fake.emit('onBeforeRequest', px);
    fake.emit('onCompleted', { ...px, statusCode: 200 });
    // The question goes out once the pipeline reaches the request (after the database opens
    // and the knowledge's first lookup): wait for it rather than for a fixed time.
    await vi.waitFor(() => expect(asked.length).toBeGreaterThan(0), { timeout: 5_000 });
    expect(asked).toEqual(['f7ds.liberation.fr']); // the page host itself is never asked about
    answer({ canonicalName: 'liberation.eulerian.net' });
    await pipeline.drain();
    await writer.flushNow();

    const [request] = await db.requests.toArray();
    expect(request).toMatchObject({
      host: 'f7ds.liberation.fr',
      party: 'eulerian.net',
      firstParty: false,
    });
    const kinds = (await allFindings(db)).map((f) => f.kind);
    expect(kinds).toContain('cname-cloaking');
    expect(kinds).toContain('tracker-request');
  });
});
