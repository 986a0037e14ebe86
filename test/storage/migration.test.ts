// Schema migrations with real data in the old shape (issue 8, item 3). The v1 rows are a
// capture of a real run (test/storage/fixtures/README.md): the fixture site visited in
// Chromium by the v1 extension, a HAR imported by the v1 writer, and a backup made by v1's
// createBackup. A database is created with the frozen v1 schema (./v1-schema.ts), filled
// with those rows, then opened by the current code; everything a user had must still be
// there and readable through the queries the UI uses.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FindingKind } from '../../src/core/model.ts';
import {
  openDb,
  type CookieRow,
  type FindingRow,
  type LeakwatchDb,
  type MetaRow,
  type PageRow,
  type PartyRow,
  type RequestRow,
} from '../../src/storage/db.ts';
import { parseBackup, restoreBackup, createBackup } from '../../src/storage/backup.ts';
import { allFindings, CHUNK_ROWS, findingCount } from '../../src/storage/findings.ts';
import { findingsForParties, partiesForPage } from '../../src/storage/queries.ts';
import {
  findingsOfKind,
  loadSite,
  loadSites,
  partyFindings,
  readReportInput,
  tableCounts,
} from '../../src/storage/report-queries.ts';
import { readAuthorized } from '../../src/storage/authorized.ts';
import { readBaseline, siteBaselineDiff } from '../../src/storage/site-baseline.ts';
import { createWriter } from '../../src/storage/writer.ts';
import { deleteSite } from '../../src/storage/admin.ts';
import { openV1Db, V1_STORES } from './v1-schema.ts';

interface V1Tables {
  pages: PageRow[];
  requests: RequestRow[];
  cookies: CookieRow[];
  parties: PartyRow[];
  findings: FindingRow[];
  meta: MetaRow[];
}

const FIXTURES = resolve(import.meta.dirname, 'fixtures');
const V1 = JSON.parse(readFileSync(resolve(FIXTURES, 'v1-store.json'), 'utf8')) as {
  tables: V1Tables;
};
const V1_BACKUP_TEXT = readFileSync(resolve(FIXTURES, 'v1-backup.json'), 'utf8');

const opened: { close(): void; delete(): Promise<void> }[] = [];
let n = 0;
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

/** A database created by the v1 schema and filled with `tables`, closed again. */
async function seedV1(tables: V1Tables): Promise<string> {
  const name = `migration-${process.pid}-${++n}`;
  const v1 = openV1Db(name);
  await v1.open();
  expect(v1.verno).toBe(1);
  await v1.transaction('rw', Object.keys(V1_STORES), async () => {
    for (const [table, rows] of Object.entries(tables)) await v1.table(table).bulkAdd(rows);
  });
  v1.close();
  return name;
}

async function openCurrent(name: string): Promise<LeakwatchDb> {
  const db = openDb(name);
  opened.push(db);
  await db.open();
  return db;
}

const withoutId = ({ id: _id, ...f }: FindingRow) => f;
/** Findings compared as a multiset: ids are storage-internal and change in the upgrade. */
const canonical = (rows: readonly FindingRow[]) =>
  rows.map((f) => JSON.stringify(withoutId(f))).sort();
const byId = <T extends { id: string }>(rows: readonly T[]) =>
  [...rows].sort((a, b) => a.id.localeCompare(b.id));
const countBy = <T>(rows: readonly T[], key: (r: T) => string) => {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return m;
};

