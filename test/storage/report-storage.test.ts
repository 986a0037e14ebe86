// The report page's storage side: deletion, backup/restore, settings, HAR import through
// the writer, retention sparing imports, and the background handlers' checks.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type LeakwatchDb } from '../../src/storage/db.ts';
import { deleteAll, deleteSite } from '../../src/storage/admin.ts';
import { BackupError, createBackup, parseBackup, restoreBackup } from '../../src/storage/backup.ts';
import { importHarText, ImportError } from '../../src/storage/har-import.ts';
import { MAX_IMPORT_CHARS } from '../../src/storage/limits.ts';
import { createWriter } from '../../src/storage/writer.ts';
import { allFindings, findingCount } from '../../src/storage/findings.ts';
import { readSettings, writeSettings } from '../../src/storage/settings.ts';
import { applyRetention } from '../../src/storage/retention.ts';
import {
  findingsOfKind,
  loadSites,
  partyFindings,
  readReportInput,
  scanRequests,
} from '../../src/storage/report-queries.ts';
import { createReportHandlers } from '../../src/background/report-handlers.ts';
import { REQUEST_SCHEMAS } from '../../src/messaging/protocol.ts';
import * as v from 'valibot';

const FERGUSON = resolve(import.meta.dirname, '../../../shared/bench-data/hars/ferguson.har');
let db: LeakwatchDb;
let n = 0;

