// The popup reads IndexedDB live: a party that starts collecting after the page has loaded
// must appear in an already open popup, without reopening it. The live page's pixel fires
// only when the test says so (?manual=1), so "before" and "after" are not a race.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { outputPath, startSession, visit, type E2eSession } from './support.ts';

let session: E2eSession;

beforeAll(async () => {
  session = await startSession();
});

afterAll(async () => {
  await session?.close();
});

it('shows a late pixel in a popup that is already open', async () => {
  const { browser, site } = session;
  const tab = await browser.context.newPage();
  const url = session.publisherUrl('/live.html?manual=1');
  await visit(session, tab, url);
  const tabId = await browser.tabIdFor(url);

  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 420, height: 600 });
  await popup.goto(browser.popupUrl(tabId));
  // The popup has found the visit once it renders the page id.
  await popup.locator('main[data-page-id]').waitFor({ timeout: 15_000 });
  const adNetwork = popup.locator('[data-testid="party-row"][data-domains~="adnetwork.test"]');
  expect(await adNetwork.count()).toBe(0);

  const fired = await tab.evaluate(() =>
    (
      globalThis as unknown as { leakwatchFixture: { firePixel(): boolean } }
    ).leakwatchFixture.firePixel(),
  );
  expect(fired).toBe(true);
  await site.waitForHit(
    (h) => h.host === 'pixel.adnetwork.test' && h.query.get('ev') === 'engaged',
  );

  await adNetwork.waitFor({ timeout: 20_000 });
  expect(await adNetwork.getAttribute('data-section')).toBe('tracking');
  await popup.screenshot({ path: outputPath('popup-live.png'), fullPage: true });
  await popup.close();
  await tab.close();
});
