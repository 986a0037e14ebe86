// The report page end to end: the real extension records the fixture publisher (two pages,
// plus cookies whose names carry HTML payloads), then every view is checked, screenshotted
// and run through axe-core; every export is validated; ferguson.har is imported through the
// background; settings, backup/restore and deletion are exercised through the UI.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CSV_COLUMNS } from '../../src/report/csv.ts';
import { validator } from '../unit/report/schema-check.ts';
import {
  PUBLISHER_PAGE_DONE,
  ROOT,
  outputPath,
  pagesFor,
  startSession,
  visit,
  waitForStore,
  type E2eSession,
} from './support.ts';
import { download, openReport, parseCsv, seriousViolations } from './report-support.ts';

const SITE = 'news-publisher.test';
const FERGUSON = resolve(ROOT, '../shared/bench-data/hars/ferguson.har');
/** Cookie names that would run script if any view or export put them into markup. */
const HOSTILE_COOKIES = ['<script>alert(1)</script>', '"><img src onerror>'];

let session: E2eSession;
let tab: Page;
let report: Page;
let uid = '';
const dialogs: string[] = [];

async function view(hash: string, ready: string): Promise<void> {
  await openReport(session.browser, report, hash);
  await report.waitForSelector(ready);
}

async function expectAccessible(name: string): Promise<void> {
  expect(await seriousViolations(report), `axe on ${name}`).toEqual([]);
}

beforeAll(async () => {
  session = await startSession();
  tab = await session.browser.context.newPage();
  tab.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
  const url = session.publisherUrl('/');
  await visit(session, tab, url, PUBLISHER_PAGE_DONE);
  await tab.evaluate((names) => {
    for (const n of names)
      document.cookie = `${n}=v${Math.random().toString(36).slice(2)}; max-age=86400; path=/`;
  }, HOSTILE_COOKIES);
  uid = await tab.evaluate(() => /(?:^|; )_lw_uid=([^;]+)/.exec(document.cookie)?.[1] ?? '');
  await visit(session, tab, session.publisherUrl('/second.html'));
  await waitForStore(session.browser, (s) => {
    const page = pagesFor(s, url)[0];
    return (
      !!page &&
      s.pages.filter((p) => p.site === SITE).length >= 2 &&
      HOSTILE_COOKIES.every((n) => s.cookies.some((c) => c.name === n)) &&
      s.parties.some((p) => p.pageId === page.id && p.domain === 'krxd.net')
    );
  });
  report = await session.browser.context.newPage();
  report.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
});

afterAll(async () => {
  await session?.close();
});

