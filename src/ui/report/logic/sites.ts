// The Sites view's rows: one per site, added up from pages and the per-visit party
// aggregates (never the request table). The stored request and finding counts arrive later
// (../../../storage/report-summary.ts: counting is the slow part) and are null until then. Pure.
import { FINDING_KINDS, type FindingKind } from '../../../core/model.ts';
import { isTrackingParty } from '../../../core/tracking.ts';
import type { PageRow, PartyRow } from '../../../storage/db.ts';
import type { SitesOverview, StoredCounts } from '../../../storage/report-summary.ts';

export interface SiteSummary {
  site: string;
  visits: number;
  /** Every page of the site came from a HAR import. */
  imported: boolean;
  /**
   * Only the background's per-day stand-in visits (traffic and cookies no tab explained,
   * ids `unattributed|site|day`): the site was never opened as a page.
   */
  unattributed: boolean;
  lastVisit: number;
  /** Distinct third-party domains seen on the site. */
  parties: number;
  /** Distinct third-party domains that collect (the popup's and badge's rule). */
  trackers: number;
  /** Stored requests and findings; null while they are being counted. */
  requests: number | null;
  findings: number | null;
  /** Kind → how many third-party domains did it on the site. */
  kinds: Partial<Record<FindingKind, number>>;
}

const isThird = (p: PartyRow) => !p.firstParty && !p.sameOrganization;

export function summarizeSites(
  data: SitesOverview,
  counts: ReadonlyMap<string, StoredCounts> | null = null,
): SiteSummary[] {
  const bySite = new Map<string, { pages: PageRow[]; parties: PartyRow[] }>();
  const entry = (site: string) => {
    let e = bySite.get(site);
    if (!e) bySite.set(site, (e = { pages: [], parties: [] }));
    return e;
  };
  for (const p of data.pages) entry(p.site).pages.push(p);
  for (const p of data.parties) if (bySite.has(p.site)) entry(p.site).parties.push(p);
  const out: SiteSummary[] = [];
  for (const [site, { pages, parties }] of bySite) {
    const third = new Set<string>();
    const tracking = new Set<string>();
    const kindSets = new Map<FindingKind, Set<string>>();
    for (const p of parties) {
      if (!isThird(p)) continue;
      third.add(p.domain);
      if (isTrackingParty(p)) tracking.add(p.domain);
      for (const k of p.kinds) {
        let s = kindSets.get(k);
        if (!s) kindSets.set(k, (s = new Set()));
        s.add(p.domain);
      }
    }
    const kinds: Partial<Record<FindingKind, number>> = {};
    for (const k of FINDING_KINDS) {
      const n = kindSets.get(k)?.size;
      if (n) kinds[k] = n;
    }
    out.push({
      site,
      visits: pages.length,
      imported: pages.every((p) => p.imported),
      unattributed: pages.every((p) => p.id.startsWith('unattributed|')),
      lastVisit: Math.max(...pages.map((p) => p.visitedAt)),
      parties: third.size,
      trackers: tracking.size,
      requests: counts ? (counts.get(site)?.requests ?? 0) : null,
      findings: counts ? (counts.get(site)?.findings ?? 0) : null,
      kinds,
    });
  }
  return out;
}

export const SITE_SORT_KEYS = [
  'site',
  'visits',
  'lastVisit',
  'parties',
  'trackers',
  'findings',
  'requests',
] as const;
export type SiteSortKey = (typeof SITE_SORT_KEYS)[number];

export function isSiteSortKey(s: string): s is SiteSortKey {
  return (SITE_SORT_KEYS as readonly string[]).includes(s);
}

/** Sorted copy; ties broken by site name so the order is stable across renders. Counts not
 * known yet sort as below zero. */
export function sortSites(
  rows: readonly SiteSummary[],
  key: SiteSortKey,
  dir: 'asc' | 'desc',
): SiteSummary[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const d = key === 'site' ? a.site.localeCompare(b.site) : (a[key] ?? -1) - (b[key] ?? -1);
    return d * sign || a.site.localeCompare(b.site);
  });
}

/** Case-insensitive substring match on the site name. */
export function filterSites(rows: readonly SiteSummary[], q: string): SiteSummary[] {
  const needle = q.trim().toLowerCase();
  return needle ? rows.filter((r) => r.site.toLowerCase().includes(needle)) : [...rows];
}
