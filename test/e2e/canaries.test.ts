// Canaries end to end: the user registers their own email on the report page's Data view,
// then visits the fixture publisher, whose header-bidding script POSTs the SHA-256 of that
// email to sync.adexchange.test. The extension must report a pii-leak naming that party with
// encoding sha256 (matched as the user's canary), and the raw email must be nowhere in
// IndexedDB nor ever shown back on the page.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  PUBLISHER_PAGE_DONE,
  startSession,
  visit,
  waitForStore,
  type E2eSession,
} from './support.ts';
import { openReport, seriousViolations } from './report-support.ts';

/** The email in the fixture publisher's data layer (test/fixtures/site/public/news-publisher.test). */
const EMAIL = 'jane.reader@example.com';
const PARTY = 'adexchange.test';

let session: E2eSession;
let report: Page;

beforeAll(async () => {
  session = await startSession();
  report = await session.browser.context.newPage();
}, 60_000);

afterAll(async () => {
  await session?.close();
});

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
function rawForms(value: string): string[] {
  return [
    value,
    value.toUpperCase(),
    encodeURIComponent(value),
    b64(value),
    b64(value).replace(/=+$/, ''),
    b64(value).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  ];
}

it('a canary registered on the report page finds the hashed email sent to a third party', async () => {
  await openReport(session.browser, report, '#/data');
  await report.waitForSelector('[data-testid=canary-empty]');
  expect(await report.textContent('[data-testid=canaries]')).toMatch(
    /URL-encoded, base64, and hashed[\s\S]*only for this browser session[\s\S]*never written\s+to disk/,
  );
  await report.fill('[data-testid=canary-input]', EMAIL);
  await report.click('[data-testid=canary-add]');
  await report.waitForSelector('[data-testid=canary-preview]');
  const previews = await report.locator('[data-testid=canary-preview]').allTextContents();
  expect(previews).toEqual([expect.stringMatching(/^j\*+@e\*+\.com$/)]);
  expect(await report.inputValue('[data-testid=canary-input]')).toBe('');
  // The page only ever gets masked previews back.
  expect(await report.content()).not.toContain(EMAIL);
  expect(await seriousViolations(report), 'axe on the Data view').toEqual([]);
  // A reload asks the background again: the list is still there (storage.session).
  await report.reload();
  await report.waitForSelector('[data-testid=canary-preview]');
  expect(await report.locator('[data-testid=canary-preview]').count()).toBe(1);

  const tab = await session.browser.context.newPage();
  const url = session.publisherUrl('/');
  await visit(session, tab, url, PUBLISHER_PAGE_DONE);
  const isCanaryLeak = (f: {
    kind: string;
    party: string;
    encoding: string | null;
    evidence: { rule: string };
  }) =>
    f.kind === 'pii-leak' &&
    f.party === PARTY &&
    f.encoding === 'sha256' &&
    f.evidence.rule === 'canary';
  const store = await waitForStore(session.browser, (s) => {
    const page = s.pages.find((p) => p.url === url);
    return !!page && s.findings.some((f) => f.pageId === page.id && isCanaryLeak(f));
  });
  const page = store.pages.find((p) => p.url === url);
  expect(page, 'the visit was recorded').toBeDefined();
  const leaks = store.findings.filter((f) => f.pageId === page!.id && isCanaryLeak(f));
  expect(leaks.length).toBeGreaterThan(0);
  const leak = leaks[0]!;
  expect(leak.host).toBe('sync.adexchange.test');
  expect(leak.dataTypes).toContain('email');
  expect(leak.evidence.preview).toMatch(/^j\*+@e\*+\.com$/);
  expect(leak.explanation).toMatch(/watch for/);

  // Nothing in IndexedDB gives the canary back.
  const dump = JSON.stringify(store);
  expect(
    rawForms(EMAIL).filter((form) => dump.includes(form)),
    'raw canary found in IndexedDB',
  ).toEqual([]);
  await tab.close();

  // Removing it unregisters it and empties the list.
  await report.click('[data-testid=canary-remove]');
  await report.waitForSelector('[data-testid=canary-empty]');
  expect(await report.textContent('[data-testid=canary-status]')).toMatch(/no longer looks/);
});
