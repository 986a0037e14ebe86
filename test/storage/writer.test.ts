import { freshDbs } from './fresh-db.ts';
import { describe, expect, it } from 'vitest';
import type { PageRow } from '../../src/storage/db.ts';
import { allFindings, findingCount } from '../../src/storage/findings.ts';
import { createWriter, type Writer } from '../../src/storage/writer.ts';
import type { CookieEvent, Finding, PartyInfo } from '../../src/core/model.ts';

const freshDb = freshDbs('writer-test');

const PAGE: PageRow = {
  id: '7-1000-abc',
  tabId: 7,
  url: 'https://news.test/',
  site: 'news.test',
  visitedAt: 1000,
  imported: false,
};

const tracker: PartyInfo = {
  host: 'px.tracker.test',
  domain: 'tracker.test',
  organization: 'Tracker Inc',
  category: 'advertising',
  firstParty: false,
  sameOrganization: false,
  tracker: {
    key: 'tracker',
    name: 'Tracker Pixel',
    organization: 'Tracker Inc',
    category: 'advertising',
    rule: 'tracker.test',
    list: 'Test list 1',
  },
};

function request(w: Writer, id: string, time: number, host = 'px.tracker.test', pixel = false) {
  w.request({
    id,
    pageId: PAGE.id,
    site: PAGE.site,
    url: `https://${host}/p?${id}`,
    host,
    party: 'tracker.test',
    type: 'image',
    method: 'GET',
    initiator: 'https://news.test',
    status: 200,
    firstParty: false,
    tracker: 'tracker',
    time,
  });
  w.party({
    pageId: PAGE.id,
    site: PAGE.site,
    party: { ...tracker, host },
    time,
    requests: 1,
    pixels: pixel ? 1 : 0,
    loadedBy: 'page',
  });
}

function cookie(over: Partial<CookieEvent> = {}): CookieEvent {
  return {
    name: 'uid',
    value: 'SECRET-a8f3e2b19c7d4e6f',
    domain: 'tracker.test',
    hostOnly: false,
    path: '/',
    expires: 99_000_000,
    secure: true,
    httpOnly: false,
    sameSite: 'no_restriction',
    partitioned: false,
    removed: false,
    source: 'api',
    requestUrl: null,
    scriptUrl: null,
    time: 2000,
    ...over,
  };
}

function finding(kind: Finding['kind'], time: number): Finding {
  return {
    kind,
    pageId: PAGE.id,
    page: PAGE.url,
    site: PAGE.site,
    party: 'tracker.test',
    host: 'px.tracker.test',
    requestUrl: 'https://px.tracker.test/p',
    dataTypes: kind === 'page-url-leak' ? ['page-url'] : [],
    encoding: null,
    explanation: 'test',
    evidence: { rule: 'test' },
    time,
  };
}

