// fake-indexeddb must load before Dexie, which looks up indexedDB when it is imported.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DBCore } from 'dexie';
import { openDb, type LeakwatchDb, type PageRow, type RequestRow } from '../../src/storage/db.ts';
import { findVisit, findingsForParties, partiesForPage } from '../../src/storage/queries.ts';
import { saveFindings } from '../../src/storage/findings.ts';
import { Popup } from '../../src/ui/popup/Popup.tsx';
import {
  PAGE_URL,
  TAB_ID,
  finding,
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

let db: LeakwatchDb;
afterEach(() => db?.close());

const visit = (
  id: string,
  url: string,
  visitedAt: number,
  extra: Partial<PageRow> = {},
): PageRow => ({
  id,
  tabId: TAB_ID,
  url,
  site: new URL(url).hostname,
  visitedAt,
  imported: false,
  ...extra,
});

describe('findVisit', () => {
  const pages = [
    visit('old-nyt', 'https://www.nytimes.com/', 100),
    visit('example', 'https://example.org/a', 200),
    visit('nyt', 'https://www.nytimes.com/section/world', 300),
    visit('har', 'https://www.nytimes.com/section/world', 900, { imported: true }),
    visit('other-tab', 'https://www.nytimes.com/section/world', 800, { tabId: 8 }),
  ];

  it.each<[string, number, string | null, string | null]>([
    ['latest visit when the URL is unknown', TAB_ID, null, 'nyt'],
    ['exact URL', TAB_ID, 'https://www.nytimes.com/section/world', 'nyt'],
    ['fragment ignored', TAB_ID, 'https://www.nytimes.com/section/world#top', 'nyt'],
    ['same host, path changed by the page (pushState)', TAB_ID, 'https://www.nytimes.com/x', 'nyt'],
    ['an older exact visit still matches', TAB_ID, 'https://example.org/a', 'example'],
    ['an older visit to the same host alone does not', TAB_ID, 'https://example.org/b', null],
    ['another site', TAB_ID, 'https://unrelated.example/', null],
    ['other tab', 8, 'https://www.nytimes.com/section/world', 'other-tab'],
    ['unknown tab', 99, null, null],
  ])('%s', async (_name, tabId, url, expected) => {
    db = freshDb();
    await db.pages.bulkAdd(pages);
    expect((await findVisit(db, tabId, url))?.id ?? null).toBe(expected);
  });
});

describe('page queries', () => {
  it('reads the parties and, on demand, the findings of one visit only', async () => {
    db = freshDb();
    await seedNyt(db);
    await saveFindings(db, [finding('doubleclick.net', { pageId: 'another-visit' })]);
    expect(await partiesForPage(db, nytPage.id)).toHaveLength(9);
    expect(await partiesForPage(db, 'another-visit')).toEqual([]);
    // Read as a range of ids (`pageId|domain`): a visit whose id extends this one's (our
    // ids never do, but a restored backup's page ids are any strings) keeps its rows.
    const longer = `${nytPage.id}|x`;
    await db.parties.bulkAdd([party('evil.test', { pageId: longer })]);
    expect(await partiesForPage(db, nytPage.id)).toHaveLength(9);
    expect((await partiesForPage(db, longer)).map((p) => p.domain)).toEqual(['evil.test']);
    const found = await findingsForParties(db, nytPage.id, ['doubleclick.net', 'facebook.com']);
    expect(found.map((f) => f.party).sort()).toEqual([
      'doubleclick.net',
      'doubleclick.net',
      'facebook.com',
    ]);
    expect(found[0]!.time).toBeGreaterThanOrEqual(found[1]!.time);
  });
});

describe('popup read cost', () => {
  let container: HTMLElement | undefined;
  afterEach(() => {
    if (container) unmount(container);
  });

  it('never reads requests, and findings only on expand, with 10,000 requests stored', async () => {
    db = freshDb();
    await seedNyt(db);
    const requests: RequestRow[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: `r${i}`,
      pageId: nytPage.id,
      site: 'nytimes.com',
      url: `https://securepubads.g.doubleclick.net/gampad/ads?i=${i}`,
      host: 'securepubads.g.doubleclick.net',
      party: 'doubleclick.net',
      type: 'xmlhttprequest',
      method: 'GET',
      initiator: 'https://www.nytimes.com',
      status: 200,
      firstParty: false,
      tracker: 'doubleclick',
      time: nytPage.visitedAt + i,
    }));
    await db.requests.bulkAdd(requests);

    // A second connection to the same database, with a DBCore middleware that sees every
    // table the popup touches (middleware must be added before the connection opens).
    const touched = new Set<string>();
    const spied = openDb(db.name);
    db.close();
    db = spied;
    db.use({
      stack: 'dbcore',
      name: 'table-spy',
      create: (down: DBCore): DBCore => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          const read =
            <A extends unknown[], R>(fn: (...args: A) => R) =>
            (...args: A): R => {
              touched.add(name);
              return fn(...args);
            };
          return {
            ...table,
            get: read(table.get.bind(table)),
            getMany: read(table.getMany.bind(table)),
            query: read(table.query.bind(table)),
            openCursor: read(table.openCursor.bind(table)),
            count: read(table.count.bind(table)),
          };
        },
      }),
    });

    container = mount();
    const start = performance.now();
    show(<Popup db={db} tab={{ tabId: TAB_ID, url: PAGE_URL }} />, container);
    await waitFor(() => rows(container!).length === 3);
    // Informational only: the budget is measured in benchmarks, not asserted here.
    console.info(`popup first list render: ${(performance.now() - start).toFixed(1)} ms`);
    // meta: one keyed read of the site's baseline row (the "new since your baseline" notice).
    expect([...touched].sort()).toEqual(['meta', 'pages', 'parties']);

    const toggle = container.querySelector<HTMLElement>('button.party-toggle')!;
    toggle.click();
    await waitFor(() => container!.querySelector('.explanation'));
    expect(touched.has('findings')).toBe(true);
    expect(touched.has('requests')).toBe(false);
  });
});
