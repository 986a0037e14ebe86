// Privacy at rest: a person types an email and a phone number into a shop's form, the shop's
// analytics sends them to a tracker (query, JSON body, path, base64) and to the shop's own API.
// Afterwards the whole IndexedDB is dumped and searched: none of the raw values, nor their
// url-encoded or base64 forms, may be anywhere in it. Masked previews (j***@e***.com) are fine.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExtensionBrowser } from '../../src/cli/chromium.ts';
import { type HostileSite } from '../fixtures/hostile/server.ts';
import { startHostileSession, waitForStore } from './support.ts';

const EMAIL = 'river.song@tardis-mail.example';
const PHONE = '+44 20 7946 0958';
const PHONE_DIGITS = '442079460958';

let site: HostileSite;
let browser: ExtensionBrowser;

beforeAll(async () => {
  ({ site, browser } = await startHostileSession());
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Every form of a value that would give it back without effort. */
function rawForms(value: string): string[] {
  return [
    value,
    value.toLowerCase(),
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    b64(value),
    b64(value).replace(/=+$/, ''),
    b64(value).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  ];
}

it('stores no typed email or phone number, in any easily reversible form', async () => {
  const tab = await browser.context.newPage();
  const url = `${site.origin('shop.test')}/form`;
  await tab.goto(url, { waitUntil: 'load' });
  // Typed as a person types: key by key, so the page-world typing capture sees it.
  await tab.locator('#email').pressSequentially(EMAIL, { delay: 5 });
  await tab.locator('#phone').pressSequentially(PHONE, { delay: 5 });
  await tab.locator('#go').click();
  await site.waitForHit((h) => h.host === 'shop.test' && h.path === '/done');

  // The tracker did receive the raw values: this is a real leak for the extension to record.
  expect(
    site.hits.some((h) => h.host === 'collect.tracker.test' && h.query.get('em') === EMAIL),
  ).toBe(true);
  expect(site.hits.some((h) => h.host === 'collect.tracker.test' && h.body.includes(PHONE))).toBe(
    true,
  );

  const store = await waitForStore(browser, (s) => {
    const page = s.pages.find((p) => p.url === url);
    return (
      !!page &&
      s.requests.filter((r) => r.pageId === page.id && r.host === 'collect.tracker.test').length >=
        3 &&
      s.requests.some((r) => r.pageId === page.id && r.url.includes('/api/account')) &&
      s.findings.some((f) => f.pageId === page.id && f.kind === 'pii-leak')
    );
  });
  const page = store.pages.find((p) => p.url === url);
  expect(page, 'the visit was recorded').toBeDefined();
  // The leak was found and is stored masked.
  const pii = store.findings.filter((f) => f.pageId === page!.id && f.kind === 'pii-leak');
  expect(pii.length).toBeGreaterThan(0);
  expect(pii.some((f) => f.dataTypes.includes('email'))).toBe(true);

  const dump = JSON.stringify(store);
  const found = [...rawForms(EMAIL), ...rawForms(PHONE), ...rawForms(PHONE_DIGITS)].filter((form) =>
    dump.includes(form),
  );
  expect(found, 'raw personal values found in IndexedDB').toEqual([]);
  await tab.close();
});
