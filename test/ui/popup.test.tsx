// fake-indexeddb must load before Dexie, which looks up indexedDB when it is imported.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Popup } from '../../src/ui/popup/Popup.tsx';
import type { LeakwatchDb } from '../../src/storage/db.ts';
import { readFirstScreen } from '../../src/storage/first-screen.ts';
import {
  PAGE_URL,
  TAB_ID,
  click,
  freshDb,
  mount,
  nytPage,
  party,
  rows,
  seedNyt,
  show,
  unmount,
  waitFor,
} from './helpers.ts';

const nytTab = { tabId: TAB_ID, url: PAGE_URL };
let container: HTMLElement;
let db: LeakwatchDb;

afterEach(() => {
  if (container) unmount(container);
  db?.close();
});

async function renderNyt(): Promise<void> {
  db = freshDb();
  await seedNyt(db);
  container = mount();
  show(<Popup db={db} tab={nytTab} />, container);
  await waitFor(() => rows(container).length > 0);
}

const byOrg = (org: string) => rows(container).find((r) => r.dataset.org === org) ?? null;

describe('popup before Dexie has loaded', () => {
  it('shows the first screen it was given, then follows the live query', async () => {
    db = freshDb();
    await seedNyt(db);
    // What src/storage/first-screen-direct.ts reads in the extension (tested against this
    // very function in test/storage/first-screen-direct.test.ts).
    const first = await readFirstScreen(db, TAB_ID, PAGE_URL);
    container = mount();
    show(<Popup db={null} tab={nytTab} first={first} />, container);
    // No database handle, no wait: the rows are there on the first render.
    const shown = rows(container).map((r) => r.dataset.org);
    expect(shown).toContain('Meta');
    // Dexie comes; the live query takes over without a "loading" in between, and a party
    // the background stores afterwards appears.
    show(<Popup db={db} tab={nytTab} first={first} />, container);
    expect(rows(container).map((r) => r.dataset.org)).toEqual(shown);
    await db.parties.add(
      party('newcomer.test', { organization: 'Newcomer', kinds: ['pixel'], requests: 2 }),
    );
    await waitFor(() => rows(container).some((r) => r.dataset.org === 'Newcomer'));
  });

  it('waits for the live query when there was no first screen', async () => {
    db = freshDb();
    await seedNyt(db);
    container = mount();
    show(<Popup db={null} tab={nytTab} first={undefined} />, container);
    expect(rows(container)).toEqual([]);
    expect(container.textContent).toContain('Loading');
    show(<Popup db={db} tab={nytTab} first={undefined} />, container);
    await waitFor(() => rows(container).length > 0);
  });
});