describe('the report page views', () => {
  it('Sites lists the publisher with its counts, sorts and filters', async () => {
    await view('#/sites', `[data-site="${SITE}"]`);
    // The stored counts are a second query: wait for them before reading the cells.
    await report.waitForSelector('[data-testid=sites-table][data-counts=ready]');
    const row = report.locator('.vrow', { has: report.locator(`[data-site="${SITE}"]`) });
    const cells = await row.locator('[role=cell]').allInnerTexts();
    expect(cells[1]).toBe('2'); // visits
    expect(Number(cells[3])).toBeGreaterThanOrEqual(8); // third parties
    expect(Number(cells[5])).toBeGreaterThan(5); // findings
    expect(cells[7]).toMatch(/Pixel/);
    await report.screenshot({ path: outputPath('report-sites.png'), fullPage: true });
    await expectAccessible('Sites');
    await report.fill('[data-testid=sites-search]', 'no-such-site');
    await report.waitForSelector(`[data-site="${SITE}"]`, { state: 'detached' });
    await report.reload();
    // The filter lives in the URL: a reload keeps it.
    expect(await report.inputValue('[data-testid=sites-search]')).toBe('no-such-site');
  });

  it('Site detail shows metrics, the data chart and the tag tree with the piggyback', async () => {
    await view(`#/site/${SITE}`, '[data-testid=metrics]');
    expect(await report.textContent('[data-testid=site-summary]')).toMatch(/2 visits/);
    expect(await report.textContent('[data-testid=metrics]')).toMatch(/Data collectors/);
    await report.waitForSelector('[data-testid=tag-tree] [data-node="krxd.net"]');
    const edges = await report.locator('[data-testid=tag-tree-list] li').allTextContents();
    // The tree draws exactly what the store says brought each party in (the fixture's tag
    // manager piggybacks Krux; which loader capture attributes is the publisher test's job).
    const store = await session.browser.readStore();
    const first = store.pages
      .filter((p) => p.site === SITE)
      .sort((a, b) => a.visitedAt - b.visitedAt)[0]!;
    const third = store.parties.filter((p) => p.pageId === first.id && !p.firstParty);
    expect(third.length).toBeGreaterThan(5);
    for (const p of third) {
      const loader =
        p.loadedBy === null || p.loadedBy === 'page' || p.loadedBy === SITE
          ? `${SITE} (the page)`
          : p.loadedBy;
      expect(
        edges.filter((e) => e.startsWith(`${loader} → ${p.domain}`)),
        p.domain,
      ).toHaveLength(1);
    }
    // Script by script: the vendor's tag.js loaded Krux's control tag, which sent the pixel.
    const tag = report.locator('[data-testid=script-tree] li[data-url*="cdn.tagvendor.test"]');
    await tag.waitFor();
    const below = await tag.locator('li').allTextContents();
    expect(below.some((t) => t.includes('cdn.krxd.net') && t.includes('/controltag/'))).toBe(true);
    expect(below.some((t) => t.includes('beacon.krxd.net') && /image \/ pixel/.test(t))).toBe(true);
    await report.screenshot({ path: outputPath('report-site.png'), fullPage: true });
    await expectAccessible('Site overview');
  });

  it('Site parties open to findings with explanation and evidence', async () => {
    await view(`#/site/${SITE}?tab=parties`, '[data-testid=parties-panel]');
    const fb = report.locator('[data-party="facebook.com"]');
    await fb.locator('summary').click();
    await fb.locator('[data-testid=findings] .finding').first().waitFor();
    const text = await fb.locator('[data-testid=findings]').innerText();
    expect(text).toMatch(/Pixel/);
    expect(text).toMatch(/Request\s+https:\/\/www\.facebook\.com/);
    expect(text).toMatch(/Rule/);
    await report.screenshot({ path: outputPath('report-site-parties.png'), fullPage: true });
    await expectAccessible('Site parties');
  });

  it('Site cookies list names as text, with setter, lifetime and identifier-likeness', async () => {
    await view(`#/site/${SITE}?tab=cookies`, '[data-testid=cookies-table]');
    const uidRow = await report.locator('tr[data-cookie="_lw_uid"]').innerText();
    expect(uidRow).toMatch(/yes/); // identifier-like
    expect(uidRow).toMatch(/day|year/);
    for (const name of HOSTILE_COOKIES) {
      expect(
        await report
          .locator(`tr[data-cookie='${name.replace(/'/g, "\\'")}'] td`)
          .first()
          .innerText(),
      ).toBe(name);
    }
    expect(await report.locator('main img').count()).toBe(0);
    await report.screenshot({ path: outputPath('report-site-cookies.png'), fullPage: true });
    await expectAccessible('Site cookies');
  });

  it('Site requests are listed in a virtualized list', async () => {
    await view(`#/site/${SITE}?tab=requests`, '[data-testid=requests-rows] .vrow .url');
    expect(await report.locator('[data-testid=requests-rows] .vrow').count()).toBeGreaterThan(5);
    await expectAccessible('Site requests');
  });

  it('Parties shows facebook.com across sites, its detail and the party graph', async () => {
    await view('#/parties', '[data-testid=parties-rows] [data-party="facebook.com"]');
    await report.click('[data-testid=parties-rows] [data-party="facebook.com"] button');
    const detail = await report.locator('[data-testid=party-detail]').innerText();
    expect(detail).toMatch(SITE);
    expect(report.url()).toMatch(/party=facebook\.com/);
    await report.waitForSelector('[data-testid=party-graph] [data-node="party:facebook.com"]');
    await report.screenshot({ path: outputPath('report-parties.png'), fullPage: true });
    await expectAccessible('Parties');
  });

  it('Timeline shows both visits and what changed between them', async () => {
    await view(`#/timeline?site=${SITE}`, '[data-testid=timeline-visits] li');
    const visits = await report.locator('[data-testid=timeline-visits] > li').allInnerTexts();
    expect(visits).toHaveLength(2);
    // The second page carries Meta and GA only: the rest disappeared.
    expect(visits[0]).toMatch(/Gone: .*krxd\.net/);
    await report.screenshot({ path: outputPath('report-timeline.png'), fullPage: true });
    await expectAccessible('Timeline');
  });

  it('Timeline marks a visit after the saved baseline with what it lacked', async () => {
    // The baseline holds both visits' parties; a third visit to the second page (no Krux)
    // then lacks Krux and the home page's other tags.
    await session.browser.send('saveBaseline', { site: SITE });
    const second = session.publisherUrl('/second.html');
    const before = (await session.browser.readStore()).pages.filter((p) => p.site === SITE);
    await visit(session, tab, second);
    await waitForStore(session.browser, (s) => {
      const now = s.pages.filter((p) => p.site === SITE && !before.some((b) => b.id === p.id));
      return now.some((p) =>
        s.parties.some((x) => x.pageId === p.id && x.domain === 'facebook.com'),
      );
    });
    await view(`#/timeline?site=${SITE}`, '[data-testid=baseline-missing]');
    expect(await report.textContent('[data-testid=timeline-baseline]')).toMatch(
      /Your baseline for this site was saved/,
    );
    const latest = report.locator('[data-testid=timeline-visits] > li').first();
    expect(await latest.locator('[data-testid=baseline-missing]').textContent()).toMatch(
      /^In your baseline but missing from this visit: .*krxd\.net/,
    );
    expect(await latest.locator('[data-testid=baseline-added]').count()).toBe(0);
    // The two visits the baseline was made from are not compared with it.
    expect(await report.locator('[data-testid=timeline-visits] > li').count()).toBe(3);
    expect(await report.locator('[data-testid=baseline-missing]').count()).toBe(1);
    await report.screenshot({ path: outputPath('report-timeline-baseline.png'), fullPage: true });
    await expectAccessible('Timeline with a baseline');
    expect(await session.browser.send('clearBaseline', { site: SITE })).toBeNull();
  });

  it('Search finds hosts, cookie names and kinds, and where a cookie id went', async () => {
    await view(
      '#/search?q=facebook',
      '[data-testid=search-results] [data-host="www.facebook.com"]',
    );
    await view('#/search?q=_lw_uid', '[data-testid=search-results] [data-cookie="_lw_uid"]');
    await view('#/search?q=pixel', '[data-testid=search-results] [data-kind="pixel"] a');
    expect(uid.length).toBeGreaterThan(10);
    await view(`#/search?value=${encodeURIComponent(uid)}`, '[data-testid=value-hits] .vrow');
    await report.waitForFunction(
      () =>
        !document.querySelector('[data-testid=value-status]')?.textContent?.startsWith('Searching'),
    );
    const hits = await report.locator('[data-testid=value-hits] .vrow').allInnerTexts();
    expect(hits.some((h) => h.includes('analytics.test'))).toBe(true);
    expect(await report.textContent('[data-testid=value-status]')).toMatch(
      /all \d+ stored requests searched/,
    );
    await report.screenshot({ path: outputPath('report-search.png'), fullPage: true });
    await expectAccessible('Search');
  });

  it('Data lists exactly what is stored, with counts', async () => {
    await view('#/data', '[data-testid=inventory]');
    const store = await session.browser.readStore();
    expect(await report.textContent('[data-testid=count-pages]')).toBe(String(store.pages.length));
    await report.screenshot({ path: outputPath('report-data.png'), fullPage: true });
    await expectAccessible('Data');
  });
});

