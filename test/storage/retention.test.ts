import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type LeakwatchDb } from '../../src/storage/db.ts';
import { applyRetention, purgeOlderThan } from '../../src/storage/retention.ts';
import { allFindings, findingCount, saveFindings } from '../../src/storage/findings.ts';
import type { Finding } from '../../src/core/model.ts';

const DAY = 86_400_000;
const NOW = 100 * DAY;
let db: LeakwatchDb;

afterEach(async () => {
  db.close();
  await db.delete();
});

async function seed(pageId: string, visitedAt: number, rowTime = visitedAt) {
  await db.pages.put({
    id: pageId,
    tabId: 1,
    url: 'https://a.test/',
    site: 'a.test',
    visitedAt,
    imported: false,
  });
  await db.requests.put({
    id: `${pageId}-r`,
    pageId,
    site: 'a.test',
    url: 'https://t.test/',
    host: 't.test',
    party: 't.test',
    type: 'image',
    method: 'GET',
    initiator: null,
    status: 200,
    firstParty: false,
    tracker: null,
    time: rowTime,
  });
  await db.cookies.put({
    id: `${pageId}|t.test|c|/`,
    pageId,
    site: 'a.test',
    name: 'c',
    domain: 't.test',
    path: '/',
    party: 't.test',
    firstParty: false,
    setBy: 'api',
    requestUrl: null,
    scriptUrl: null,
    expires: null,
    secure: false,
    httpOnly: false,
    sameSite: 'lax',
    identifierLike: false,
    valueLength: 1,
    entropyBits: 0,
    time: rowTime,
  });
  await db.parties.put({
    id: `${pageId}|t.test`,
    pageId,
    site: 'a.test',
    domain: 't.test',
    hosts: ['t.test'],
    organization: 't.test',
    category: null,
    firstParty: false,
    sameOrganization: false,
    trackerName: null,
    rule: null,
    list: null,
    authorized: null,
    requests: 1,
    pixels: 0,
    cookiesSet: 1,
    kinds: [],
    dataTypes: [],
    loadedBy: 'page',
    firstSeen: rowTime,
    lastSeen: rowTime,
  });
  await saveFindings(db, [finding(pageId, rowTime)]);
}

function finding(pageId: string, time: number): Finding {
  return {
    kind: 'tracker-request',
    pageId,
    page: 'https://a.test/',
    site: 'a.test',
    party: 't.test',
    host: 't.test',
    requestUrl: null,
    dataTypes: [],
    encoding: null,
    explanation: 'x',
    evidence: { rule: 'x' },
    time,
  };
}

describe('retention', () => {
  it('purges old visits with all their rows and keeps recent ones', async () => {
    db = openDb(`retention-${Date.now()}-1`);
    await seed('old', NOW - 40 * DAY, NOW - 40 * DAY);
    // An old visit whose rows are recent still goes: the rows belong to it.
    await seed('old-long', NOW - 31 * DAY, NOW - 2 * DAY);
    await seed('new', NOW - 2 * DAY);
    await db.meta.put({ key: 'recordPrivate', value: true });

    const result = await applyRetention(db, NOW);
    expect(result).toEqual({ pages: 2, requests: 2, cookies: 2, parties: 2, findings: 2 });
    expect((await db.pages.toArray()).map((p) => p.id)).toEqual(['new']);
    for (const table of [db.requests, db.cookies, db.parties]) {
      const rows = (await table.toArray()) as { pageId: string }[];
      expect(rows.map((r) => r.pageId)).toEqual(['new']);
    }
    expect((await allFindings(db)).map((r) => r.pageId)).toEqual(['new']);
    expect(await findingCount(db, 'a.test')).toBe(1);
    expect(await db.meta.get('recordPrivate')).toBeDefined();
  });

  it('drops rows older than the cutoff even when their visit stays', async () => {
    db = openDb(`retention-${Date.now()}-2`);
    await seed('keep', NOW - DAY, NOW - 10 * DAY);
    const result = await purgeOlderThan(db, NOW - 5 * DAY);
    expect(result.pages).toBe(0);
    expect(result.requests).toBe(1);
    expect(await db.pages.count()).toBe(1);
    expect(await db.requests.count()).toBe(0);
  });

  it('removes old findings from a chunk shared with findings it keeps', async () => {
    db = openDb(`retention-${Date.now()}-4`);
    await seed('old', NOW - 40 * DAY);
    await seed('new', NOW - 2 * DAY);
    // One stored chunk (one flush) holding findings of both visits, and an aged one of 'new'.
    await saveFindings(db, [
      finding('old', NOW - 40 * DAY),
      finding('new', NOW - 40 * DAY),
      finding('new', NOW - DAY),
    ]);
    expect(await findingCount(db, 'a.test')).toBe(5);

    const result = await applyRetention(db, NOW);
    expect(result.findings).toBe(3);
    const left = await allFindings(db);
    expect(left.map((f) => [f.pageId, f.time])).toEqual([
      ['new', NOW - 2 * DAY],
      ['new', NOW - DAY],
    ]);
    expect(await findingCount(db, 'a.test')).toBe(2);
    // The rewritten chunk is indexed by what it still holds.
    expect(await db.findings.where('pageIds').equals('old').count()).toBe(0);
    expect(
      await db.findings
        .where('time')
        .below(NOW - 30 * DAY)
        .count(),
    ).toBe(0);
  });

  it('honours a custom number of days and is a no-op on an empty database', async () => {
    db = openDb(`retention-${Date.now()}-3`);
    expect(await applyRetention(db, NOW, 7)).toEqual({
      pages: 0,
      requests: 0,
      cookies: 0,
      parties: 0,
      findings: 0,
    });
    await seed('week', NOW - 8 * DAY);
    expect((await applyRetention(db, NOW, 30)).pages).toBe(0);
    expect((await applyRetention(db, NOW, 7)).pages).toBe(1);
  });
});
