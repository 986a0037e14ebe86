// Report page reads split by cost (issue 6/7: view switches at 100,000 stored requests).
// A view's first render reads only the small tables (pages, per-visit party aggregates,
// cookies of one site); the counts of the large tables (requests, findings) are separate
// queries the views run after it and show when they answer. Counting through an index is
// linear in the rows counted (Chromium walks and checks every index entry: about 0.5 s for
// 100,000 requests here), so it must never stand between the user and the first screen.
// It is also one uninterruptible operation in Chromium's IndexedDB backend, which queues
// every other read behind it: so counts are taken per visit (the `pageId` index), one small
// count at a time, and a view's own reads (the Requests tab's first block) slip in between.
// Dexie reads only, safe inside liveQuery; like ./report-queries.ts, never a write.
import type { CookieRow, LeakwatchDb, PageRow, PartyRow } from './db.ts';
import { findingCounts } from './findings.ts';

export interface SitesOverview {
  pages: PageRow[];
  parties: PartyRow[];
}

/** Every page and per-visit party row: what the Sites and Timeline lists are made of. */
export async function loadSitesOverview(db: LeakwatchDb): Promise<SitesOverview> {
  const [pages, parties] = await Promise.all([db.pages.toArray(), db.parties.toArray()]);
  return { pages, parties };
}

export interface StoredCounts {
  requests: number;
  findings: number;
}

/**
 * Stored requests and findings per site. Requests: the sum over the site's visits of each
 * visit's rows (rows always belong to a visit of their own site), counted one visit at a
 * time. Findings: the per-site totals the writer keeps (schema v2's findingCounts table).
 */
export async function siteCounts(
  db: LeakwatchDb,
  pages: readonly Pick<PageRow, 'id' | 'site'>[],
): Promise<Map<string, StoredCounts>> {
  const out = new Map<string, StoredCounts>();
  const findings = await findingCounts(db);
  for (const page of pages) {
    const requests = await db.requests.where('pageId').equals(page.id).count();
    const sum = out.get(page.site) ?? { requests: 0, findings: findings.get(page.site) ?? 0 };
    sum.requests += requests;
    out.set(page.site, sum);
  }
  return out;
}

export interface SiteOverview {
  site: string;
  pages: PageRow[];
  parties: PartyRow[];
  cookies: CookieRow[];
}

/** One site's visits, party aggregates and cookies: the Site view's first screen. */
export async function loadSiteOverview(db: LeakwatchDb, site: string): Promise<SiteOverview> {
  const [pages, parties, cookies] = await Promise.all([
    db.pages.where('site').equals(site).toArray(),
    db.parties.where('site').equals(site).toArray(),
    db.cookies.where('site').equals(site).toArray(),
  ]);
  return { site, pages, parties, cookies };
}
