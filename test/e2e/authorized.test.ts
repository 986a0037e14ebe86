// The authorized list in the real extension (issue 5): the publisher authorizes only the
// tag manager; every other third party's rows are marked not authorized (re-marked at once,
// and marked on write on the next visit), the popup shows them with the tag that brought
// them in, and its "Authorize" button flips one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { StoreSnapshot } from '../../src/cli/chromium.ts';
import type { PartyRow } from '../../src/storage/db.ts';
import {
  PUBLISHER_PAGE_DONE,
  pagesFor,
  startSession,
  visit,
  waitForStore,
  type E2eSession,
} from './support.ts';

const SITE = 'news-publisher.test';
const THIRD_PARTIES = ['krxd.net', 'facebook.com', 'adnetwork.test', 'widgets.test'];

let session: E2eSession;
let tab: Page;
let url: string;

const partiesOf = (s: StoreSnapshot, pageId: string) =>
  s.parties.filter((p) => p.pageId === pageId);
const latestPage = (s: StoreSnapshot) =>
  pagesFor(s, url).sort((a, b) => b.visitedAt - a.visitedAt)[0];
const verdict = (rows: PartyRow[], domain: string) =>
  rows.find((p) => p.domain === domain)?.authorized;

/** Waits until the latest visit of the publisher has every expected party, Krux attributed. */
function complete(s: StoreSnapshot, minPages: number): boolean {
  const page = latestPage(s);
  if (!page || pagesFor(s, url).length < minPages) return false;
  const rows = partiesOf(s, page.id);
  const domains = new Set(rows.map((p) => p.domain));
  return (
    [SITE, 'tagvendor.test', ...THIRD_PARTIES].every((d) => domains.has(d)) &&
    rows.find((p) => p.domain === 'krxd.net')?.loadedBy === 'tagvendor.test'
  );
}

beforeAll(async () => {
  session = await startSession();
  tab = await session.browser.context.newPage();
  url = session.publisherUrl('/');
  await visit(session, tab, url, PUBLISHER_PAGE_DONE);
  await waitForStore(session.browser, (s) => complete(s, 1));
});

afterAll(async () => {
  await session?.close();
});

describe('an authorized list that names only the tag manager', () => {
  it('re-marks the stored rows of the site when the list is set', async () => {
    const first = await waitForStore(session.browser, (s) => complete(s, 1));
    const before = partiesOf(first, latestPage(first)!.id);
    expect(before.every((p) => p.authorized === null)).toBe(true);

    const list = await session.browser.send('setAuthorized', {
      site: SITE,
      parties: ['tagvendor.test'],
    });
    expect(list?.parties).toEqual(['tagvendor.test']);
    expect(await session.browser.send('getAuthorized', { site: SITE })).toEqual(list);

    const s = await session.browser.readStore();
    const rows = partiesOf(s, latestPage(s)!.id);
    expect(verdict(rows, SITE)).toBe(true);
    expect(verdict(rows, 'tagvendor.test')).toBe(true);
    for (const d of THIRD_PARTIES) expect(verdict(rows, d), d).toBe(false);
  });

  it('marks the rows of a new visit on write, and the popup shows who brought them in', async () => {
    await visit(session, tab, url, PUBLISHER_PAGE_DONE);
    const s = await waitForStore(session.browser, (snap) => complete(snap, 2));
    const page = latestPage(s)!;
    const rows = partiesOf(s, page.id);
    expect(verdict(rows, SITE)).toBe(true);
    expect(verdict(rows, 'tagvendor.test')).toBe(true);
    for (const d of THIRD_PARTIES) expect(verdict(rows, d), d).toBe(false);

    const tabId = await session.browser.tabIdFor(url);
    const popup = await session.browser.context.newPage();
    await popup.goto(session.browser.popupUrl(tabId));
    await popup.locator(`main[data-page-id="${page.id}"]`).waitFor({ timeout: 15_000 });
    const krux = popup.locator('[data-testid="party-row"][data-domain="krxd.net"]');
    await krux.waitFor({ timeout: 15_000 });
    expect(await krux.getAttribute('data-authorized')).toBe('false');
    expect(await krux.getByTestId('party-unauthorized').textContent()).toContain('Not authorized');
    expect(await krux.getByTestId('party-loader').textContent()).toContain(
      'loaded by tagvendor.test',
    );
    const unauthorized = popup.locator('[data-testid="party-row"][data-authorized="false"]');
    expect(await unauthorized.count()).toBeGreaterThanOrEqual(2);
    const direct = popup.locator(
      '[data-testid="party-row"][data-authorized="false"] [data-testid="party-loader"]',
      { hasText: 'loaded directly by the page' },
    );
    expect(await direct.count()).toBeGreaterThan(0);

    // Keyboard: focus the button and press Enter.
    await krux.getByTestId('authorize').focus();
    await popup.keyboard.press('Enter');
    await popup
      .locator('[data-testid="party-row"][data-domain="krxd.net"][data-authorized="true"]')
      .waitFor({ timeout: 10_000 });
    expect(await krux.getByTestId('party-unauthorized').count()).toBe(0);

    const after = await session.browser.readStore();
    expect(verdict(partiesOf(after, page.id), 'krxd.net')).toBe(true);
    expect(verdict(partiesOf(after, page.id), 'adnetwork.test')).toBe(false);
    expect((await session.browser.send('getAuthorized', { site: SITE }))?.parties).toEqual([
      'tagvendor.test',
      'Salesforce',
    ]);
    await popup.close();
  });
});
