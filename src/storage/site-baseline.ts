// A site's saved baseline (issue 5, item 4), kept as one meta row `baseline:<site>` →
// {savedAt, parties}. Saved from the site's stored third-party rows of the last 30 days (all
// visits in that window, merged per domain), so one page of the site missing a tag does not
// make it "gone". The popup compares the current visit with it; the report page compares the
// visits made since it was saved. The diff rule is the CLI's (../report/baseline.ts).
import { diffPartySummaries, type PartySummary, type SummaryDiff } from '../report/baseline.ts';
import type { LeakwatchDb, PartyRow } from './db.ts';

export const META_BASELINE_PREFIX = 'baseline:';
/** A baseline summarizes the visits of this window before it is saved. */
export const BASELINE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

export interface BaselineRecord {
  savedAt: number;
  parties: PartySummary[];
}

export const baselineKey = (site: string): string => `${META_BASELINE_PREFIX}${site}`;

const strings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

/** A stored baseline's value, checked (a restored backup's may be anything); null if not one. */
export function validRecord(value: unknown): BaselineRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const { savedAt, parties } = value as Record<string, unknown>;
  if (typeof savedAt !== 'number' || !Array.isArray(parties)) return null;
  const clean: PartySummary[] = [];
  for (const p of parties as unknown[]) {
    if (typeof p !== 'object' || p === null) return null;
    const { domain, organization, kinds, dataTypes } = p as Record<string, unknown>;
    if (typeof domain !== 'string' || typeof organization !== 'string') return null;
    if (!strings(kinds) || !strings(dataTypes)) return null;
    clean.push({ domain, organization, kinds, dataTypes });
  }
  return { savedAt, parties: clean };
}

const isThirdParty = (r: PartyRow): boolean => !r.firstParty && !r.sameOrganization;

/** Third-party rows merged per domain (kinds and data types unioned), sorted by domain. */
export function summarizeParties(rows: readonly PartyRow[]): PartySummary[] {
  const byDomain = new Map<
    string,
    { organization: string; kinds: Set<string>; types: Set<string> }
  >();
  for (const r of rows) {
    if (!isThirdParty(r)) continue;
    let entry = byDomain.get(r.domain);
    if (!entry) {
      entry = { organization: r.organization, kinds: new Set(), types: new Set() };
      byDomain.set(r.domain, entry);
    }
    for (const k of r.kinds) entry.kinds.add(k);
    for (const t of r.dataTypes) entry.types.add(t);
  }
  return [...byDomain.entries()]
    .map(([domain, e]) => ({
      domain,
      organization: e.organization,
      kinds: [...e.kinds].sort(),
      dataTypes: [...e.types].sort(),
    }))
    .sort((a, b) => a.domain.localeCompare(b.domain));
}

export async function readBaseline(db: LeakwatchDb, site: string): Promise<BaselineRecord | null> {
  return validRecord((await db.meta.get(baselineKey(site)))?.value);
}

/** Saves (or replaces) a site's baseline from its rows of the last 30 days. */
export async function saveBaseline(
  db: LeakwatchDb,
  site: string,
  now = Date.now(),
): Promise<BaselineRecord> {
  return db.transaction('rw', [db.meta, db.parties], async () => {
    const rows = await db.parties.where('site').equals(site).toArray();
    const recent = rows.filter((r) => r.lastSeen >= now - BASELINE_WINDOW_MS);
    const record: BaselineRecord = { savedAt: now, parties: summarizeParties(recent) };
    await db.meta.put({ key: baselineKey(site), value: record });
    return record;
  });
}

export async function clearBaseline(db: LeakwatchDb, site: string): Promise<null> {
  await db.meta.delete(baselineKey(site));
  return null;
}

export interface SiteBaselineDiff {
  baseline: BaselineRecord;
  /** Visits of the site made after the baseline was saved (0: nothing to compare yet). */
  visitsSince: number;
  diff: SummaryDiff;
}

/** A site's baseline against every visit made since it was saved; null without a baseline. */
export async function siteBaselineDiff(
  db: LeakwatchDb,
  site: string,
): Promise<SiteBaselineDiff | null> {
  const baseline = await readBaseline(db, site);
  if (!baseline) return null;
  const pages = await db.pages.where('site').equals(site).toArray();
  const since = new Set(pages.filter((p) => p.visitedAt > baseline.savedAt).map((p) => p.id));
  const rows = since.size
    ? await db.parties
        .where('pageId')
        .anyOf([...since])
        .toArray()
    : [];
  const current = summarizeParties(rows);
  return {
    baseline,
    visitsSince: since.size,
    diff: since.size
      ? diffPartySummaries(baseline.parties, current)
      : { newParties: [], goneParties: [], newKinds: [] },
  };
}

/**
 * Third parties of one visit (its party rows, already read by the caller: the popup's first
 * screen reads them once for both uses) missing from the site's baseline.
 */
export function partiesNewTo(baseline: BaselineRecord, rows: readonly PartyRow[]): PartySummary[] {
  return diffPartySummaries(baseline.parties, summarizeParties(rows)).newParties;
}