describe('popup with a recorded nytimes.com visit', () => {
  it('groups parties by organization, collectors first, most severe first', async () => {
    await renderNyt();
    const tracking = container.querySelector('[data-testid="section-tracking"]')!;
    expect(rows(tracking).map((r) => r.dataset.org)).toEqual(['Meta', 'Google', 'Salesforce']);
    const google = byOrg('Google')!;
    // Three Google domains, one row; the most severe domain is the row's domain.
    expect(google.dataset.domain).toBe('doubleclick.net');
    expect(google.dataset.domains!.split(' ').sort()).toEqual([
      'doubleclick.net',
      'google-analytics.com',
      'googletagmanager.com',
    ]);
    expect(google.textContent).toContain('22 requests · 5 pixels · 1 cookie set');
    expect(google.querySelector('.chip-category')!.textContent).toBe('Advertising');
    const taken = [...google.querySelectorAll('[aria-label="Data taken"] li')].map(
      (li) => li.textContent,
    );
    expect(taken).toEqual(['page URL', 'cookie ID']);
    const kinds = [...google.querySelectorAll('[aria-label="Findings"] li')].map(
      (li) => li.textContent,
    );
    expect(kinds).toEqual(['Known tracker', 'Pixel', 'Third-party cookie', 'Page URL leak']);
  });

  it('says why each row is listed, naming the list and rule', async () => {
    await renderNyt();
    const why = (org: string) =>
      byOrg(org)!.querySelector('[data-testid="party-why"]')!.textContent;
    expect(why('Google')).toBe(
      'Known advertising tracker: matched doubleclick.net in Ghostery TrackerDB 1.0.945',
    );
    expect(why('Salesforce')).toBe(
      'Known advertising tracker: matched krxd.net in Ghostery TrackerDB 1.0.945',
    );
    expect(why('Meta')).toBe(
      'Known social media tracker: matched facebook.net in Ghostery TrackerDB 1.0.945',
    );
  });

  it('shows a header with the count and a plain summary', async () => {
    await renderNyt();
    expect(container.querySelector('[data-testid="site"]')!.textContent).toBe('nytimes.com');
    expect(container.querySelector('[data-testid="count-line"]')!.textContent).toBe(
      '3 companies collecting data on nytimes.com',
    );
    expect(container.querySelector('[data-testid="summary"]')!.textContent).toBe(
      'Meta, Google and 1 other collect data here, including email, page URL, cookie ID and user ID. 2 of them set cookies that can recognise you on other sites.',
    );
  });

  it('keeps first-party and non-tracking parties apart, collapsed by default', async () => {
    await renderNyt();
    const other = container.querySelector('[data-testid="section-other"]')!;
    const own = container.querySelector('[data-testid="section-first-party"]')!;
    expect(rows(other)).toHaveLength(0);
    expect(rows(own)).toHaveLength(0);
    const otherToggle = other.querySelector('button[aria-expanded]')!;
    expect(otherToggle.getAttribute('aria-expanded')).toBe('false');
    expect(otherToggle.textContent).toContain('Other third parties');

    click(otherToggle);
    expect(otherToggle.getAttribute('aria-expanded')).toBe('true');
    expect(rows(other).map((r) => r.dataset.org)).toEqual(['Example CDN']);
    expect(rows(other)[0]!.querySelector('[data-testid="party-why"]')!.textContent).toBe(
      'Loaded content; no tracking seen',
    );

    click(own.querySelector('button[aria-expanded]'));
    const ownRows = rows(own);
    // nytimes.com and nyt.com: one organization, one row.
    expect(ownRows.map((r) => r.dataset.org)).toEqual(['The New York Times']);
    expect(ownRows[0]!.dataset.domains).toBe('nytimes.com nyt.com');
    // Never counted as collectors.
    expect(rows(container.querySelector('[data-testid="section-tracking"]')!)).toHaveLength(3);
  });

  it('expands a row to its domains, hosts and findings explanations', async () => {
    await renderNyt();
    const google = byOrg('Google')!;
    const toggle = google.querySelector('button.party-toggle')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(google.querySelector('[data-testid="party-details"]')).toBeNull();

    click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const details = google.querySelector('[data-testid="party-details"]')!;
    expect(toggle.getAttribute('aria-controls')).toBe(details.id);
    const hosts = [...details.querySelectorAll('.host')].map((h) => h.textContent);
    expect(hosts).toContain('securepubads.g.doubleclick.net');
    expect(hosts).toContain('www.google-analytics.com');
    const explanation = await waitFor(() => details.querySelector('.explanation'));
    // Two identical pixel findings become one line with a count.
    expect(details.querySelectorAll('.explanation')).toHaveLength(1);
    expect(explanation.textContent).toContain(
      'Sent the page URL to DoubleClick in the "url" parameter of a 1×1 image.',
    );
    expect(explanation.textContent).toContain('×2');
    expect(explanation.textContent).toContain('rule: pixel: 1x1 image with query');

    click(toggle);
    expect(google.querySelector('[data-testid="party-details"]')).toBeNull();
  });

  it('updates live when the background adds a party after the first render', async () => {
    await renderNyt();
    expect(byOrg('Hotjar')).toBeNull();
    await db.parties.add(
      party('hotjar.com', {
        hosts: ['script.hotjar.com'],
        organization: 'Hotjar',
        category: 'site_analytics',
        kinds: ['session-recording'],
        requests: 3,
      }),
    );
    const hotjar = await waitFor(() => byOrg('Hotjar'));
    expect(hotjar.querySelector('[data-testid="party-why"]')!.textContent).toBe(
      'Recorded the session (mouse, clicks, typing)',
    );
    expect(container.querySelector('[data-testid="count-line"]')!.textContent).toBe(
      '4 companies collecting data on nytimes.com',
    );
  });

  it('renders hostile host and organization names as text, never as markup', async () => {
    db = freshDb();
    await db.pages.add(nytPage);
    const host = '<img src=x onerror=alert(1)>.evil.test';
    const org = '"><script>alert(1)</script>';
    await db.parties.add(
      party('evil.test', { hosts: [host], organization: org, pixels: 1, dataTypes: ['page-url'] }),
    );
    container = mount();
    show(<Popup db={db} tab={nytTab} />, container);
    const row = await waitFor(() => rows(container)[0]);
    click(row.querySelector('button.party-toggle'));
    expect(row.dataset.org).toBe(org);
    expect(row.textContent).toContain(org);
    expect(row.querySelector('.host')!.textContent).toBe(host);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(document.querySelector('img, script')).toBeNull();
  });

  it('isolates and reveals bidi and zero-width characters in names', async () => {
    db = freshDb();
    await db.pages.add(nytPage);
    await db.parties.add(
      party('evil.test', {
        organization: 'goo\u200Bgle \u202Emoc.live',
        hosts: ['a'.repeat(5000) + '.evil.test'],
        cookiesSet: 1,
      }),
    );
    container = mount();
    show(<Popup db={db} tab={nytTab} />, container);
    const row = await waitFor(() => rows(container)[0]);
    const name = row.querySelector('.party-name')!;
    expect(name.tagName).toBe('BDI');
    expect(name.textContent).toBe('goo<U+200B>gle <U+202E>moc.live');
    expect(name.getAttribute('title')).toBe('goo<U+200B>gle <U+202E>moc.live');
    click(row.querySelector('button.party-toggle'));
    const hostText = row.querySelector('.host')!.textContent!;
    expect(hostText.length).toBeLessThanOrEqual(300);
    expect(hostText.endsWith('…')).toBe(true);
  });
});

