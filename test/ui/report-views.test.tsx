// The report page's views rendered in happy-dom over a seeded fake-indexeddb: what each
// shows, that commands go out as typed messages, and that hostile strings stay text.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Send } from '../../src/messaging/client.ts';
import type { LeakwatchDb } from '../../src/storage/db.ts';
import { App } from '../../src/ui/report/App.tsx';
import { parseRoute, type Route } from '../../src/ui/report/route.ts';
import { baselineKey } from '../../src/storage/site-baseline.ts';
import { click, freshDb, mount, nytPage, seedNyt, show, unmount, waitFor } from './helpers.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
let db: LeakwatchDb;
let el: HTMLElement;
let sent: [string, unknown][];
let go: (route: Route, replace?: boolean) => void;

const send = (async (type: string, payload?: unknown) => {
  sent.push([type, payload]);
  if (type === 'reportInfo')
    return { generatorVersion: '0.1.0', trackerData: { source: 's', version: '1' } };
  if (type === 'updateSettings')
    return { retentionDays: 30, paused: false, recordPrivate: false, ...(payload as object) };
  if (type === 'getCanaries') return { canaries: [{ kind: 'email', preview: 'j***@e***.com' }] };
  return { deleted: true };
}) as Send;

function open(hash: string): void {
  go = (route) => show(<App db={db} send={send} route={route} go={go} />, el);
  show(<App db={db} send={send} route={parseRoute(hash)} go={go} />, el);
}

beforeEach(async () => {
  db = freshDb();
  await seedNyt(db);
  // A second site whose page-derived strings carry markup.
  await db.pages.add({
    id: 'h-1',
    tabId: 2,
    url: `https://evil.test/?q=${HOSTILE}`,
    site: 'evil.test',
    visitedAt: nytPage.visitedAt + 10,
    imported: true,
  });
  await db.parties.add({
    id: 'h-1|x.test',
    pageId: 'h-1',
    site: 'evil.test',
    domain: 'x.test',
    hosts: [HOSTILE],
    organization: HOSTILE,
    category: null,
    firstParty: false,
    sameOrganization: false,
    trackerName: null,
    rule: null,
    list: null,
    authorized: null,
    requests: 1,
    pixels: 1,
    cookiesSet: 0,
    kinds: ['pixel'],
    dataTypes: [],
    loadedBy: 'page',
    firstSeen: 1,
    lastSeen: 2,
  });
  sent = [];
  el = mount();
});

afterEach(async () => {
  unmount(el);
  db.close();
  await db.delete();
});

const text = () => el.textContent ?? '';

