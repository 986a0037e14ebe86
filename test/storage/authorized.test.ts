// The per-site authorized list (issue 5): the meta row, marking party rows on write, the
// re-marking when the list changes, the badge's flag, and the background's handlers.
import { freshDbs } from './fresh-db.ts';
import type { LeakwatchDb } from '../../src/storage/db.ts';
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { createWriter } from '../../src/storage/writer.ts';
import {
  authorizedKey,
  readAuthorized,
  writeAuthorized,
  normalizeParties,
} from '../../src/storage/authorized.ts';
import { countTrackingParties } from '../../src/storage/visits.ts';
import { createReportHandlers } from '../../src/background/report-handlers.ts';
import { REQUEST_SCHEMAS } from '../../src/messaging/protocol.ts';
import type { PartyInfo } from '../../src/core/model.ts';

const freshDb = freshDbs('authorized-test');

const SITE = 'news.test';
const PAGE = 'p1';

function info(domain: string, organization = domain, firstParty = false): PartyInfo {
  return {
    host: `www.${domain}`,
    domain,
    organization,
    category: firstParty ? null : 'advertising',
    firstParty,
    sameOrganization: false,
    tracker: null,
  };
}

async function record(db: LeakwatchDb, parties: [PartyInfo, string | null][]) {
  const writer = createWriter(db, { intervalMs: 10_000 });
  for (const [party, loadedBy] of parties) {
    writer.party({ pageId: PAGE, site: SITE, party, time: 1, requests: 1, pixels: 1, loadedBy });
  }
  await writer.flushNow();
}

const verdicts = async (db: LeakwatchDb) =>
  Object.fromEntries(
    (await db.parties.where('pageId').equals(PAGE).toArray()).map((r) => [r.domain, r.authorized]),
  );

const FIXTURE: [PartyInfo, string | null][] = [
  [info(SITE, 'News', true), null],
  [info('tagvendor.test'), 'page'],
  [info('krxd.net', 'Salesforce'), 'tagvendor.test'],
  [info('adnetwork.test'), 'page'],
];

describe('authorized list storage', () => {
  it('leaves rows unmarked (null) when the site has no list', async () => {
    const db = freshDb();
    await record(db, FIXTURE);
    expect(await verdicts(db)).toEqual({
      [SITE]: null,
      'tagvendor.test': null,
      'krxd.net': null,
      'adnetwork.test': null,
    });
    expect(await countTrackingParties(db, PAGE)).toEqual({ count: 3, unauthorized: false });
  });

  it('marks rows on write once a list exists, by domain, host or organization', async () => {
    const db = freshDb();
    await writeAuthorized(db, SITE, ['https://tags.tagvendor.test/x.js', 'salesforce']);
    expect(await readAuthorized(db, SITE)).toMatchObject({
      parties: ['https://tags.tagvendor.test/x.js', 'salesforce'],
    });
    await record(db, FIXTURE);
    expect(await verdicts(db)).toEqual({
      [SITE]: true,
      'tagvendor.test': true,
      'krxd.net': true,
      'adnetwork.test': false,
    });
    expect(await countTrackingParties(db, PAGE)).toEqual({ count: 3, unauthorized: true });
  });

  it("re-marks the site's stored rows when the list changes, and clears with null", async () => {
    const db = freshDb();
    await record(db, FIXTURE);
    await writeAuthorized(db, SITE, ['tagvendor.test']);
    expect(await verdicts(db)).toMatchObject({
      'tagvendor.test': true,
      'krxd.net': false,
      'adnetwork.test': false,
    });
    // A later flush keeps marking (merge starts from the stored row).
    await record(db, [[info('krxd.net', 'Salesforce'), null]]);
    expect((await verdicts(db))['krxd.net']).toBe(false);
    // An empty list is still a list: no third party is authorized.
    await writeAuthorized(db, SITE, []);
    expect((await verdicts(db))['tagvendor.test']).toBe(false);
    await writeAuthorized(db, SITE, null);
    expect(await db.meta.get(authorizedKey(SITE))).toBeUndefined();
    expect(Object.values(await verdicts(db)).every((a) => a === null)).toBe(true);
  });

  it('keeps other sites untouched and ignores a malformed meta row', async () => {
    const db = freshDb();
    await record(db, FIXTURE);
    await db.meta.put({ key: authorizedKey(SITE), value: { parties: 'nope' } });
    expect(await readAuthorized(db, SITE)).toBeNull();
    await writeAuthorized(db, 'other.test', ['x.test']);
    expect(Object.values(await verdicts(db)).every((a) => a === null)).toBe(true);
  });

  it('normalizes entries: trimmed, no blanks, case-insensitive duplicates dropped', () => {
    expect(normalizeParties([' a.test ', 'A.test', '', 'Google LLC', 'google llc'])).toEqual([
      'a.test',
      'Google LLC',
    ]);
  });
});