/** Everything a user had in `v1` is there and answers the UI's queries the same way. */
async function expectEverythingKept(db: LeakwatchDb, v1: V1Tables): Promise<void> {
  expect(byId(await db.pages.toArray())).toEqual(byId(v1.pages));
  expect(byId(await db.requests.toArray())).toEqual(byId(v1.requests));
  expect(byId(await db.cookies.toArray())).toEqual(byId(v1.cookies));
  expect(byId(await db.parties.toArray())).toEqual(byId(v1.parties));
  expect(await db.meta.toArray()).toEqual([...v1.meta].sort((a, b) => a.key.localeCompare(b.key)));
  expect(canonical(await allFindings(db))).toEqual(canonical(v1.findings));
  const ids = (await allFindings(db)).map((f) => f.id);
  expect(new Set(ids).size).toBe(v1.findings.length);

  // The report's site list and each site's view.
  const sites = await loadSites(db);
  const siteNames = [...new Set(v1.pages.map((p) => p.site))].sort();
  expect([...sites.findingCounts.keys()].sort()).toEqual(siteNames);
  const findingsPerSite = countBy(v1.findings, (f) => f.site);
  const requestsPerSite = countBy(v1.requests, (r) => r.site);
  for (const site of siteNames) {
    expect(sites.findingCounts.get(site), site).toBe(findingsPerSite.get(site) ?? 0);
    expect(sites.requestCounts.get(site), site).toBe(requestsPerSite.get(site) ?? 0);
    const one = await loadSite(db, site);
    expect(one.findingCount).toBe(findingsPerSite.get(site) ?? 0);
    expect(one.requestCount).toBe(requestsPerSite.get(site) ?? 0);
    expect(byId(one.parties)).toEqual(byId(v1.parties.filter((p) => p.site === site)));
    expect(byId(one.cookies)).toEqual(byId(v1.cookies.filter((c) => c.site === site)));
    const input = await readReportInput(db, site);
    expect(canonical(input.findings)).toEqual(
      canonical(v1.findings.filter((f) => f.site === site)),
    );
    expect(byId(input.requests)).toEqual(byId(v1.requests.filter((r) => r.site === site)));
    // A party's findings on the site (the report's party panel).
    for (const domain of new Set(v1.findings.filter((f) => f.site === site).map((f) => f.party))) {
      const want = v1.findings.filter((f) => f.site === site && f.party === domain);
      expect(canonical(await partyFindings(db, site, domain)), `${site} ${domain}`).toEqual(
        canonical(want),
      );
    }
  }
  // Each visit in the popup: its parties, and the findings behind them.
  for (const page of v1.pages) {
    expect(byId(await partiesForPage(db, page.id))).toEqual(
      byId(v1.parties.filter((p) => p.pageId === page.id)),
    );
    const domains = [...new Set(v1.findings.map((f) => f.party))];
    const found = await findingsForParties(db, page.id, domains, 10_000);
    expect(canonical(found), page.url).toEqual(
      canonical(v1.findings.filter((f) => f.pageId === page.id)),
    );
  }
  // Search by kind.
  for (const [kind, count] of countBy(v1.findings, (f) => f.kind)) {
    expect((await findingsOfKind(db, kind as FindingKind, 10_000)).length, kind).toBe(count);
  }
  expect(await tableCounts(db)).toEqual({
    pages: v1.pages.length,
    requests: v1.requests.length,
    cookies: v1.cookies.length,
    parties: v1.parties.length,
    findings: v1.findings.length,
    meta: v1.meta.length,
  });
}

