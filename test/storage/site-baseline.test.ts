// A site's saved baseline (issue 5, item 4): the pure diff, the meta row built from the
// site's third parties of the last 30 days, the diff of later visits, and the handlers.
import { freshDbs } from './fresh-db.ts';
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { diffPartySummaries, type PartySummary } from '../../src/report/baseline.ts';
import type { LeakwatchDb, PageRow, PartyRow } from '../../src/storage/db.ts';
import {
  BASELINE_WINDOW_MS,
  baselineKey,
  partiesNewTo,
  readBaseline,
  saveBaseline,
  siteBaselineDiff,
  summarizeParties,
} from '../../src/storage/site-baseline.ts';
import { readFirstScreen } from '../../src/storage/first-screen.ts';
import { createReportHandlers } from '../../src/background/report-handlers.ts';
import { createWriter } from '../../src/storage/writer.ts';
import { REQUEST_SCHEMAS } from '../../src/messaging/protocol.ts';

const freshDb = freshDbs('baseline-test');

const SITE = 'news.test';
const NOW = 1_800_000_000_000;
const DAY = 24 * 60 * 60 * 1000;

const page = (id: string, visitedAt: number): PageRow => ({
  id,
  tabId: 1,
  url: `https://${SITE}/${id}`,
  site: SITE,
  visitedAt,
  imported: false,
});

function row(pageId: string, domain: string, fields: Partial<PartyRow> = {}): PartyRow {
  return {
    id: `${pageId}|${domain}`,
    pageId,
    site: SITE,
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
    firstSeen: NOW - DAY,
    lastSeen: NOW - DAY,
    ...fields,
  };
}

const sum = (domain: string, kinds: string[] = [], dataTypes: string[] = []): PartySummary => ({
  domain,
  organization: domain,
  kinds,
  dataTypes,
});

describe('diffPartySummaries', () => {
  it('reports new parties, parties gone, and kinds or data types added', () => {
    const d = diffPartySummaries(
      [sum('a.test', ['pixel']), sum('gone.test'), sum('b.test', [], ['email'])],
      [sum('new.test'), sum('a.test', ['pixel', 'fingerprinting']), sum('b.test', [], ['email'])],
    );
    expect(d.newParties.map((p) => p.domain)).toEqual(['new.test']);
    expect(d.goneParties.map((p) => p.domain)).toEqual(['gone.test']);
    expect(d.newKinds).toEqual([
      { domain: 'a.test', organization: 'a.test', kinds: ['fingerprinting'], dataTypes: [] },
    ]);
  });

  it('finds nothing when nothing changed or a party takes less', () => {
    const d = diffPartySummaries([sum('a.test', ['pixel'], ['email'])], [sum('a.test')]);
    expect(d).toEqual({ newParties: [], goneParties: [], newKinds: [] });
  });
});

async function seed(db: LeakwatchDb) {
  await db.pages.bulkAdd([page('old', NOW - 40 * DAY), page('p1', NOW - 2 * DAY)]);
  await db.parties.bulkAdd([
    row('old', 'ancient.test', { lastSeen: NOW - 40 * DAY }),
    row('p1', SITE, { firstParty: true }),
    row('p1', 'cdn.test', { sameOrganization: true }),
    row('p1', 'a.test', { kinds: ['pixel'], dataTypes: ['email'], organization: 'A Inc' }),
    row('p1', 'b.test'),
  ]);
}