describe('writer', () => {
  it('batches rows and writes them in one flush', async () => {
    const db = freshDb();
    const flushed: Set<string>[] = [];
    const w = createWriter(db, { intervalMs: 10_000, onFlushed: (ids) => flushed.push(ids) });
    w.page(PAGE);
    for (let i = 0; i < 5; i++) request(w, `r${i}`, 1000 + i);
    expect(await db.requests.count()).toBe(0);
    expect(w.pending).toBe(11);
    await w.flushNow();
    expect(await db.requests.count()).toBe(5);
    expect(await db.pages.count()).toBe(1);
    expect(flushed).toEqual([new Set([PAGE.id])]);
    expect(w.pending).toBe(0);
  });

  it('flushes by itself at maxRows and after the interval', async () => {
    const db = freshDb();
    let flushes = 0;
    const w = createWriter(db, { intervalMs: 30, maxRows: 10, onFlushed: () => flushes++ });
    for (let i = 0; i < 10; i++) request(w, `r${i}`, 1000 + i); // 20 rows: >= 10
    await w.flushNow();
    expect(await db.requests.count()).toBe(10);
    request(w, 'late', 5000);
    await new Promise((r) => setTimeout(r, 80));
    expect(await db.requests.count()).toBe(11);
    expect(flushes).toBeGreaterThanOrEqual(2);
  });

  it('gathers rows that arrive during a commit into one batch, up to maxBatchRows', async () => {
    const db = freshDb();
    const sizes: number[] = [];
    const w = createWriter(db, {
      intervalMs: 10_000,
      maxRows: 10,
      maxBatchRows: 300,
      onFlushed: () => sizes.push(sizes.length),
    });
    const finding = (i: number): Finding => ({
      kind: 'tracker-request',
      pageId: `p${i % 3}`,
      page: 'https://news.test/',
      site: i % 2 ? 'news.test' : 'other.test',
      party: 'tracker.test',
      host: 'px.tracker.test',
      requestUrl: null,
      dataTypes: [],
      encoding: null,
      explanation: 'x',
      evidence: { rule: 'x', details: { i } },
      time: 1000 + i,
    });
    // 10 rows start a commit; the next 1,000 arrive while it runs: batches of 300 at most,
    // not 100 batches of 10.
    for (let i = 0; i < 1_010; i++) w.findings([finding(i)]);
    await w.flushNow();
    expect(sizes.length).toBeLessThanOrEqual(1 + Math.ceil(1_000 / 300));
    expect(await findingCount(db)).toBe(1_010);
    expect(await findingCount(db, 'news.test')).toBe(505);
    // One chunk per site per batch, each holding only its site's findings.
    const chunks = await db.findings.toArray();
    expect(chunks.length).toBeLessThanOrEqual(2 * sizes.length);
    expect(chunks.every((c) => c.rows.every((f) => f.site === c.site))).toBe(true);
    const times = (await allFindings(db)).map((f) => f.evidence.details?.['i']).sort();
    expect(new Set(times).size).toBe(1_010);
  });

  it('aggregates a party across two writer instances (worker restart)', async () => {
    const db = freshDb();
    const first = createWriter(db);
    first.page(PAGE);
    request(first, 'a', 1000);
    request(first, 'b', 1100, 'cdn.tracker.test', true);
    first.findings([finding('tracker-request', 1000)]);
    await first.flushNow();

    // A restarted worker starts with empty deltas.
    const second = createWriter(db);
    request(second, 'c', 3000, 'px.tracker.test', true);
    second.findings([finding('page-url-leak', 3000), finding('tracker-request', 3000)]);
    await second.flushNow();

    const rows = await db.parties.toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: `${PAGE.id}|tracker.test`,
      requests: 3,
      pixels: 2,
      kinds: ['tracker-request', 'page-url-leak'],
      dataTypes: ['page-url'],
      loadedBy: 'page',
      organization: 'Tracker Inc',
      category: 'advertising',
      trackerName: 'Tracker Pixel',
      rule: 'tracker.test',
      list: 'Test list 1',
      firstParty: false,
      authorized: null,
      firstSeen: 1000,
      lastSeen: 3000,
    });
    expect(rows[0]?.hosts.sort()).toEqual(['cdn.tracker.test', 'px.tracker.test']);
    expect(await findingCount(db)).toBe(3);
    expect((await allFindings(db)).map((f) => f.party)).toHaveLength(3);
    expect(await db.requests.count()).toBe(3);
  });

  it('keeps the tag-chain edges of a party once each, across a worker restart, capped', async () => {
    const db = freshDb();
    const edge = (child: string, parent: string | null = 'https://tags.test/gtm.js') => ({
      parent,
      parentParty: parent ? 'tags.test' : 'page',
      child,
      tag: 'script' as const,
      time: 1000,
    });
    const obs = (e: ReturnType<typeof edge>) => ({
      pageId: PAGE.id,
      site: PAGE.site,
      party: tracker,
      time: 1000,
      loadedBy: 'tags.test',
      edge: e,
    });
    const first = createWriter(db);
    first.page(PAGE);
    first.party(obs(edge('https://cdn.tracker.test/t.js')));
    first.party(obs(edge('https://cdn.tracker.test/t.js')));
    await first.flushNow();
    const second = createWriter(db);
    second.party(obs(edge('https://cdn.tracker.test/t.js')));
    second.party(obs(edge('https://cdn.tracker.test/t2.js', null)));
    for (let i = 0; i < 150; i++) second.party(obs(edge(`https://cdn.tracker.test/x${i}.js`)));
    await second.flushNow();
    const row = await db.parties.get(`${PAGE.id}|tracker.test`);
    expect(row?.loadedBy).toBe('tags.test');
    expect(row?.tagEdges).toHaveLength(100);
    expect(row?.tagEdges?.slice(0, 2).map((e) => [e.parent, e.child])).toEqual([
      ['https://tags.test/gtm.js', 'https://cdn.tracker.test/t.js'],
      [null, 'https://cdn.tracker.test/t2.js'],
    ]);
  });

  it('merges header and API observations of a cookie into one row, without the value', async () => {
    const db = freshDb();
    const w1 = createWriter(db);
    w1.cookie({
      pageId: PAGE.id,
      site: PAGE.site,
      cookie: cookie({ source: 'header', requestUrl: 'https://px.tracker.test/p', httpOnly: true }),
      party: tracker,
      identifierLike: true,
      entropyBits: 61.2,
    });
    w1.cookie({
      pageId: PAGE.id,
      site: PAGE.site,
      cookie: cookie({ time: 2100 }),
      party: tracker,
      identifierLike: true,
      entropyBits: 60,
    });
    await w1.flushNow();
    // Seen again after a restart: still one row, still counted once.
    const w2 = createWriter(db);
    w2.cookie({
      pageId: PAGE.id,
      site: PAGE.site,
      cookie: cookie({ time: 5000, value: 'SECRET-other-value-123' }),
      party: tracker,
      identifierLike: false,
      entropyBits: 10,
    });
    w2.cookie({
      pageId: PAGE.id,
      site: PAGE.site,
      cookie: cookie({ name: 'other', time: 5000 }),
      party: tracker,
      identifierLike: false,
      entropyBits: 3,
    });
    await w2.flushNow();

    const rows = await db.cookies.orderBy('id').toArray();
    expect(rows.map((r) => r.id)).toEqual([
      `${PAGE.id}|tracker.test|other|/`,
      `${PAGE.id}|tracker.test|uid|/`,
    ]);
    expect(rows[1]).toMatchObject({
      setBy: 'header',
      requestUrl: 'https://px.tracker.test/p',
      httpOnly: true,
      identifierLike: true,
      entropyBits: 61.2,
      valueLength: 'SECRET-other-value-123'.length,
      party: 'tracker.test',
      firstParty: false,
      time: 2000,
    });
    const everything = JSON.stringify(await db.cookies.toArray());
    expect(everything).not.toContain('SECRET');
    expect(rows[1]).not.toHaveProperty('value');
    const party = await db.parties.get(`${PAGE.id}|tracker.test`);
    expect(party).toMatchObject({ cookiesSet: 2, requests: 0, trackerName: 'Tracker Pixel' });
  });

  it('retries a failed flush once, then logs instead of throwing', async () => {
    const db = freshDb();
    const logs: string[] = [];
    const w = createWriter(db, { log: (m) => logs.push(m) });
    let calls = 0;
    const real = db.transaction.bind(db);
    (db as { transaction: unknown }).transaction = (...args: unknown[]) => {
      calls++;
      if (calls <= 1) return Promise.reject(new Error('quota'));
      return (real as (...a: unknown[]) => unknown)(...args);
    };
    request(w, 'x', 1);
    await w.flushNow();
    expect(await db.requests.count()).toBe(1);
    expect(logs).toEqual([]);

    calls = -10; // now fail twice in a row
    (db as { transaction: unknown }).transaction = () => Promise.reject(new Error('broken'));
    request(w, 'y', 2);
    await expect(w.flushNow()).resolves.toBeUndefined();
    expect(logs).toEqual(['leakwatch: flush of 2 rows failed twice, batch lost']);
  });
});