describe('popup states', () => {
  it('shows loading while the tab is being looked up and before the first answer', async () => {
    db = freshDb();
    await seedNyt(db);
    container = mount();
    show(<Popup db={db} tab={undefined} />, container);
    expect(container.querySelector('[data-testid="state-loading"]')).not.toBeNull();
    show(<Popup db={db} tab={nytTab} />, container);
    // liveQuery answers asynchronously: the first paint says loading, not "nothing found".
    expect(container.querySelector('[data-testid="state-loading"]')).not.toBeNull();
    await waitFor(() => rows(container).length > 0);
    expect(container.querySelector('[data-testid="state-loading"]')).toBeNull();
  });

  it('shows the empty state when only the site itself was seen', async () => {
    db = freshDb();
    await db.pages.add(nytPage);
    await db.parties.add(party('nytimes.com', { firstParty: true, organization: 'NYT' }));
    container = mount();
    show(<Popup db={db} tab={nytTab} />, container);
    const empty = await waitFor(() => container.querySelector('[data-testid="state-empty"]'));
    expect(empty.textContent).toContain('No third parties seen yet on this page.');
    expect(empty.textContent).toContain('Reload the page to audit it.');
    expect(container.querySelector('[data-testid="section-first-party"]')).not.toBeNull();
  });

  it('shows the empty state for a visit with no parties yet, then fills in live', async () => {
    db = freshDb();
    await db.pages.add(nytPage);
    container = mount();
    show(<Popup db={db} tab={nytTab} />, container);
    await waitFor(() => container.querySelector('[data-testid="state-empty"]'));
    await db.parties.add(
      party('krxd.net', { organization: 'Salesforce', category: 'advertising' }),
    );
    await waitFor(() => byOrg('Salesforce'));
    expect(container.querySelector('[data-testid="state-empty"]')).toBeNull();
  });

  it.each([
    'chrome://settings/',
    'about:blank',
    'chrome-extension://abcdefghijklmnop/src/ui/popup/popup.html',
    'moz-extension://1234/popup.html',
    'file:///home/me/page.html',
    'https://chromewebstore.google.com/detail/leakwatch/abc',
    'https://chrome.google.com/webstore/category/extensions',
  ])('says it cannot see %s', async (url) => {
    db = freshDb();
    container = mount();
    show(<Popup db={db} tab={{ tabId: 3, url }} />, container);
    const state = container.querySelector('[data-testid="state-restricted"]');
    expect(state!.textContent).toContain("Leakwatch can't see browser pages");
  });

  it('treats a tab whose URL is withheld and has no visit as a browser page', async () => {
    db = freshDb();
    container = mount();
    show(<Popup db={db} tab={{ tabId: 3, url: null }} />, container);
    await waitFor(() => container.querySelector('[data-testid="state-restricted"]'));
  });

  it('suggests a reload when the tab has no recorded visit', async () => {
    db = freshDb();
    await seedNyt(db);
    container = mount();
    let reloads = 0;
    show(
      <Popup
        db={db}
        tab={{ tabId: 99, url: 'https://example.com/' }}
        onReload={() => (reloads += 1)}
      />,
      container,
    );
    const state = await waitFor(() => container.querySelector('[data-testid="state-no-visit"]'));
    expect(state.textContent).toContain('Reload the page to audit it.');
    expect(container.querySelector('[data-testid="site"]')!.textContent).toBe('example.com');
    click(state.querySelector('button'));
    expect(reloads).toBe(1);
  });

  it('does not show another site recorded earlier in the same tab', async () => {
    db = freshDb();
    await seedNyt(db);
    container = mount();
    show(<Popup db={db} tab={{ tabId: TAB_ID, url: 'https://example.org/' }} />, container);
    await waitFor(() => container.querySelector('[data-testid="state-no-visit"]'));
    expect(rows(container)).toHaveLength(0);
  });
});
