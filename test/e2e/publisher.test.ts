// One audit of the fixture publisher page, end to end: the real extension in Chromium
// records the visit, and these tests check what landed in its IndexedDB and what the popup
// shows. The page (test/fixtures/site/public/news-publisher.test/index.html) carries:
// the Meta pixel (page URL + _fbp id), GA4 via sendBeacon, a tag manager that piggybacks
// Krux, an analytics script that sets a first-party _lw_uid and sends it home, a widget
// iframe with a SameSite=None cookie, an ad pixel that syncs ids with an exchange, and a
// JSON bid POST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { StoreSnapshot } from '../../src/cli/chromium.ts';
import type { PageRow } from '../../src/storage/db.ts';
import {
  PUBLISHER_PAGE_DONE,
  outputPath,
  pagesFor,
  startSession,
  visit,
  waitForStore,
  type E2eSession,
} from './support.ts';

const SITE = 'news-publisher.test';
/** Real tracker domains (served locally) the tracker database must recognise. */
const TRACKERS = {
  'facebook.com': 'Meta',
  'facebook.net': 'Meta',
  'krxd.net': 'Salesforce',
  'google-analytics.com': 'Google',
} as const;
/** Fixture vendors on .test names: third parties that no tracker list knows. */
const TEST_VENDORS = [
  'tagvendor.test',
  'adnetwork.test',
  'adexchange.test',
  'analytics.test',
  'widgets.test',
];

let session: E2eSession;
let tab: Page;
let url: string;
let store: StoreSnapshot;
let visitRow: PageRow;

const forPage = <T extends { pageId: string }>(rows: T[], pageId: string) =>
  rows.filter((r) => r.pageId === pageId);

function partyOf(domain: string) {
  const party = store.parties.find((p) => p.pageId === visitRow.id && p.domain === domain);
  expect(party, `party ${domain} of the publisher visit`).toBeDefined();
  return party!;
}

function cookieOf(name: string) {
  const cookie = store.cookies.find((c) => c.pageId === visitRow.id && c.name === name);
  expect(cookie, `cookie ${name} of the publisher visit`).toBeDefined();
  return cookie!;
}

beforeAll(async () => {
  session = await startSession();
  tab = await session.browser.context.newPage();
  url = session.publisherUrl('/');
  await visit(session, tab, url, PUBLISHER_PAGE_DONE);
  const expected = [SITE, ...Object.keys(TRACKERS), ...TEST_VENDORS];
  store = await waitForStore(session.browser, (s) => {
    const page = pagesFor(s, url)[0];
    if (!page) return false;
    const domains = new Set(forPage(s.parties, page.id).map((p) => p.domain));
    const cookies = new Set(forPage(s.cookies, page.id).map((c) => c.name));
    // The tag chain comes from the page-world script, batched a moment after the requests.
    const krux = forPage(s.parties, page.id).find((p) => p.domain === 'krxd.net');
    return (
      expected.every((d) => domains.has(d)) &&
      cookies.has('wsid') &&
      cookies.has('_lw_uid') &&
      krux?.loadedBy === 'tagvendor.test'
    );
  });
  const rows = pagesFor(store, url);
  expect(rows, `exactly one page row for ${url}`).toHaveLength(1);
  visitRow = rows[0]!;
});

afterAll(async () => {
  await session?.close();
});