describe('v1 → v2 upgrade', () => {
  it('the fixture holds what a v1 user had: live visits, an import, a list and a baseline', () => {
    const t = V1.tables;
    expect(t.pages.some((p) => p.imported)).toBe(true);
    expect(t.pages.some((p) => !p.imported)).toBe(true);
    expect(t.findings.length).toBeGreaterThan(100);
    expect(t.cookies.length).toBeGreaterThan(0);
    expect(new Set(t.findings.map((f) => f.kind)).size).toBeGreaterThan(5);
    expect(t.meta.map((m) => m.key).sort()).toEqual([
      'authorized:news-publisher.test',
      'baseline:news-publisher.test',
    ]);
  });

  it('keeps every site, visit, request, finding, cookie, party, list and baseline', async () => {
    const name = await seedV1(V1.tables);
    const db = await openCurrent(name);
    expect(db.verno).toBe(2);
    // No v1-shaped row is left: every record of the findings table is a chunk.
    const records = (await db.findings.toArray()) as unknown as Record<string, unknown>[];
    expect(records.every((r) => Array.isArray(r['rows']))).toBe(true);
    await expectEverythingKept(db, V1.tables);

    const list = await readAuthorized(db, 'news-publisher.test');
    expect(list?.parties).toEqual(['google-analytics.com', 'facebook.com']);
    const baseline = await readBaseline(db, 'news-publisher.test');
    expect(baseline?.parties.map((p) => p.domain)).toEqual([
      'facebook.com',
      'facebook.net',
      'google-analytics.com',
    ]);
    const diff = await siteBaselineDiff(db, 'news-publisher.test');
    expect(diff?.visitsSince).toBeGreaterThan(0);
    expect(diff?.diff.newParties.length).toBeGreaterThan(0);
  });

  it('goes on recording and deleting after the upgrade', async () => {
    const db = await openCurrent(await seedV1(V1.tables));
    const page = V1.tables.pages.find((p) => p.site === 'news-publisher.test' && !p.imported)!;
    const old = V1.tables.findings.filter((f) => f.pageId === page.id);
    const writer = createWriter(db, { intervalMs: 60_000 });
    writer.findings(old.slice(0, 3).map((f) => ({ ...withoutId(f), time: f.time + 1 })));
    await writer.flushNow();
    expect(await findingCount(db, page.site)).toBe(
      V1.tables.findings.filter((f) => f.site === page.site).length + 3,
    );
    const all = await findingsForParties(db, page.id, [...new Set(old.map((f) => f.party))], 1e4);
    expect(all).toHaveLength(old.length + 3);

    await deleteSite(db, page.site);
    expect(await findingCount(db, page.site)).toBe(0);
    expect((await allFindings(db)).some((f) => f.site === page.site)).toBe(false);
    expect(await findingCount(db)).toBe(
      V1.tables.findings.filter((f) => f.site !== page.site).length,
    );
  });

  it('repacks a v1 table larger than one block', async () => {
    // The real rows, repeated on 40 visits each: 5,240 findings, several blocks of CHUNK_ROWS.
    const copies = 40;
    const tables: V1Tables = {
      ...V1.tables,
      pages: V1.tables.pages.flatMap((p) =>
        Array.from({ length: copies }, (_, k) => ({ ...p, id: `${p.id}#${k}` })),
      ),
      findings: V1.tables.findings.flatMap((f) =>
        Array.from({ length: copies }, (_, k) => ({ ...withoutId(f), pageId: `${f.pageId}#${k}` })),
      ),
    };
    expect(tables.findings.length).toBeGreaterThan(CHUNK_ROWS);
    const db = await openCurrent(await seedV1(tables));
    expect(canonical(await allFindings(db))).toEqual(canonical(tables.findings));
    const sites = await loadSites(db);
    for (const [site, count] of countBy(tables.findings, (f) => f.site)) {
      expect(sites.findingCounts.get(site)).toBe(count);
    }
    const page = tables.pages[7]!;
    const found = await findingsForParties(
      db,
      page.id,
      [...new Set(tables.findings.map((f) => f.party))],
      1e4,
    );
    expect(canonical(found)).toEqual(
      canonical(tables.findings.filter((f) => f.pageId === page.id)),
    );
  }, 60_000);

  it('opens an empty v1 database', async () => {
    const db = await openCurrent(
      await seedV1({ pages: [], requests: [], cookies: [], parties: [], findings: [], meta: [] }),
    );
    expect(db.verno).toBe(2);
    expect(await tableCounts(db)).toEqual({
      pages: 0,
      requests: 0,
      cookies: 0,
      parties: 0,
      findings: 0,
      meta: 0,
    });
  });
});

describe('a v1 backup', () => {
  it('restores into v2 with every row, readable through the queries', async () => {
    const backup = parseBackup(V1_BACKUP_TEXT);
    expect(backup.version).toBe(1);
    const db = await openCurrent(`migration-backup-${process.pid}-${++n}`);
    const rows = await restoreBackup(db, backup);
    const t = backup.tables;
    expect(rows).toBe(Object.values(t).reduce((s, r) => s + r.length, 0));
    await expectEverythingKept(db, t);
    // A backup of the restored database lists the same rows (finding ids aside).
    const again = await createBackup(db, Date.parse(backup.createdAt));
    expect(again.tables.findings.every((f) => !('id' in f))).toBe(true);
    expect(canonical(again.tables.findings)).toEqual(canonical(t.findings));
    expect({ ...again.tables, findings: [] }).toEqual({ ...t, findings: [] });
  });
});
