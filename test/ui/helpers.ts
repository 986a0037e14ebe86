// Seed data and rendering helpers for the popup tests: a realistic nytimes.com visit.
import 'fake-indexeddb/auto';
import { render, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';
import type { ReportParty } from '../../src/report/types.ts';
import {
  openDb,
  type FindingRow,
  type LeakwatchDb,
  type PageRow,
  type PartyRow,
} from '../../src/storage/db.ts';
import { saveFindings } from '../../src/storage/findings.ts';

let dbCounter = 0;
/** A fresh database per test: fake-indexeddb is global to the worker. */
export function freshDb(): LeakwatchDb {
  dbCounter += 1;
  return openDb(`leakwatch-test-${process.pid}-${Date.now()}-${dbCounter}`);
}

export const TAB_ID = 7;
export const PAGE_URL = 'https://www.nytimes.com/2026/05/01/world/europe/example.html';
const T0 = 1_777_000_000_000;

export const nytPage: PageRow = {
  id: `${TAB_ID}-${T0}-a1b2`,
  tabId: TAB_ID,
  url: PAGE_URL,
  site: 'nytimes.com',
  visitedAt: T0,
  imported: false,
};

const TRACKERDB = 'Ghostery TrackerDB 1.0.945';

/** A party row with neutral defaults; tests override what matters. */
export function party(domain: string, fields: Partial<PartyRow> = {}): PartyRow {
  const pageId = fields.pageId ?? nytPage.id;
  return {
    id: `${pageId}|${domain}`,
    pageId,
    site: 'nytimes.com',
    domain,
    hosts: [domain],
    organization: domain,
    category: null,
    firstParty: false,
    sameOrganization: false,
    trackerName: null,
    rule: null,
    list: null,
    authorized: null,
    requests: 1,
    pixels: 0,
    cookiesSet: 0,
    kinds: [],
    dataTypes: [],
    loadedBy: 'page',
    firstSeen: T0 + 100,
    lastSeen: T0 + 900,
    ...fields,
  };
}

export const nytParties: PartyRow[] = [
  party('nytimes.com', {
    hosts: ['www.nytimes.com', 'a.nytimes.com'],
    organization: 'The New York Times',
    firstParty: true,
    requests: 84,
  }),
  party('nyt.com', {
    hosts: ['static01.nyt.com'],
    organization: 'The New York Times',
    sameOrganization: true,
    requests: 61,
  }),
  party('doubleclick.net', {
    hosts: ['securepubads.g.doubleclick.net', 'stats.g.doubleclick.net'],
    organization: 'Google',
    category: 'advertising',
    trackerName: 'DoubleClick',
    rule: 'doubleclick.net',
    list: TRACKERDB,
    requests: 14,
    pixels: 3,
    cookiesSet: 1,
    kinds: ['tracker-request', 'pixel', 'page-url-leak', 'third-party-cookie'],
    dataTypes: ['page-url', 'cookie-id'],
    loadedBy: 'googletagmanager.com',
  }),
  party('google-analytics.com', {
    hosts: ['www.google-analytics.com'],
    organization: 'Google',
    category: 'site_analytics',
    trackerName: 'Google Analytics',
    rule: 'google-analytics.com',
    list: TRACKERDB,
    requests: 6,
    pixels: 2,
    kinds: ['tracker-request', 'pixel', 'page-url-leak'],
    dataTypes: ['page-url', 'cookie-id'],
    loadedBy: 'googletagmanager.com',
  }),
  party('googletagmanager.com', {
    hosts: ['www.googletagmanager.com'],
    organization: 'Google',
    category: 'site_analytics',
    trackerName: 'Google Tag Manager',
    rule: 'googletagmanager.com',
    list: TRACKERDB,
    requests: 2,
    kinds: ['tracker-request'],
  }),
  party('krxd.net', {
    hosts: ['cdn.krxd.net', 'beacon.krxd.net', 'usermatch.krxd.net'],
    organization: 'Salesforce',
    category: 'advertising',
    trackerName: 'Krux Digital',
    rule: 'krxd.net',
    list: TRACKERDB,
    requests: 5,
    pixels: 1,
    cookiesSet: 2,
    kinds: ['tracker-request', 'pixel', 'id-sync', 'cookie-sharing', 'identifier-cookie'],
    dataTypes: ['cookie-id', 'user-id'],
    loadedBy: 'doubleclick.net',
  }),
  party('facebook.com', {
    hosts: ['www.facebook.com'],
    organization: 'Meta',
    category: 'social_media',
    requests: 1,
    pixels: 1,
    kinds: ['pixel', 'pii-leak'],
    dataTypes: ['email', 'page-url'],
    loadedBy: 'facebook.net',
  }),
  party('facebook.net', {
    hosts: ['connect.facebook.net'],
    organization: 'Meta',
    category: 'social_media',
    trackerName: 'Facebook Connect',
    rule: 'facebook.net',
    list: TRACKERDB,
    requests: 2,
    kinds: ['tracker-request'],
  }),
  party('cdn-provider.example', {
    hosts: ['assets.cdn-provider.example'],
    organization: 'Example CDN',
    requests: 40,
  }),
];

export function finding(domain: string, fields: Partial<FindingRow>): FindingRow {
  return {
    kind: 'pixel',
    pageId: nytPage.id,
    page: PAGE_URL,
    site: 'nytimes.com',
    party: domain,
    host: domain,
    requestUrl: `https://${domain}/pixel?u=1`,
    dataTypes: [],
    encoding: null,
    explanation: 'A pixel.',
    evidence: { rule: 'pixel-heuristic' },
    time: T0 + 500,
    ...fields,
  };
}

export const nytFindings: FindingRow[] = [
  finding('doubleclick.net', {
    host: 'stats.g.doubleclick.net',
    dataTypes: ['page-url'],
    explanation: 'Sent the page URL to DoubleClick in the "url" parameter of a 1×1 image.',
    evidence: { rule: 'pixel: 1x1 image with query', location: 'query', key: 'url' },
  }),
  finding('doubleclick.net', {
    host: 'stats.g.doubleclick.net',
    time: T0 + 600,
    dataTypes: ['page-url'],
    explanation: 'Sent the page URL to DoubleClick in the "url" parameter of a 1×1 image.',
    evidence: { rule: 'pixel: 1x1 image with query', location: 'query', key: 'url' },
  }),
  finding('facebook.com', {
    kind: 'pii-leak',
    host: 'www.facebook.com',
    dataTypes: ['email'],
    encoding: 'sha256',
    explanation: 'Sent an email address (SHA-256 hashed) to Meta in the "ud[em]" parameter.',
    evidence: {
      rule: 'pii: email sha256',
      location: 'query',
      key: 'ud[em]',
      preview: 'j***@e***.com',
    },
  }),
];

export async function seedNyt(db: LeakwatchDb): Promise<void> {
  await db.pages.add(nytPage);
  await db.parties.bulkAdd(nytParties);
  await saveFindings(db, nytFindings);
}

export function mount(): HTMLElement {
  const el = document.createElement('div');
  document.body.append(el);
  return el;
}

export function show(vnode: ComponentChild, container: HTMLElement): void {
  act(() => render(vnode, container));
}

export function unmount(container: HTMLElement): void {
  act(() => render(null, container));
  container.remove();
}

/** Polls until `check` returns a value (not null/undefined/false) or time runs out. */
export async function waitFor<T>(
  check: () => T | null | undefined | false,
  timeoutMs = 3000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() - start > timeoutMs) throw new Error('waitFor: timed out');
    await act(() => new Promise((r) => setTimeout(r, 10)));
  }
}

export const rows = (root: ParentNode): HTMLElement[] => [
  ...root.querySelectorAll<HTMLElement>('[data-testid="party-row"]'),
];

export function click(el: Element | null): void {
  if (!el) throw new Error('click: no element');
  act(() => {
    (el as HTMLElement).click();
  });
}

/** A ReportParty (the report's per-site aggregate) with defaults; `fields` override. */
export function reportParty(domain: string, fields: Partial<ReportParty> = {}): ReportParty {
  return {
    site: 'pub.test',
    domain,
    hosts: [domain],
    organization: domain,
    category: 'advertising',
    firstParty: false,
    sameOrganization: false,
    authorized: null,
    requests: 1,
    pixels: 0,
    cookiesSet: 0,
    kinds: [],
    dataTypes: [],
    loadedBy: 'page',
    loadedByChain: ['page'],
    tagEdges: [],
    trackerName: null,
    rule: null,
    list: null,
    pages: 1,
    firstSeen: '',
    lastSeen: '',
    ...fields,
  };
}