describe('the publisher page visit', () => {
  it('is stored as one live visit of the publisher site in the right tab', async () => {
    const tabId = await session.browser.tabIdFor(url);
    expect(visitRow).toMatchObject({ url, site: SITE, tabId, imported: false });
    expect(forPage(store.requests, visitRow.id).length).toBeGreaterThan(15);
  });

  it('has the publisher as first party, its API host included', () => {
    const pub = partyOf(SITE);
    expect(pub.firstParty).toBe(true);
    expect(pub.hosts).toEqual(expect.arrayContaining([SITE, `api.${SITE}`]));
    const firstParties = forPage(store.parties, visitRow.id).filter((p) => p.firstParty);
    expect(firstParties.map((p) => p.domain)).toEqual([SITE]);
  });

  it.each(Object.entries(TRACKERS))(
    'classifies %s as a known tracker of %s, with the TrackerDB rule',
    (domain, organization) => {
      const party = partyOf(domain);
      expect(party).toMatchObject({ firstParty: false, organization });
      expect(party.trackerName).toBeTruthy();
      expect(party.rule).toBeTruthy();
      expect(party.list).toMatch(/TrackerDB/);
      expect(party.category).toBeTruthy();
      expect(party.kinds).toContain('tracker-request');
    },
  );

  it.each(TEST_VENDORS)('records %s as a third party that no list knows', (domain) => {
    const party = partyOf(domain);
    expect(party.firstParty).toBe(false);
    expect(party.trackerName).toBeNull();
    expect(party.requests).toBeGreaterThan(0);
  });

  it('counts pixels on the parties that fired them', () => {
    for (const domain of ['facebook.com', 'krxd.net', 'analytics.test']) {
      expect(partyOf(domain).pixels, `pixels of ${domain}`).toBeGreaterThan(0);
    }
    // The publisher's own CSS, SVG and API JSON are content, not pixels.
    expect(partyOf(SITE).pixels).toBe(0);
  });

  it('attributes the piggybacked Krux tag to the tag manager that loaded it', () => {
    expect(partyOf('tagvendor.test').loadedBy).toBe('page');
    expect(partyOf('krxd.net').loadedBy).toBe('tagvendor.test');
  });

  it("records the widget iframe's SameSite=None cookie as a third-party identifier", () => {
    const wsid = cookieOf('wsid');
    expect(wsid).toMatchObject({
      domain: 'frames.widgets.test',
      party: 'widgets.test',
      firstParty: false,
      secure: true,
      sameSite: 'no_restriction',
      identifierLike: true,
    });
    // Max-Age is one year: a long-lived id, not a session cookie.
    expect(wsid.expires).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
    expect(partyOf('widgets.test').cookiesSet).toBeGreaterThan(0);
  });

  it('records the first-party _lw_uid cookie set from document.cookie', () => {
    const uid = cookieOf('_lw_uid');
    expect(uid).toMatchObject({
      domain: SITE,
      party: SITE,
      firstParty: true,
      identifierLike: true,
      valueLength: 20,
    });
    expect(['script', 'api']).toContain(uid.setBy);
    expect(uid.expires).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
  });

  it('never stores a cookie value', () => {
    const uidValue = session.site.hits
      .find((h) => h.host === 'beacon.analytics.test' && h.path === '/collect')
      ?.query.get('uid');
    expect(uidValue).toMatch(/^[A-Za-z0-9]{20}$/);
    const cookies = JSON.stringify(forPage(store.cookies, visitRow.id));
    expect(cookies).not.toContain(uidValue);
  });

  it('produces findings of each basic kind, each with a reason and an explanation', () => {
    const findings = forPage(store.findings, visitRow.id);
    const has = (kind: string, party: string, extra: (f: (typeof findings)[0]) => boolean) =>
      findings.some((f) => f.kind === kind && f.party === party && extra(f));
    expect(has('tracker-request', 'facebook.com', (f) => !!f.evidence.rule)).toBe(true);
    expect(has('tracker-request', 'krxd.net', () => true)).toBe(true);
    expect(has('pixel', 'facebook.com', (f) => f.host === 'www.facebook.com')).toBe(true);
    expect(has('third-party-cookie', 'widgets.test', (f) => f.evidence.cookieName === 'wsid')).toBe(
      true,
    );
    expect(has('identifier-cookie', SITE, (f) => f.evidence.cookieName === '_lw_uid')).toBe(true);
    for (const f of findings) {
      expect(f).toMatchObject({ pageId: visitRow.id, page: url, site: SITE });
      expect(f.explanation.length, `explanation of ${f.kind} on ${f.party}`).toBeGreaterThan(10);
      expect(f.evidence.rule, `rule of ${f.kind} on ${f.party}`).toBeTruthy();
    }
  });

  it('keeps party aggregates consistent with the request rows', () => {
    const requests = forPage(store.requests, visitRow.id);
    for (const party of forPage(store.parties, visitRow.id)) {
      const own = requests.filter((r) => r.party === party.domain);
      expect(party.requests, `requests of ${party.domain}`).toBe(own.length);
      expect(own.every((r) => r.firstParty === party.firstParty)).toBe(true);
    }
  });
});

describe('a first-party-only page', () => {
  it('records nothing beyond the first party', async () => {
    const clean = await session.browser.context.newPage();
    const cleanUrl = session.publisherUrl('/clean.html');
    await visit(session, clean, cleanUrl, [
      (h) => h.host === `api.${SITE}` && h.path === '/v1/related.json',
    ]);
    const s = await waitForStore(session.browser, (snap) => {
      const page = pagesFor(snap, cleanUrl)[0];
      return !!page && forPage(snap.requests, page.id).some((r) => r.host === `api.${SITE}`);
    });
    const rows = pagesFor(s, cleanUrl);
    expect(rows).toHaveLength(1);
    const pageId = rows[0]!.id;
    expect(forPage(s.parties, pageId).map((p) => [p.domain, p.firstParty])).toEqual([[SITE, true]]);
    expect(forPage(s.requests, pageId).filter((r) => !r.firstParty)).toEqual([]);
    expect(forPage(s.cookies, pageId).filter((c) => !c.firstParty)).toEqual([]);
    expect(forPage(s.findings, pageId).filter((f) => f.party !== SITE)).toEqual([]);
    await clean.close();
  });
});

describe('the popup for the publisher tab', () => {
  it('lists the collecting organizations with their reason, and is screenshotted', async () => {
    const tabId = await session.browser.tabIdFor(url);
    const popup = await session.browser.context.newPage();
    await popup.setViewportSize({ width: 420, height: 720 });
    await popup.goto(session.browser.popupUrl(tabId));
    const rows = popup.getByTestId('party-row');

    const meta = rows.and(popup.locator('[data-org="Meta"]'));
    await meta.first().waitFor({ timeout: 15_000 });
    expect(await meta.count()).toBe(1); // one row per organization
    expect(await meta.getAttribute('data-domains')).toMatch(/\bfacebook\.com\b/);
    await expectWhy(popup, 'Meta', /TrackerDB/);
    await expectWhy(popup, 'Google', /TrackerDB/);
    await expectWhy(popup, 'Salesforce', /TrackerDB/);
    const krux = rows.and(popup.locator('[data-domain="krxd.net"]'));
    expect(await krux.getAttribute('data-org')).toBe('Salesforce');

    await popup.screenshot({ path: outputPath('popup.png'), fullPage: true });
    await popup.close();
  });
});

async function expectWhy(popup: Page, org: string, pattern: RegExp): Promise<void> {
  const row = popup.locator(`[data-testid="party-row"][data-org="${org}"]`);
  await row.waitFor({ timeout: 10_000 });
  const why = (await row.getByTestId('party-why').textContent()) ?? '';
  expect(why, `why line of ${org}`).toMatch(pattern);
}