beforeEach(() => {
  db = openDb(`report-storage-${process.pid}-${++n}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

async function importFerguson(stamp = 's1') {
  const writer = createWriter(db, { intervalMs: 60_000, maxRows: 5_000 });
  return importHarText(readFileSync(FERGUSON, 'utf8'), { sink: writer, stamp });
}

describe('HAR import', () => {
  it('stores ferguson.har as an imported site through the writer, with its parties', async () => {
    const r = await importFerguson();
    expect(r).toMatchObject({ pages: 1, sites: ['ferguson.com'] });
    expect(r.requests).toBeGreaterThan(150);
    const pages = await db.pages.toArray();
    expect(pages).toEqual([
      expect.objectContaining({ site: 'ferguson.com', imported: true, tabId: -1 }),
    ]);
    const domains = (await db.parties.toArray()).map((p) => p.domain);
    expect(domains).toEqual(
      expect.arrayContaining(['facebook.com', 'doubleclick.net', 'ferguson.com']),
    );
    expect(await findingCount(db, 'ferguson.com')).toBeGreaterThan(10);
    expect(await findingCount(db, 'ferguson.com')).toBe((await allFindings(db)).length);
  });

  it('keeps two imports of the same file apart', async () => {
    await importFerguson('a');
    const once = await db.requests.count();
    await importFerguson('b');
    expect(await db.requests.count()).toBe(once * 2);
    expect(await db.pages.count()).toBe(2);
  });

  it.each([
    ['not json', /not valid JSON/],
    ['{"log":{}}', /no log.entries/],
    ['{"log":{"entries":[]}}', /no requests/],
  ])('refuses %s with a clear error', async (text, message) => {
    const writer = createWriter(db);
    await expect(importHarText(text, { sink: writer })).rejects.toThrow(message);
    await expect(importHarText(text, { sink: writer })).rejects.toBeInstanceOf(ImportError);
  });

  it('caps the size, in the schema and in the importer', async () => {
    const big = 'x'.repeat(MAX_IMPORT_CHARS + 1);
    expect(v.safeParse(REQUEST_SCHEMAS.importHar, { name: 'a.har', text: big }).success).toBe(
      false,
    );
    await expect(importHarText(big, { sink: createWriter(db) })).rejects.toThrow(
      /largest file that can be imported is 48\.0 MB/,
    );
  });
});

describe('deletion', () => {
  it('deletes one site and nothing else; delete all keeps settings', async () => {
    await importFerguson();
    await db.pages.add({
      id: 'p',
      tabId: 1,
      url: 'https://a.test/',
      site: 'a.test',
      visitedAt: 1,
      imported: false,
    });
    await writeSettings(db, { retentionDays: 7 });
    const removed = await deleteSite(db, 'ferguson.com');
    expect(removed.requests).toBeGreaterThan(150);
    const input = await readReportInput(db, null);
    expect(input.pages.map((p) => p.site)).toEqual(['a.test']);
    expect([...input.requests, ...input.parties, ...input.cookies, ...input.findings]).toEqual([]);
    await deleteAll(db);
    expect(await db.pages.count()).toBe(0);
    expect((await readSettings(db)).retentionDays).toBe(7);
  });
});

describe('backup', () => {
  it('round-trips every table', async () => {
    await importFerguson();
    await writeSettings(db, { paused: true });
    const before = await createBackup(db, 0);
    const text = JSON.stringify(before);
    await deleteAll(db);
    const rows = await restoreBackup(db, parseBackup(text));
    const after = await createBackup(db, 0);
    expect(after).toEqual(before);
    expect(rows).toBe(Object.values(before.tables).reduce((s, t) => s + t.length, 0));
  });

  it.each([
    ['{', /not valid JSON/],
    ['{"format":"other"}', /not a Leakwatch backup/],
    ['{"format":"leakwatch-backup","version":2}', /version 2 is not supported/],
    [
      '{"format":"leakwatch-backup","version":1,"createdAt":"x","tables":{"pages":[{"id":1}],"requests":[],"cookies":[],"parties":[],"findings":[],"meta":[]}}',
      /invalid backup at tables.pages.0.id/,
    ],
  ])('refuses %s', (text, message) => {
    expect(() => parseBackup(text)).toThrow(BackupError);
    expect(() => parseBackup(text)).toThrow(message);
  });

  it('refuses a party row whose id is not its page and domain', async () => {
    await importFerguson();
    const backup = await createBackup(db, 0);
    const party = backup.tables.parties[1]!;
    party.id = `${party.pageId}|elsewhere.test`;
    expect(() => parseBackup(JSON.stringify(backup))).toThrow(
      /invalid backup at tables.parties.1.id: a party row's id must be its pageId and domain/,
    );
  });
});

describe('settings and retention', () => {
  it('reads defaults, writes valid values, refuses invalid ones', async () => {
    expect(await readSettings(db)).toEqual({
      retentionDays: 30,
      paused: false,
      recordPrivate: false,
    });
    expect(await writeSettings(db, { recordPrivate: true, retentionDays: 90 })).toEqual({
      retentionDays: 90,
      paused: false,
      recordPrivate: true,
    });
    await expect(writeSettings(db, { retentionDays: 0 })).rejects.toThrow(/1 to 3650/);
    await db.meta.put({ key: 'retentionDays', value: 'lots' });
    expect((await readSettings(db)).retentionDays).toBe(30);
  });

  it('retention ages out recorded browsing but keeps imported HAR files', async () => {
    await importFerguson(); // captured in 2022
    await db.pages.add({
      id: '1-old',
      tabId: 1,
      url: 'https://a.test/',
      site: 'a.test',
      visitedAt: 1,
      imported: false,
    });
    await applyRetention(db, Date.now(), 30);
    expect((await db.pages.toArray()).map((p) => p.site)).toEqual(['ferguson.com']);
    expect(await db.requests.count()).toBeGreaterThan(150);
  });
});

describe('report queries', () => {
  it('counts per site through the index and scans requests in blocks', async () => {
    await importFerguson();
    const sites = await loadSites(db);
    const total = await db.requests.count();
    expect(sites.requestCounts.get('ferguson.com')).toBe(total);
    const progress: number[] = [];
    const res = await scanRequests(db, (r) => r.host === 'www.facebook.com', {
      block: 50,
      onProgress: (p) => progress.push(p.scanned),
    });
    expect(res).toMatchObject({ complete: true, scanned: total });
    expect(res.hits.length).toBe(2);
    expect(progress.length).toBeGreaterThan(2);
  });

  it("reads a party's findings newest first across chunks, and findings of a kind", async () => {
    await importFerguson();
    const all = (await readReportInput(db, 'ferguson.com')).findings;
    const party = 'facebook.com';
    const want = all.filter((f) => f.party === party).sort((a, b) => b.time - a.time);
    expect(want.length).toBeGreaterThan(3);
    // Later flushes add chunks: the newest findings are in the last one.
    const writer = createWriter(db, { intervalMs: 60_000 });
    const late = want.slice(0, 2).map(({ id: _id, ...f }) => ({ ...f, time: f.time + 1e9 }));
    writer.findings(late);
    await writer.flushNow();
    const two = await partyFindings(db, 'ferguson.com', party, 2);
    expect(two.map((f) => f.time)).toEqual(late.map((f) => f.time).sort((a, b) => b - a));
    const every = await partyFindings(db, 'ferguson.com', party, 10_000);
    expect(every).toHaveLength(want.length + 2);
    expect(every.every((f) => f.party === party && f.site === 'ferguson.com')).toBe(true);
    const kind = want[0]!.kind;
    const ofKind = await findingsOfKind(db, kind, 3);
    expect(ofKind).toHaveLength(3);
    expect(ofKind.every((f) => f.kind === kind)).toBe(true);
  });
});

describe('report handlers', () => {
  it('apply settings live and run deletes after pending writes', async () => {
    const applied: unknown[] = [];
    const order: string[] = [];
    const writer = createWriter(db);
    const h = createReportHandlers({
      ready: Promise.resolve(),
      db,
      writer: { ...writer, flushNow: async () => (order.push('flush'), writer.flushNow()) },
      drain: async () => void order.push('drain'),
      applySettings: (s) => applied.push(s),
      info: { generatorVersion: '1', trackerData: { source: 's', version: 'v' } },
    });
    await h.updateSettings({ paused: true });
    expect(applied).toEqual([{ retentionDays: 30, paused: true, recordPrivate: false }]);
    await h.deleteSite({ site: 'x.test' });
    expect(order).toEqual(['drain', 'flush']);
    await expect(
      h.restoreBackup({ text: '{"format":"leakwatch-backup","version":9}' }),
    ).rejects.toThrow(/version 9/);
  });
});