describe('saved baselines', () => {
  it('summarizes third parties of the last 30 days, merged per domain', async () => {
    const db = freshDb();
    await seed(db);
    const saved = await saveBaseline(db, SITE, NOW);
    expect(saved.savedAt).toBe(NOW);
    expect(saved.parties).toEqual([
      { domain: 'a.test', organization: 'A Inc', kinds: ['pixel'], dataTypes: ['email'] },
      sum('b.test'),
    ]);
    expect((await db.meta.get(baselineKey(SITE)))?.value).toEqual(saved);
    expect(NOW - 40 * DAY < NOW - BASELINE_WINDOW_MS).toBe(true);
    expect(
      summarizeParties([row('x', 'a.test', { kinds: ['pixel'] }), row('y', 'a.test')]),
    ).toEqual([sum('a.test', ['pixel'])]);
  });

  it('ignores a malformed meta row', async () => {
    const db = freshDb();
    await db.meta.put({ key: baselineKey(SITE), value: { savedAt: 1, parties: [{ domain: 1 }] } });
    expect(await readBaseline(db, SITE)).toBeNull();
  });

  it('diffs the visits made since, and one visit for the popup', async () => {
    const db = freshDb();
    await seed(db);
    expect(await siteBaselineDiff(db, SITE)).toBeNull();
    // The popup's first screen: no baseline yet, so nothing is news.
    const before = await readFirstScreen(db, 1, `https://${SITE}/p1`);
    expect(before?.visit.id).toBe('p1');
    expect(before?.parties.length).toBeGreaterThan(0);
    expect(before?.newParties).toEqual([]);
    expect(await readFirstScreen(db, 2, `https://${SITE}/p1`)).toBeNull();
    await saveBaseline(db, SITE, NOW);
    expect((await siteBaselineDiff(db, SITE))?.visitsSince).toBe(0);

    await db.pages.add(page('p2', NOW + 1000));
    await db.parties.bulkAdd([
      row('p2', 'a.test', { kinds: ['pixel', 'fingerprinting'], dataTypes: ['email'] }),
      row('p2', 'new.test', { organization: 'New Co' }),
      row('p2', SITE, { firstParty: true }),
    ]);
    const s = await siteBaselineDiff(db, SITE);
    expect(s?.visitsSince).toBe(1);
    expect(s?.diff.newParties.map((p) => p.domain)).toEqual(['new.test']);
    expect(s?.diff.goneParties.map((p) => p.domain)).toEqual(['b.test']);
    expect(s?.diff.newKinds).toEqual([
      { domain: 'a.test', organization: 'a.test', kinds: ['fingerprinting'], dataTypes: [] },
    ]);
    const baseline = await readBaseline(db, SITE);
    expect(baseline?.savedAt).toBe(NOW);
    const p2 = await db.parties.where('pageId').equals('p2').toArray();
    expect(partiesNewTo(baseline!, p2).map((p) => p.domain)).toEqual(['new.test']);
    const screen = await readFirstScreen(db, 1, `https://${SITE}/p2`);
    expect(screen?.visit.id).toBe('p2');
    expect(screen?.parties.map((p) => p.domain).sort()).toEqual(['a.test', 'new.test', SITE]);
    expect(screen?.newParties.map((p) => p.domain)).toEqual(['new.test']);
  });
});

describe('baseline handlers', () => {
  it('commit buffered rows, save, replace and clear; requests are validated', async () => {
    const db = freshDb();
    await seed(db);
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
    const saved = await h.saveBaseline({ site: SITE });
    expect(order).toEqual(['drain', 'flush']);
    // Saved against the real clock: only third parties (the 30-day window is tested above).
    const domains = saved.parties.map((p) => p.domain);
    expect(domains).toEqual(expect.arrayContaining(['a.test', 'b.test']));
    expect(domains).not.toContain(SITE);
    expect(domains).not.toContain('cdn.test');
    expect(await readBaseline(db, SITE)).toEqual(saved);
    expect(await h.clearBaseline({ site: SITE })).toBeNull();
    expect(await readBaseline(db, SITE)).toBeNull();

    expect(v.safeParse(REQUEST_SCHEMAS.saveBaseline, { site: SITE }).success).toBe(true);
    expect(v.safeParse(REQUEST_SCHEMAS.saveBaseline, { site: '' }).success).toBe(false);
    expect(v.safeParse(REQUEST_SCHEMAS.clearBaseline, { site: SITE, x: 1 }).success).toBe(false);
  });
});
