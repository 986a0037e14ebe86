// Storage limits: when IndexedDB refuses a write because the disk is full, the writer prunes
// by the retention policy with a shorter window, retries, keeps recording, and leaves a
// `storageWarning` row for the UI. The failure is injected into a real Dexie table on
// fake-indexeddb, as the DOMException a browser raises.
//
// Schema migrations are not tested here: only schema version 1 exists (src/storage/db.ts).
// The first version(2) must come with a test that opens a version-1 database holding real
// rows and checks them after the upgrade.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type LeakwatchDb, type PageRow, type RequestRow } from '../../src/storage/db.ts';
import {
  isQuotaError,
  META_STORAGE_WARNING,
  readStorageWarning,
  relieveQuota,
} from '../../src/storage/quota.ts';
import { createWriter } from '../../src/storage/writer.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2024-06-01T12:00:00Z');

let db: LeakwatchDb | null = null;
afterEach(async () => {
  db?.close();
  if (db) await db.delete();
  db = null;
});

const page = (id: string, visitedAt: number): PageRow => ({
  id,
  tabId: 1,
  url: `https://${id}.test/`,
  site: `${id}.test`,
  visitedAt,
  imported: false,
});
const request = (id: string, pageId: string, time: number): RequestRow => ({
  id,
  pageId,
  site: `${pageId}.test`,
  url: `https://px.tracker.test/${id}`,
  host: 'px.tracker.test',
  party: 'tracker.test',
  type: 'image',
  method: 'GET',
  initiator: null,
  status: 200,
  firstParty: false,
  tracker: null,
  time,
});

function quotaError(): Error {
  return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
}

/** Makes the next `times` bulkPut calls on `requests` fail as a full disk does. */
function failRequests(d: LeakwatchDb, times: number): { failures: () => number } {
  const table = d.requests;
  const original = table.bulkPut.bind(table);
  let left = times;
  let failures = 0;
  table.bulkPut = ((...args: Parameters<typeof original>) => {
    if (left > 0) {
      left--;
      failures++;
      return Promise.reject(quotaError());
    }
    return original(...args);
  }) as typeof table.bulkPut;
  return { failures: () => failures };
}

async function seedHistory(d: LeakwatchDb): Promise<void> {
  await d.pages.bulkPut([
    page('old', NOW - 20 * DAY),
    page('mid', NOW - 10 * DAY),
    page('new', NOW - DAY),
  ]);
  await d.requests.bulkPut([
    request('o1', 'old', NOW - 20 * DAY),
    request('m1', 'mid', NOW - 10 * DAY),
    request('n1', 'new', NOW - DAY),
  ]);
}

describe('a full disk', () => {
  it('recognises quota errors however they are wrapped', () => {
    expect(isQuotaError(quotaError())).toBe(true);
    expect(isQuotaError({ name: 'AbortError', inner: quotaError() })).toBe(true);
    expect(isQuotaError(new Error('x', { cause: quotaError() }))).toBe(true);
    expect(isQuotaError(new Error('ConstraintError'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });

  it('prunes with a shorter retention window, retries, keeps recording and warns', async () => {
    db = openDb(`quota-${Math.random()}`);
    await seedHistory(db);
    const d = db;
    const attempts: number[] = [];
    const writer = createWriter(d, {
      log: () => undefined,
      onQuotaExceeded: (attempt) => {
        attempts.push(attempt);
        return relieveQuota(d, NOW, 30, attempt);
      },
    });
    const injected = failRequests(d, 1);

    writer.page(page('live', NOW));
    writer.request(request('l1', 'live', NOW));
    await writer.flushNow();

    expect(injected.failures()).toBe(1);
    expect(attempts).toEqual([1]);
    // The batch that hit the full disk is stored after all.
    expect(await d.requests.get('l1')).toBeDefined();
    // 30 days halved: the 20-day-old visit went, the 10-day-old one stayed.
    expect(await d.pages.get('old')).toBeUndefined();
    expect(await d.requests.get('o1')).toBeUndefined();
    expect(await d.pages.get('mid')).toBeDefined();
    expect(await d.requests.get('n1')).toBeDefined();
    const warning = await readStorageWarning(d);
    expect(warning).toMatchObject({ at: NOW, keptDays: 15 });
    expect(warning?.deleted).toBeGreaterThan(0);
    expect(warning?.message).toMatch(/Storage is full/);

    // And recording goes on.
    writer.request(request('l2', 'live', NOW + 1));
    await writer.flushNow();
    expect(await d.requests.get('l2')).toBeDefined();
  });

  it('halves the window again while the disk stays full', async () => {
    db = openDb(`quota-${Math.random()}`);
    await seedHistory(db);
    const d = db;
    const attempts: number[] = [];
    const writer = createWriter(d, {
      log: () => undefined,
      onQuotaExceeded: (attempt) => {
        attempts.push(attempt);
        return relieveQuota(d, NOW, 30, attempt);
      },
    });
    failRequests(d, 2);
    writer.request(request('l1', 'new', NOW));
    await writer.flushNow();
    expect(attempts).toEqual([1, 2]);
    expect(await d.requests.get('l1')).toBeDefined();
    // 7.5 days: the 10-day-old visit went too; yesterday's stays.
    expect(await d.pages.get('mid')).toBeUndefined();
    expect(await d.pages.get('new')).toBeDefined();
    expect((await d.meta.get(META_STORAGE_WARNING))?.value).toMatchObject({ keptDays: 7.5 });
  });

  it('gives a batch up (logged) when even the shortest window does not help', async () => {
    db = openDb(`quota-${Math.random()}`);
    const d = db;
    const logs: string[] = [];
    const writer = createWriter(d, {
      log: (m) => logs.push(m),
      onQuotaExceeded: (attempt) => relieveQuota(d, NOW, 30, attempt),
    });
    failRequests(d, 1_000);
    writer.request(request('l1', 'new', NOW));
    await writer.flushNow();
    expect(await d.requests.get('l1')).toBeUndefined();
    expect(logs.join('\n')).toMatch(/batch lost/);
    expect(await readStorageWarning(d)).not.toBeNull();
  });

  it('without the hook, behaves as before: one retry, then the batch is logged as lost', async () => {
    db = openDb(`quota-${Math.random()}`);
    const logs: string[] = [];
    const writer = createWriter(db, { log: (m) => logs.push(m) });
    failRequests(db, 1);
    writer.request(request('l1', 'new', NOW));
    await writer.flushNow();
    expect(await db.requests.get('l1')).toBeDefined();
    expect(logs).toEqual([]);
  });
});