describe('exports', () => {
  it('report.json validates against the schema and matches the store', async () => {
    await view('#/data', '[data-export=json]');
    const { name, text } = await download(report, '[data-export=json]');
    expect(name).toBe('leakwatch-report.json');
    const json = JSON.parse(text) as {
      pages: unknown[];
      findings: unknown[];
      generator: { version: string };
    };
    expect(validator(false)(json)).toEqual([]);
    const store = await session.browser.readStore();
    expect(json.pages).toHaveLength(store.pages.length);
    expect(json.findings).toHaveLength(store.findings.length);
    expect(json.generator.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('findings.csv parses with the documented columns, one row per finding', async () => {
    const { text } = await download(report, '[data-export=csv]');
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const store = await session.browser.readStore();
    expect(rows.length - 1).toBe(store.findings.length);
    expect(rows.slice(1).every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });

  it('requests.har has the HAR 1.2 shape', async () => {
    const { text } = await download(report, '[data-export=har]');
    const har = JSON.parse(text) as {
      log: {
        version: string;
        creator: object;
        pages: { id: string }[];
        entries: {
          pageref: string;
          request: { url: string; method: string };
          response: { status: number };
          startedDateTime: string;
        }[];
      };
    };
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toBeTruthy();
    expect(har.log.entries.length).toBeGreaterThan(10);
    for (const e of har.log.entries) {
      expect(typeof e.request.url).toBe('string');
      expect(typeof e.response.status).toBe('number');
      expect(Number.isNaN(Date.parse(e.startedDateTime))).toBe(false);
    }
  });

  it('the HTML report opens without running any script from page data', async () => {
    const { text } = await download(report, '[data-export=html]');
    const file = outputPath('report-export.html');
    (await import('node:fs')).writeFileSync(file, text);
    const page = await session.browser.context.newPage();
    const errors: string[] = [];
    page.on('dialog', (d) => void (errors.push(`dialog ${d.message()}`), d.dismiss()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    const body = await page.innerText('body');
    for (const name of HOSTILE_COOKIES) expect(body).toContain(name);
    expect(await page.locator('script, img').count()).toBe(0);
    await page.screenshot({ path: outputPath('report-export-html.png') });
    await page.close();
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});

describe('HAR import, settings, backup and deletion', () => {
  it('imports ferguson.har through the background; its site appears with its parties', async () => {
    await view('#/data', '[data-testid=har-file]');
    await report.setInputFiles('[data-testid=har-file]', FERGUSON);
    await report.waitForFunction(
      () =>
        /Imported|failed/.test(
          document.querySelector('[data-testid=import-status]')?.textContent ?? '',
        ),
      null,
      { timeout: 60_000 },
    );
    expect(await report.textContent('[data-testid=import-status]')).toMatch(
      /Imported 1 page and \d+ requests/,
    );
    await view('#/sites', '[data-site="ferguson.com"]');
    expect(await report.locator('[data-site="ferguson.com"] .imported').count()).toBe(1);
    await view('#/site/ferguson.com?tab=parties', '[data-party="facebook.com"]');
    const store = await session.browser.readStore();
    expect(store.pages.find((p) => p.site === 'ferguson.com')?.imported).toBe(true);
  });

  it('settings are written by the background: pause, private windows, retention', async () => {
    await view('#/data', '[data-testid=settings]');
    await report.check('[data-testid=pause]');
    await report.waitForSelector('text=Recording is paused.');
    await report.check('[data-testid=record-private]');
    await report.fill('[data-testid=retention-days]', '14');
    await report.click('[data-testid=settings] button[type=submit]');
    await report.waitForSelector('text=Keeping 14 days');
    const meta = new Map((await session.browser.readStore()).meta.map((m) => [m.key, m.value]));
    expect(Object.fromEntries(meta)).toMatchObject({
      paused: true,
      recordPrivate: true,
      retentionDays: 14,
    });
    // Paused: a new visit is not recorded.
    const before = (await session.browser.readStore()).pages.length;
    await visit(session, tab, session.publisherUrl('/clean.html'));
    await session.browser.flush();
    expect((await session.browser.readStore()).pages.length).toBe(before);
    await report.uncheck('[data-testid=pause]');
    await report.waitForSelector('text=Recording again.');
    await report.uncheck('[data-testid=record-private]');
    await report.waitForSelector('text=Private windows are not recorded.');
  });

  it('backs up the database and restores it; refuses an unknown version', async () => {
    await view('#/data', '[data-testid=backup]');
    const { text } = await download(report, '[data-testid=backup]');
    const backup = JSON.parse(text) as {
      format: string;
      version: number;
      tables: Record<string, unknown[]>;
    };
    const store = await session.browser.readStore();
    expect(backup).toMatchObject({ format: 'leakwatch-backup', version: 1 });
    expect(backup.tables['requests']).toHaveLength(store.requests.length);
    const file = outputPath('report-backup.json');
    const fs = await import('node:fs');
    fs.writeFileSync(file, text);
    await report.setInputFiles('[data-testid=restore-file]', file);
    // Nothing is sent before the user confirms, and the question says what gets replaced.
    await report.click('[data-testid=restore]');
    const question = (await report.textContent('.confirm')) ?? '';
    expect(question).toMatch(
      new RegExp(
        `Replace everything stored now \\(.*\\) with this backup’s .*${store.requests.length.toLocaleString('en-US')} requests`,
      ),
    );
    expect(await report.textContent('[data-testid=backup-status]')).toBe('');
    await report.click('[data-testid=confirm-restore]');
    await report.waitForSelector('text=/Restored [\\d,]+ rows/');
    expect((await session.browser.readStore()).requests.length).toBe(store.requests.length);
    const future = outputPath('report-backup-v99.json');
    fs.writeFileSync(future, JSON.stringify({ ...backup, version: 99 }));
    await report.setInputFiles('[data-testid=restore-file]', future);
    await report.click('[data-testid=restore]');
    await report.click('[data-testid=confirm-restore]');
    await report.waitForSelector('text=/version 99 is not supported/');
    expect((await session.browser.readStore()).requests.length).toBe(store.requests.length);
  });

  it('restores a backup larger than one message (over the old 48 MB cap)', async () => {
    const store = await session.browser.readStore();
    const file = outputPath('report-backup-big.json');
    const fs = await import('node:fs');
    // 2,600 requests with 19,000-character URLs (the backup's per-field maximum is 20,000):
    // about 50 MB, several chunks, few rows, so the test stays quick.
    const page = store.pages[0]!;
    const requests = Array.from({ length: 2_600 }, (_, i) => ({
      id: `big-${i}`,
      pageId: page.id,
      site: page.site,
      url: `https://big.test/p?${i}=${'x'.repeat(19_000)}`,
      host: 'big.test',
      party: 'big.test',
      type: 'image',
      method: 'GET',
      initiator: null,
      status: 200,
      firstParty: false,
      tracker: null,
      time: page.visitedAt,
    }));
    const big = JSON.stringify({
      format: 'leakwatch-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      tables: { ...store, requests: [...store.requests, ...requests] },
    });
    expect(big.length).toBeGreaterThan(48 * 1024 * 1024);
    fs.writeFileSync(file, big);
    await report.setInputFiles('[data-testid=restore-file]', file);
    await report.click('[data-testid=restore]');
    await report.click('[data-testid=confirm-restore]');
    await report.waitForSelector('text=/Restored [\\d,]+ rows/', { timeout: 90_000 });
    const after = await session.browser.readStore();
    expect(after.requests.length).toBe(store.requests.length + requests.length);
    expect(after.requests.find((r) => r.id === 'big-2599')?.url).toBe(requests[2599]!.url);
    // Put the store back as it was for the tests after this one.
    await session.browser.send('restoreBackup', {
      text: JSON.stringify({
        format: 'leakwatch-backup',
        version: 1,
        createdAt: new Date().toISOString(),
        tables: store,
      }),
    });
  });

  it('deletes a site, and it is gone from every view', async () => {
    await view('#/site/ferguson.com', '[data-testid=delete-site]');
    await report.click('[data-testid=delete-site]');
    await report.click('[data-testid=confirm-delete-site]');
    await report.waitForSelector(`main[data-view=sites] [data-site="${SITE}"]`);
    expect(await report.locator('[data-site="ferguson.com"]').count()).toBe(0);
    const store = await session.browser.readStore();
    for (const t of ['pages', 'requests', 'cookies', 'parties', 'findings'] as const) {
      expect(
        store[t].filter((r) => r.site === 'ferguson.com'),
        t,
      ).toEqual([]);
    }
    await view('#/site/ferguson.com', '[data-testid=site-empty]');
    await view('#/parties?party=facebook.com', '[data-testid=party-detail]');
    expect(await report.textContent('[data-testid=party-detail]')).not.toMatch(/ferguson/);
    await view('#/timeline', '[data-testid=timeline-site]');
    expect(
      await report.locator('[data-testid=timeline-site] option').allTextContents(),
    ).not.toContainEqual(expect.stringMatching(/ferguson/));
    await view('#/search?q=ferguson', '[data-testid=search-results]');
    expect(await report.textContent('[data-testid=search-results]')).not.toMatch(/ferguson\.com/);
  });

  it('the popup links to the report and passes axe', async () => {
    const tabId = await session.browser.tabIdFor(session.publisherUrl('/clean.html'));
    const popup = await session.browser.context.newPage();
    await popup.goto(session.browser.popupUrl(tabId));
    await popup.waitForSelector('[data-testid=report-link]');
    expect(await popup.getAttribute('[data-testid=report-link]', 'href')).toMatch(
      /report\.html#\//,
    );
    expect(await seriousViolations(popup), 'axe on the popup').toEqual([]);
    await popup.close();
  });

  it('deletes everything', async () => {
    await view('#/data', '[data-testid=delete-all]');
    await report.click('[data-testid=delete-all]');
    await report.click('[data-testid=confirm-delete-all]');
    await report.waitForSelector('text=All recorded browsing was deleted');
    const store = await session.browser.readStore();
    expect(store.pages).toEqual([]);
    expect(store.requests).toEqual([]);
    expect(store.meta.length).toBeGreaterThan(0); // settings stay
    expect(dialogs).toEqual([]);
  });
});
