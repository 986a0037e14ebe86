// Hostile page data and no egress, end to end, in one Chromium session (one browser start on
// a two-core machine). A page built to break the UI (test/fixtures/hostile) puts <script>,
// quotes, RTL overrides, zero-width characters and 100 KB strings into host names, paths,
// query keys, titles and cookie names. Then, in the browser:
// - the popup, the report page and the exported HTML run nothing from that data (no flag set,
//   no dialog, no CSP violation, no element made from it) and do not overflow sideways;
// - the CSV export neutralizes cells a spreadsheet would run as formulas;
// - over the whole session (visit, popup, report page, an export) not one network request
//   comes from the extension itself: not from its worker, not from its pages.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionBrowser, type StoreSnapshot } from '../../src/cli/chromium.ts';
import { MAX_URL_CHARS } from '../../src/core/model.ts';
import { buildReport } from '../../src/report/build.ts';
import { findingsCsv } from '../../src/report/csv.ts';
import { reportHtml } from '../../src/report/html.ts';
import { HOSTILE_COOKIE_NAMES, WEIRD_HOSTS, type HostileSite } from '../fixtures/hostile/server.ts';
import { checkManifest, readmePermissions } from '../fuzz/manifest-check.ts';
import { EXTENSION_DIR, outputPath, ROOT, startHostileSession, waitForStore } from './support.ts';

let site: HostileSite;
let browser: ExtensionBrowser;
let store: StoreSnapshot;
let pageUrl: string;

/** Every request the browser made, with what made it. */
interface Seen {
  url: string;
  fromWorker: string | null;
  fromPage: string | null;
}
const seen: Seen[] = [];
const dialogs: string[] = [];

/** The URL of the page that made a request; null for worker requests, which have no frame. */
function pageOf(r: Request): string | null {
  try {
    return r.frame().page().url();
  } catch {
    return null;
  }
}

function record(r: Request): void {
  seen.push({ url: r.url(), fromWorker: r.serviceWorker()?.url() ?? null, fromPage: pageOf(r) });
}

/** Records CSP violations from the first moment a page exists (extension pages included). */
const WATCH = `window.__csp = []; addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`;

async function watched(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.addInitScript(WATCH);
  page.on('dialog', (d) => {
    dialogs.push(`${page.url()}: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  return page;
}

/** What must hold on any page that shows hostile data. */
async function inspect(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as { __pwned?: unknown; __csp?: string[] };
    // Data in attribute values (title, data-*) is fine: it was set as a value. What must
    // never exist is markup made from data: an event-handler attribute, or a script, image,
    // frame or object element that carries the payload.
    const ACTIVE = new Set(['SCRIPT', 'IMG', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'LINK', 'META']);
    const fromData = [...document.querySelectorAll('*')].filter(
      (el) =>
        [...el.attributes].some((a) => a.name.startsWith('on')) ||
        (ACTIVE.has(el.tagName.toUpperCase()) && el.outerHTML.includes('pwned')),
    );
    return {
      pwned: w.__pwned ?? null,
      csp: w.__csp ?? [],
      elementsFromData: fromData.map((el) => el.outerHTML.slice(0, 120)),
      overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      text: document.body.innerText,
    };
  });
}

beforeAll(async () => {
  ({ site, browser } = await startHostileSession());
  browser.context.on('request', record);

  const tab = await watched();
  pageUrl = `${site.origin('hostile.test')}/`;
  await tab.goto(pageUrl, { waitUntil: 'load' });
  await site.waitForHit((h) => h.host === 'hostile.test' && h.path === '/done');
  store = await waitForStore(browser, (s) => {
    const page = s.pages.find((p) => p.url === pageUrl);
    return (
      !!page &&
      WEIRD_HOSTS.every((h) => s.requests.some((r) => r.host === h)) &&
      s.cookies.some((c) => c.name.startsWith('@SUM')) &&
      s.findings.some((f) => f.evidence.cookieName?.startsWith('@SUM'))
    );
  });
  const flag = await tab.evaluate(
    () => (window as unknown as { __pwned?: unknown }).__pwned ?? null,
  );
  expect(flag, 'the fixture page itself must not run its payloads either').toBeNull();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('hostile page data', () => {
  it('is stored as data: weird hosts, hostile cookie names, 100 KB strings', () => {
    for (const h of WEIRD_HOSTS) expect(store.requests.map((r) => r.host)).toContain(h);
    const names = store.cookies.map((c) => c.name);
    expect(
      names.some((n) => n.includes('<script>')),
      names.join(' | '),
    ).toBe(true);
    expect(
      names.some((n) => n.includes('\u202E')),
      names.join(' | '),
    ).toBe(true);
    // The 100 KB path and query arrive, cut to the URL cap (src/core/model.ts MAX_URL_CHARS).
    const long = store.requests.filter((r) => r.url.includes('LLLLLLLLLL'));
    expect(long.length).toBeGreaterThanOrEqual(2);
    for (const r of long) expect(r.url.length).toBeLessThanOrEqual(MAX_URL_CHARS * 9);
  });

  it('runs nothing in the popup and keeps its layout', async () => {
    const tabId = await browser.tabIdFor(pageUrl);
    const popup = await watched();
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.goto(browser.popupUrl(tabId));
    await popup.waitForSelector('[data-testid="party-row"]');
    // Open every party's details, where hosts, rules and cookie names are shown.
    for (const row of await popup
      .locator('[data-testid="party-row"] summary, [data-testid="party-row"] button')
      .all()) {
      await row.click().catch(() => undefined);
    }
    const r = await inspect(popup);
    expect(r.pwned).toBeNull();
    expect(r.csp).toEqual([]);
    expect(r.elementsFromData).toEqual([]);
    expect(r.overflowX, 'the popup scrolls sideways').toBeLessThanOrEqual(0);
    expect(r.text).toContain('evil.test');
    await popup.screenshot({ path: outputPath('popup-hostile.png') });
    await popup.close();
  });

  it('runs nothing in the report page and keeps its layout', async () => {
    const report = await watched();
    await report.setViewportSize({ width: 1024, height: 800 });
    for (const hash of [
      '#/sites',
      '#/site/hostile.test',
      '#/site/hostile.test?tab=cookies',
      '#/site/hostile.test?tab=requests',
      '#/parties',
      '#/search',
      '#/data',
    ]) {
      await report.goto(`${browser.extensionUrl('src/ui/report/report.html')}${hash}`);
      await report.waitForSelector('main[data-view]');
      const r = await inspect(report);
      expect(r.pwned, hash).toBeNull();
      expect(r.csp, hash).toEqual([]);
      expect(r.elementsFromData, hash).toEqual([]);
      expect(r.overflowX, `${hash} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    // An export from the report page (part of the no-egress session below).
    const download = report.waitForEvent('download', { timeout: 15_000 });
    await report.click('button[data-export="html"]');
    const file = await (await download).path();
    const exported = readFileSync(file, 'utf8');
    expect(exported).toContain('Content-Security-Policy');
    await report.close();
  });

  it('runs nothing in the exported HTML report, which shows the payloads as text', async () => {
    const report = buildReport(
      {
        pages: store.pages,
        requests: store.requests,
        cookies: store.cookies,
        parties: store.parties,
        findings: store.findings,
      },
      {
        generatorVersion: 'test',
        trackerData: { source: 'test', version: '0' },
        createdAt: Date.now(),
      },
    );
    const file = outputPath('hostile-report.html');
    writeFileSync(file, reportHtml(report));
    const page = await watched();
    await page.goto(pathToFileURL(file).href);
    const r = await inspect(page);
    expect(r.pwned).toBeNull();
    expect(r.elementsFromData).toEqual([]);
    expect(await page.evaluate(() => document.scripts.length)).toBe(0);
    // The payloads are there, as visible text; bidi overrides are shown as code points.
    expect(r.text).toContain('<script>window.__pwned');
    expect(r.text).toContain('U+202E');
    expect(r.overflowX, 'the report scrolls sideways').toBeLessThanOrEqual(0);
    await page.close();

    // CSV: no cell may start with = + - @ (or tab/CR): a spreadsheet would run it.
    const csv = findingsCsv(report);
    const cells = parseCsv(csv).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    for (const name of HOSTILE_COOKIE_NAMES.filter((n) => /^[=+\-@]/.test(n))) {
      expect(
        cells.some((c) => c.startsWith(`'${name.split('=')[0]}`)),
        `${name} neutralized`,
      ).toBe(true);
    }
  });

  it('saw no dialog anywhere', () => {
    expect(dialogs).toEqual([]);
  });
});

