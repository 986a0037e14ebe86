// A v1 database upgraded by the real extension in Chromium (issue 8, item 3). The profile's
// IndexedDB is created by the frozen v1 schema (test/storage/v1-schema.ts) from an extension
// page and filled with real v1 rows (test/storage/fixtures/v1-store.json, captured from a
// v1 run); the browser is closed and started again on the same profile, so the background
// opens the database with the current code and runs the v1 → v2 upgrade, as after an update.
// Then the store, the report queries, the report page and new recording are checked.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { bundleEntry } from '../../bench/bundle.ts';
import { launchWithExtension, type ExtensionBrowser } from '../../src/cli/chromium.ts';
import type {
  CookieRow,
  FindingRow,
  MetaRow,
  PageRow,
  PartyRow,
  RequestRow,
} from '../../src/storage/db.ts';
import type * as MigrationEntry from './migration-entry.ts';
import {
  FIXTURE_HOST_RULES,
  PUBLISHER,
  startFixtureSite,
  type FixtureSite,
} from '../fixtures/site/server.ts';
import { openReport } from './report-support.ts';
import { PUBLISHER_PAGE_DONE, requireBuiltExtension, waitForStore } from './support.ts';

interface Tables {
  pages: PageRow[];
  requests: RequestRow[];
  cookies: CookieRow[];
  parties: PartyRow[];
  findings: FindingRow[];
  meta: MetaRow[];
}
/** What ./migration-entry.ts defines in the page (`LeakwatchMigration`). */
type Api = typeof MigrationEntry;
const V1 = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../storage/fixtures/v1-store.json'), 'utf8'),
) as { tables: Tables };
const SITE = 'news-publisher.test';

let profile: string;
let site: FixtureSite;
let browser: ExtensionBrowser | null = null;
let code: string;

const canonical = (rows: readonly FindingRow[]) =>
  rows.map(({ id: _id, ...f }) => JSON.stringify(f)).sort();
const byId = <T extends { id: string }>(rows: readonly T[]) =>
  [...rows].sort((a, b) => a.id.localeCompare(b.id));
const countBy = <T>(rows: readonly T[], key: (r: T) => string) => {
  const m: Record<string, number> = {};
  for (const r of rows) m[key(r)] = (m[key(r)] ?? 0) + 1;
  return m;
};

async function bundlePage(b: ExtensionBrowser): Promise<Page> {
  const page = await b.context.newPage();
  // An extension document that runs none of the extension's code (it opens no database).
  await page.goto(b.extensionUrl('manifest.json'));
  await page.evaluate(code);
  return page;
}