describe('authorized list handlers', () => {
  function handlers(db: LeakwatchDb) {
    const writer = createWriter(db, { intervalMs: 10_000 });
    const order: string[] = [];
    const h = createReportHandlers({
      ready: Promise.resolve(),
      db,
      writer: { ...writer, flushNow: async () => (order.push('flush'), writer.flushNow()) },
      drain: async () => void order.push('drain'),
      applySettings: () => undefined,
      info: { generatorVersion: '1', trackerData: { source: 's', version: 'v' } },
    });
    return { h, order };
  }

  it('set, authorize, unauthorize and get a list, re-marking the rows each time', async () => {
    const db = freshDb();
    await record(db, FIXTURE);
    const { h, order } = handlers(db);
    expect(await h.getAuthorized({ site: SITE })).toBeNull();

    const set = await h.setAuthorized({ site: SITE, parties: ['tagvendor.test'] });
    expect(set?.parties).toEqual(['tagvendor.test']);
    // Buffered rows are committed before the re-marking.
    expect(order).toEqual(['drain', 'flush']);
    expect(await verdicts(db)).toMatchObject({ 'krxd.net': false, 'adnetwork.test': false });

    const added = await h.authorizeParty({ site: SITE, party: 'Salesforce' });
    expect(added?.parties).toEqual(['tagvendor.test', 'Salesforce']);
    expect((await verdicts(db))['krxd.net']).toBe(true);
    // Adding twice does not duplicate.
    await h.authorizeParty({ site: SITE, party: 'salesforce' });
    expect((await h.getAuthorized({ site: SITE }))?.parties).toHaveLength(2);

    const removed = await h.unauthorizeParty({ site: SITE, party: 'TAGVENDOR.test' });
    expect(removed?.parties).toEqual(['Salesforce']);
    expect(await verdicts(db)).toMatchObject({ 'tagvendor.test': false, 'krxd.net': true });

    expect(await h.setAuthorized({ site: SITE, parties: null })).toBeNull();
    expect(await h.getAuthorized({ site: SITE })).toBeNull();
  });

  it('authorizeParty creates a list when the site has none', async () => {
    const db = freshDb();
    await record(db, FIXTURE);
    const { h } = handlers(db);
    await h.authorizeParty({ site: SITE, party: 'adnetwork.test' });
    expect(await verdicts(db)).toMatchObject({ 'adnetwork.test': true, 'tagvendor.test': false });
  });

  it('validates requests: sizes, types and no extra fields', () => {
    const ok = (name: keyof typeof REQUEST_SCHEMAS, payload: unknown) =>
      v.safeParse(REQUEST_SCHEMAS[name], payload).success;
    expect(ok('setAuthorized', { site: SITE, parties: ['a.test'] })).toBe(true);
    expect(ok('setAuthorized', { site: SITE, parties: null })).toBe(true);
    expect(ok('setAuthorized', { site: SITE, parties: [1] })).toBe(false);
    expect(ok('setAuthorized', { site: '', parties: [] })).toBe(false);
    expect(ok('authorizeParty', { site: SITE, party: 'x'.repeat(257) })).toBe(false);
    expect(ok('authorizeParty', { site: SITE, party: 'a.test', extra: 1 })).toBe(false);
    expect(ok('unauthorizeParty', { site: SITE, party: '' })).toBe(false);
    expect(ok('getAuthorized', { site: SITE })).toBe(true);
  });
});