describe('report views', () => {
  it('Sites lists each site with counts and an imported mark, newest first', async () => {
    open('#/sites');
    const rows = await waitFor(() => {
      const r = [...el.querySelectorAll('[data-testid=sites-rows] .vrow')];
      return r.length === 2 && r;
    });
    expect(rows[0]!.textContent).toContain('evil.test');
    expect(rows[0]!.textContent).toContain('imported');
    const nyt = () =>
      el.querySelectorAll('[data-testid=sites-rows] .vrow')[1]!.querySelectorAll('[role=cell]');
    expect(nyt()[0]!.textContent).toBe('nytimes.com');
    expect(nyt()[3]!.textContent).toBe('7'); // third parties
    // The stored counts are a second query: the cells fill in when it answers.
    await waitFor(() => el.querySelector('[data-testid=sites-table][data-counts=ready]'));
    expect(nyt()[5]!.textContent).toBe('3'); // findings
  });

  it('Site detail shows metrics, the tag tree and the parties grouped by organization', async () => {
    open('#/site/nytimes.com');
    await waitFor(() => el.querySelector('[data-testid=metrics]'));
    expect(el.querySelector('[data-testid=tag-tree] [data-node="krxd.net"]')).not.toBeNull();
    const edges = [...el.querySelectorAll('[data-testid=tag-tree-list] li')].map(
      (li) => li.textContent,
    );
    expect(edges).toContain('doubleclick.net → krxd.net');
    expect(edges).toContain('googletagmanager.com → doubleclick.net');
    open('#/site/nytimes.com?tab=parties');
    await waitFor(() => el.querySelector('[data-testid=parties-panel]'));
    expect([...el.querySelectorAll('.org')].map((o) => o.getAttribute('data-org'))).toContain(
      'Google',
    );
    const fb = el.querySelector('[data-party="facebook.com"] details') as HTMLDetailsElement;
    fb.open = true;
    fb.dispatchEvent(new Event('toggle'));
    await waitFor(() => el.querySelector('[data-testid=findings]'));
    expect(text()).toContain('ud[em]');
    expect(text()).toContain('j***@e***.com');
  });

  it('shows page-derived strings as text, never markup', async () => {
    open('#/parties?party=x.test');
    await waitFor(() => el.querySelector('[data-testid=party-detail]'));
    expect(el.querySelector('img')).toBeNull();
    expect(text()).toContain(HOSTILE);
    open('#/search?q=onerror');
    await waitFor(() => el.querySelector('[data-testid=search-results] [data-host]'));
    expect(el.querySelector('img')).toBeNull();
  });

  it('Timeline lists the visits of the chosen site', async () => {
    open('#/timeline?site=nytimes.com');
    const items = await waitFor(
      () =>
        el.querySelectorAll('[data-testid=timeline-visits] > li').length === 1 &&
        el.querySelectorAll('[data-testid=timeline-visits] > li'),
    );
    expect(items[0]!.textContent).toContain(nytPage.url);
  });

  it('Timeline marks visits after the saved baseline: new parties and missing ones', async () => {
    await db.meta.put({
      key: baselineKey('nytimes.com'),
      value: {
        savedAt: nytPage.visitedAt - 1,
        parties: [
          { domain: 'doubleclick.net', organization: 'Google', kinds: [], dataTypes: [] },
          { domain: `${HOSTILE}.gone`, organization: 'x', kinds: [], dataTypes: [] },
        ],
      },
    });
    open('#/timeline?site=nytimes.com');
    const added = await waitFor(() => el.querySelector('[data-testid=baseline-added]'));
    expect(added.textContent).toMatch(/^New since your baseline: .*krxd\.net/);
    expect(added.textContent).not.toMatch(/doubleclick/);
    expect(el.querySelector('[data-testid=baseline-missing]')?.textContent).toBe(
      `In your baseline but missing from this visit: ${HOSTILE}.gone`,
    );
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('[data-testid=timeline-baseline]')?.textContent).toMatch(
      /Your baseline for this site was saved .* with 2 third parties/,
    );
  });

  it('deleting a site asks first, then sends deleteSite', async () => {
    open('#/site/nytimes.com');
    await waitFor(() => el.querySelector('[data-testid=delete-site]'));
    click(el.querySelector('[data-testid=delete-site]'));
    expect(sent).toEqual([]);
    click(el.querySelector('[data-testid=confirm-delete-site]'));
    await waitFor(() => sent.length > 0);
    expect(sent).toEqual([['deleteSite', { site: 'nytimes.com' }]]);
  });

  it('Data sends settings changes and lists table counts', async () => {
    open('#/data');
    await waitFor(
      () => el.querySelector('[data-testid=count-parties]')?.textContent === String(10),
    );
    // The Canaries section asks the background for the masked list.
    await waitFor(() => el.querySelector('[data-testid=canary-preview]'));
    expect(sent[0]).toEqual(['getCanaries', undefined]);
    expect(el.querySelector('[data-testid=canary-preview]')?.textContent).toBe('j***@e***.com');
    click(await waitFor(() => el.querySelector('[data-testid=pause]')));
    await waitFor(() => sent.length > 1);
    expect(sent[1]).toEqual(['updateSettings', { paused: true }]);
  });

  it('exports build the report in the page and save it without the network', async () => {
    const created: Blob[] = [];
    const spy = vi
      .spyOn(URL, 'createObjectURL')
      .mockImplementation((b) => (created.push(b as Blob), 'blob:x'));
    open('#/data');
    await waitFor(() => el.querySelector('[data-export=json]'));
    click(el.querySelector('[data-export=json]'));
    await waitFor(() => created.length === 1);
    const report = JSON.parse(await created[0]!.text()) as {
      schemaVersion: number;
      pages: unknown[];
      generator: { version: string };
    };
    expect(report).toMatchObject({ schemaVersion: 1, generator: { version: '0.1.0' } });
    expect(report.pages).toHaveLength(2);
    spy.mockRestore();
  });
});
