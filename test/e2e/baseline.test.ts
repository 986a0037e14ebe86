// A saved baseline in the real extension (issue 5, item 4): the publisher's second page
// (fewer tags) is saved as the site's baseline; the home page then brings in parties the
// baseline does not have, and the popup names them in its notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { StoreSnapshot } from '../../src/cli/chromium.ts';
import {
  PUBLISHER_PAGE_DONE,
  pagesFor,
  startSession,
  visit,
  waitForStore,
  type E2eSession,
} from './support.ts';

const SITE = 'news-publisher.test';

let session: E2eSession;
let tab: Page;

const domainsOf = (s: StoreSnapshot, url: string): Set<string> => {
  const page = pagesFor(s, url).sort((a, b) => b.visitedAt - a.visitedAt)[0];
  return new Set(s.parties.filter((p) => p.pageId === page?.id).map((p) => p.domain));
};

beforeAll(async () => {
  session = await startSession();
  tab = await session.browser.context.newPage();
});

afterAll(async () => {
  await session?.close();
});

describe('a baseline saved from the second page', () => {
  it('makes the popup name the home page parties it does not have', async () => {
    const second = session.publisherUrl('/second.html');
    await visit(session, tab, second);
    await waitForStore(session.browser, (s) => domainsOf(s, second).has('facebook.com'));

    const saved = await session.browser.send('saveBaseline', { site: SITE });
    const before = saved.parties.map((p) => p.domain);
    expect(before).toContain('facebook.com');
    expect(before).not.toContain('tagvendor.test');
    expect(before).not.toContain(SITE);

    const home = session.publisherUrl('/');
    await visit(session, tab, home, PUBLISHER_PAGE_DONE);
    const s = await waitForStore(session.browser, (snap) =>
      domainsOf(snap, home).has('tagvendor.test'),
    );
    const page = pagesFor(s, home)[0]!;

    const tabId = await session.browser.tabIdFor(home);
    const popup = await session.browser.context.newPage();
    await popup.goto(session.browser.popupUrl(tabId));
    await popup.locator(`main[data-page-id="${page.id}"]`).waitFor({ timeout: 15_000 });
    const notice = popup.getByTestId('baseline-notice');
    await notice.locator('[data-domain="tagvendor.test"]').waitFor({ timeout: 15_000 });
    const text = (await notice.textContent()) ?? '';
    expect(text).toMatch(/^New since your baseline: /);
    expect(text).toContain('tagvendor.test');
    expect(text).not.toContain('facebook.com');
    await popup.close();

    expect(await session.browser.send('clearBaseline', { site: SITE })).toBeNull();
  });
});