describe('no egress', () => {
  it('the extension made no network request of its own during the whole session', async () => {
    const own = `chrome-extension://${browser.extensionId}/`;
    const fromExtension = seen.filter(
      (s) =>
        !s.url.startsWith(own) &&
        !s.url.startsWith('blob:') &&
        !s.url.startsWith('data:') &&
        (s.fromWorker?.startsWith('chrome-extension://') ||
          s.fromPage?.startsWith('chrome-extension://')),
    );
    expect(fromExtension).toEqual([]);
    // Nothing reached the fixture server on the extension's behalf either.
    expect(
      site.hits.filter(
        (h) =>
          h.origin.startsWith('chrome-extension:') || h.referer.startsWith('chrome-extension:'),
      ),
    ).toEqual([]);
    // The recorder did see the session: the page's own traffic and the popup's files.
    expect(seen.some((s) => s.url.includes('px.evil.test'))).toBe(true);
    expect(seen.some((s) => s.url.startsWith(own))).toBe(true);
  });

  it("would notice one (control: a fetch from the worker is recorded as the worker's)", async () => {
    const before = seen.length;
    await browser.worker
      .evaluate(
        (u) =>
          fetch(u).then(
            () => 'ok',
            () => 'failed',
          ),
        `${site.origin('probe.test')}/egress-probe`,
      )
      .catch(() => undefined);
    await site.waitForHit((h) => h.path === '/egress-probe', 10_000);
    const probe = seen.slice(before).find((s) => s.url.includes('/egress-probe'));
    expect(probe?.fromWorker).toMatch(/^chrome-extension:\/\//);
  });

  it('ships a manifest with only the justified permissions and a strict CSP', () => {
    const readme = readmePermissions(readFileSync(resolve(ROOT, 'README.md'), 'utf8'));
    const chrome = JSON.parse(
      readFileSync(resolve(EXTENSION_DIR, 'manifest.json'), 'utf8'),
    ) as unknown;
    expect(checkManifest(chrome, readme, 'chrome')).toEqual([]);
    const firefoxPath = resolve(ROOT, 'dist/firefox/manifest.json');
    const firefox = JSON.parse(readFileSync(firefoxPath, 'utf8')) as unknown;
    expect(checkManifest(firefox, readme, 'firefox')).toEqual([]);
  });
});

/** RFC 4180 reader: enough to get cells back out of our own CSV. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}
