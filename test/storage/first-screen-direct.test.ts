// The popup's first screen read with IndexedDB itself, before Dexie loads: it must answer
// exactly what the live query (readFirstScreen, through Dexie) answers, on the same rows,
// and never create, upgrade or break the database when it cannot read.
import { freshDbs } from './fresh-db.ts';
import { describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import type { LeakwatchDb, PageRow, PartyRow } from '../../src/storage/db.ts';
import { readFirstScreen } from '../../src/storage/first-screen.ts';
import { openDirect, readFirstScreenDirect } from '../../src/storage/first-screen-direct.ts';
import { saveBaseline } from '../../src/storage/site-baseline.ts';
import { party as partyRow } from '../ui/helpers.ts';

const freshDb = freshDbs('first-screen-direct');

const SITE = 'news.test';
const NOW = 1_800_000_000_000;

const page = (id: string, tabId: number, url: string, visitedAt: number): PageRow => ({
  id,
  tabId,
  url,
  site: SITE,
  visitedAt,
  imported: false,
});

/** The popup tests' party row, on this file's site and visits. */
const party = (pageId: string, domain: string, fields: Partial<PartyRow> = {}): PartyRow =>
  partyRow(domain, {
    pageId,
    site: SITE,
    kinds: ['pixel'],
    dataTypes: ['cookie-id'],
    firstSeen: NOW,
    lastSeen: NOW,
    ...fields,
  });

/** Both readers on the same database, the direct one on a connection of its own. */
async function both(db: LeakwatchDb, tabId: number, url: string | null) {
  const conn = await openDirect(indexedDB, db.name);
  try {
    return {
      live: await readFirstScreen(db, tabId, url),
      direct: await readFirstScreenDirect(conn, tabId, url),
    };
  } finally {
    conn?.close();
  }
}

async function seed(db: LeakwatchDb): Promise<void> {
  await db.pages.bulkAdd([
    page('p1', 7, `https://${SITE}/a`, NOW - 5000),
    page('p2', 7, `https://${SITE}/b#top`, NOW - 1000),
    page('p3', 8, 'https://elsewhere.test/', NOW),
    { ...page('h1', 7, `https://${SITE}/b`, NOW + 1), imported: true },
  ]);
  await db.parties.bulkAdd([
    party('p1', 'old.test'),
    party('p2', 'a.test'),
    party('p2', 'b.test', { kinds: ['fingerprinting'], dataTypes: ['email'] }),
    party('p2', SITE, { firstParty: true }),
    // An id that extends p2's, of another visit: never one of p2's parties.
    { ...party('p2x', 'stray.test'), id: 'p2|x|stray.test' },
    party('p3', 'c.test'),
  ]);
}

describe('readFirstScreenDirect', () => {
  it('answers what the live query answers: the visit, its parties, the news', async () => {
    const db = freshDb();
    await seed(db);
    const first = await both(db, 7, `https://${SITE}/b`);
    expect(first.direct).toEqual(first.live);
    expect(first.direct?.visit.id).toBe('p2');
    expect(first.direct?.parties.map((p) => p.domain).sort()).toEqual(['a.test', 'b.test', SITE]);
    expect(first.direct?.newParties).toEqual([]);

    // With a baseline saved before b.test appeared, b.test is news on both paths.
    await db.parties.delete('p2|b.test');
    await saveBaseline(db, SITE, NOW);
    await db.parties.add(party('p2', 'b.test'));
    const after = await both(db, 7, `https://${SITE}/b`);
    expect(after.direct).toEqual(after.live);
    expect(after.direct?.newParties.map((p) => p.domain)).toEqual(['b.test']);
  });

  it('chooses the same visit for an older URL, a new path on the host, and none', async () => {
    const db = freshDb();
    await seed(db);
    for (const [tabId, url] of [
      [7, `https://${SITE}/a`],
      [7, `https://${SITE}/spa-route`],
      [7, null],
      [7, 'https://other.test/'],
      [9, `https://${SITE}/a`],
    ] as const) {
      const { live, direct } = await both(db, tabId, url);
      expect(direct, `${tabId} ${url}`).toEqual(live);
    }
    expect((await both(db, 7, `https://${SITE}/spa-route`)).direct?.visit.id).toBe('p2');
    expect((await both(db, 7, 'https://other.test/')).direct).toBeNull();
  });

  it('creates nothing when the database does not exist yet, and says it could not read', async () => {
    const name = `first-screen-direct-missing-${Date.now()}`;
    const conn = await openDirect(indexedDB, name);
    expect(conn).toBeNull();
    expect(await readFirstScreenDirect(conn, 1, 'https://a.test/')).toBeUndefined();
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).not.toContain(name);
  });

  it('says it could not read a database of another shape', async () => {
    const name = `first-screen-direct-other-${Date.now()}`;
    const other = new Dexie(name);
    other.version(1).stores({ pages: 'id' });
    await other.open();
    other.close();
    const conn = await openDirect(indexedDB, name);
    expect(conn).not.toBeNull();
    expect(await readFirstScreenDirect(conn, 1, 'https://a.test/')).toBeUndefined();
    conn?.close();
    await Dexie.delete(name);
  });

  it('does not hold up the background upgrading the database', async () => {
    const db = freshDb();
    await seed(db);
    const conn = await openDirect(indexedDB, db.name);
    db.close();
    // A new schema version, as after an extension update, while the popup's connection is
    // open: it closes itself instead of blocking the upgrade.
    const next = new Dexie(db.name);
    next.version(30).stores({ pages: 'id, site, visitedAt, tabId', extra: 'id' });
    await next.open();
    expect(next.verno).toBe(30);
    next.close();
    expect(await readFirstScreenDirect(conn, 7, null)).toBeUndefined();
  });
});