beforeAll(async () => {
  const extensionDir = requireBuiltExtension();
  code = readFileSync(
    await bundleEntry('test/e2e/migration-entry.ts', 'migration', 'iife', 'LeakwatchMigration'),
    'utf8',
  );
  profile = mkdtempSync(join(tmpdir(), 'leakwatch-migration-'));
  site = await startFixtureSite();

  // 1. The profile gets a v1 database. The worker (which opened the database at the current
  // version on start-up) and every extension page are stopped first, so nothing holds it.
  const first = await launchWithExtension({ extensionDir, userDataDir: profile });
  try {
    await first.stopServiceWorker();
    for (const p of first.context.pages()) {
      if (p.url().startsWith('chrome-extension://')) await p.close();
    }
    const page = await bundlePage(first);
    const version = await page.evaluate(async (tables) => {
      const api = (globalThis as unknown as { LeakwatchMigration: Api }).LeakwatchMigration;
      await new Promise<void>((ok, fail) => {
        const req = indexedDB.deleteDatabase('leakwatch');
        req.onsuccess = () => ok();
        req.onerror = () => fail(req.error);
        req.onblocked = () => fail(new Error('delete blocked: a connection is still open'));
      });
      const v1 = api.openV1Db('leakwatch');
      await v1.open();
      await v1.transaction('rw', Object.keys(api.V1_STORES), async () => {
        for (const [t, rows] of Object.entries(tables)) await v1.table(t).bulkAdd(rows);
      });
      const idbVersion = v1.backendDB().version;
      v1.close();
      return idbVersion;
    }, V1.tables);
    expect(version).toBe(10); // Dexie's version(1) is IndexedDB version 10
  } finally {
    await first.close();
  }

  // 2. The same profile with the current extension: its background upgrades the database.
  browser = await launchWithExtension({
    extensionDir,
    userDataDir: profile,
    hostRules: FIXTURE_HOST_RULES,
  });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('a v1 database opened by the current extension', () => {
  it('is upgraded to v2 with every row a user had', async () => {
    const b = browser!;
    await b.flush();
    const page = await bundlePage(b);
    const version = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const req = indexedDB.open('leakwatch');
        req.onsuccess = () => ok(req.result);
        req.onerror = () => fail(req.error);
      });
      const v = db.version;
      const stores = [...db.objectStoreNames];
      db.close();
      return { v, stores };
    });
    expect(version.v).toBe(20);
    expect(version.stores).toContain('findingCounts');

    const s = await b.readStore();
    const t = V1.tables;
    expect(byId(s.pages)).toEqual(byId(t.pages));
    expect(byId(s.requests)).toEqual(byId(t.requests));
    expect(byId(s.cookies)).toEqual(byId(t.cookies));
    expect(byId(s.parties)).toEqual(byId(t.parties));
    expect(canonical(s.findings)).toEqual(canonical(t.findings));
    expect(s.meta.map((m) => m.key).sort()).toEqual(t.meta.map((m) => m.key).sort());
    expect(s.meta).toEqual(expect.arrayContaining(t.meta));
    await page.close();
  });

  it('answers the report queries as the v1 data says', async () => {
    const page = await bundlePage(browser!);
    const got = await page.evaluate(
      async ({ site, pageIds }) => {
        const api = (globalThis as unknown as { LeakwatchMigration: Api }).LeakwatchMigration;
        const db = api.openDb();
        const sites = await api.loadSites(db);
        const one = await api.loadSite(db, site);
        const perPage: Record<string, string[]> = {};
        for (const id of pageIds) {
          const parties = await api.partiesForPage(db, id);
          const found = await api.findingsForParties(
            db,
            id,
            parties.map((p) => p.domain),
            10_000,
          );
          perPage[id] = found.map((f) => f.kind as string).sort();
        }
        const counts = await api.tableCounts(db);
        db.close();
        return {
          findingCounts: Object.fromEntries(sites.findingCounts),
          requestCounts: Object.fromEntries(sites.requestCounts),
          site: { findings: one.findingCount, parties: one.parties.length },
          perPage,
          counts,
        };
      },
      { site: SITE, pageIds: V1.tables.pages.map((p) => p.id) },
    );
    const t = V1.tables;
    expect(got.findingCounts).toEqual(countBy(t.findings, (f) => f.site));
    const sites = [...new Set(t.pages.map((p) => p.site))];
    const requests = countBy(t.requests, (r) => r.site);
    expect(got.requestCounts).toEqual(
      Object.fromEntries(sites.map((name) => [name, requests[name] ?? 0])),
    );
    expect(got.site).toEqual({
      findings: t.findings.filter((f) => f.site === SITE).length,
      parties: t.parties.filter((p) => p.site === SITE).length,
    });
    for (const p of t.pages) {
      const parties = new Set(t.parties.filter((x) => x.pageId === p.id).map((x) => x.domain));
      const want = t.findings
        .filter((f) => f.pageId === p.id && parties.has(f.party))
        .map((f) => f.kind as string)
        .sort();
      expect(got.perPage[p.id], p.url).toEqual(want);
    }
    expect(got.counts).toEqual({
      pages: t.pages.length,
      requests: t.requests.length,
      cookies: t.cookies.length,
      parties: t.parties.length,
      findings: t.findings.length,
      meta: t.meta.length,
    });
    await page.close();
  });

  it('shows the sites and their findings on the report page', async () => {
    const report = await browser!.context.newPage();
    await openReport(browser!, report, '#/sites');
    const findings = countBy(V1.tables.findings, (f) => f.site);
    // The first screen comes from pages and parties; the stored counts follow (SitesView).
    await report.waitForSelector('[data-testid=sites-table][data-counts=ready]');
    for (const [name, count] of Object.entries(findings)) {
      const row = report.locator('.vrow', { has: report.locator(`[data-site="${name}"]`) });
      await row.waitFor();
      const cells = await row.locator('[role=cell]').allInnerTexts();
      expect(Number(cells[5]), name).toBe(count);
    }
    await openReport(browser!, report, `#/site/${SITE}`);
    await report.waitForSelector('[data-testid=metrics]');
    await report.close();
  });

  it('records new visits on top of the upgraded data', async () => {
    const tab = await browser!.context.newPage();
    const url = `${site.origin(PUBLISHER)}/`;
    const from = site.hits.length;
    await tab.goto(url, { waitUntil: 'load' });
    await Promise.all(
      PUBLISHER_PAGE_DONE.map((m) => site.waitForHit((h) => site.hits.indexOf(h) >= from && m(h))),
    );
    const before = V1.tables.findings.length;
    const s = await waitForStore(browser!, (snap) => snap.findings.length > before + 5);
    const fresh = s.pages.find((p) => p.url === url && !V1.tables.pages.some((o) => o.id === p.id));
    expect(fresh).toBeDefined();
    expect(s.findings.filter((f) => f.pageId === fresh!.id).length).toBeGreaterThan(5);
    // The old rows are all still there next to the new ones (the visit's cookies also add
    // findings to the day's "unattributed" cookie pages, which the v1 data has too).
    const now = new Set(canonical(s.findings));
    expect(canonical(V1.tables.findings).filter((f) => !now.has(f))).toEqual([]);
    expect(s.findings.length).toBeGreaterThan(V1.tables.findings.length);
    await tab.close();
  });
});
