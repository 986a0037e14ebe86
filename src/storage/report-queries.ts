// Read-side queries for the report page. Like ./queries.ts: Dexie reads only, safe inside
// liveQuery, never a write. Each view reads through an index (`site`, `pageId`, `name`) or
// the per-visit aggregates (`parties`); the `requests` table, the one that grows to 100,000
// rows, is only counted through its index or read in bounded blocks.
import type { FindingKind } from '../core/model.ts';
import type { CookieRow, FindingRow, LeakwatchDb, PageRow, PartyRow, RequestRow } from './db.ts';
import type { ReportInput } from '../report/types.ts';
import { allFindings, findingCount, findingCounts, findingsOfSite, unpack } from './findings.ts';

export interface SitesData {
  pages: PageRow[];
  parties: PartyRow[];
  /** site → stored requests (counted through the `site` index) / findings (stored counts). */
  requestCounts: Map<string, number>;
  findingCounts: Map<string, number>;
}

export async function loadSites(db: LeakwatchDb): Promise<SitesData> {
  const [pages, parties, counts] = await Promise.all([
    db.pages.toArray(),
    db.parties.toArray(),
    findingCounts(db),
  ]);
  const sites = [...new Set(pages.map((p) => p.site))];
  const requestCounts = new Map<string, number>();
  await Promise.all(
    sites.map(async (s) => {
      requestCounts.set(s, await db.requests.where('site').equals(s).count());
    }),
  );
  const perSite = new Map(sites.map((s) => [s, counts.get(s) ?? 0]));
  return { pages, parties, requestCounts, findingCounts: perSite };
}

export interface SiteData {
  site: string;
  pages: PageRow[];
  parties: PartyRow[];
  cookies: CookieRow[];
  requestCount: number;
  findingCount: number;
}

export async function loadSite(db: LeakwatchDb, site: string): Promise<SiteData> {
  const [pages, parties, cookies, requestCount, findingTotal] = await Promise.all([
    db.pages.where('site').equals(site).toArray(),
    db.parties.where('site').equals(site).toArray(),
    db.cookies.where('site').equals(site).toArray(),
    db.requests.where('site').equals(site).count(),
    findingCount(db, site),
  ]);
  return { site, pages, parties, cookies, requestCount, findingCount: findingTotal };
}

/** One party's findings on a site, newest first (read when the user opens the party). */
export async function partyFindings(
  db: LeakwatchDb,
  site: string,
  domain: string,
  limit = 300,
): Promise<FindingRow[]> {
  // `party` is not indexed in the chunks (./db.ts says why): the site's chunks, newest
  // first, until `limit` of the party's findings are found.
  const hits: FindingRow[] = [];
  await db.findings
    .where('site')
    .equals(site)
    .reverse()
    .until(() => hits.length >= limit)
    .each((c) => {
      if (!c.rows.some((f) => f.party === domain)) return;
      for (const f of unpack(c)) if (f.party === domain) hits.push(f);
    });
  return hits.sort((a, b) => b.time - a.time).slice(0, limit);
}

/** Findings of one kind anywhere (search), at most `limit`. */
export async function findingsOfKind(
  db: LeakwatchDb,
  kind: FindingKind,
  limit = 200,
): Promise<FindingRow[]> {
  const hits: FindingRow[] = [];
  // Chunk by chunk, so a common kind stops reading as soon as `limit` are found.
  await db.findings
    .where('kinds')
    .equals(kind)
    .until(() => hits.length >= limit)
    .each((c) => {
      for (const f of unpack(c)) if (f.kind === kind && hits.length < limit) hits.push(f);
    });
  return hits;
}

/** A block of a site's requests in storage order, for the virtualized request list. */
export function requestBlock(
  db: LeakwatchDb,
  site: string,
  offset: number,
  limit: number,
): Promise<RequestRow[]> {
  return db.requests.where('site').equals(site).offset(offset).limit(limit).toArray();
}

/** Every per-visit party row (the cross-site Parties view and search). */
export function allParties(db: LeakwatchDb): Promise<PartyRow[]> {
  return db.parties.toArray();
}

export async function timelineData(
  db: LeakwatchDb,
  site: string,
): Promise<{ pages: PageRow[]; parties: PartyRow[] }> {
  const [pages, parties] = await Promise.all([
    db.pages.where('site').equals(site).sortBy('visitedAt'),
    db.parties.where('site').equals(site).toArray(),
  ]);
  return { pages, parties };
}

/** Cookies whose name contains `q` (case-insensitive), at most `limit`. */
export function cookiesNamed(db: LeakwatchDb, q: string, limit = 200): Promise<CookieRow[]> {
  const needle = q.toLowerCase();
  return db.cookies
    .filter((c) => c.name.toLowerCase().includes(needle))
    .limit(limit)
    .toArray();
}

export interface ScanProgress {
  scanned: number;
  total: number;
}

/**
 * Scans stored request URLs in blocks of `block` rows (by primary key), calling `matches`
 * on each. Blocks keep memory flat and let the page paint between them; `signal` stops it.
 */
export async function scanRequests(
  db: LeakwatchDb,
  matches: (r: RequestRow) => boolean,
  opts: {
    limit?: number;
    block?: number;
    signal?: AbortSignal;
    onProgress?: (p: ScanProgress) => void;
  } = {},
): Promise<{ hits: RequestRow[]; scanned: number; complete: boolean }> {
  const limit = opts.limit ?? 500;
  const block = opts.block ?? 5_000;
  const total = await db.requests.count();
  const hits: RequestRow[] = [];
  let scanned = 0;
  let after: string | null = null;
  for (;;) {
    if (opts.signal?.aborted) return { hits, scanned, complete: false };
    const rows: RequestRow[] = await (after === null
      ? db.requests.orderBy(':id').limit(block).toArray()
      : db.requests.where(':id').above(after).limit(block).toArray());
    if (rows.length === 0) return { hits, scanned, complete: true };
    for (const r of rows) {
      scanned += 1;
      if (matches(r)) hits.push(r);
      if (hits.length >= limit) return { hits, scanned, complete: false };
    }
    after = rows[rows.length - 1]!.id;
    opts.onProgress?.({ scanned, total });
  }
}

/** Findings with a masked preview (for "where did this value go"), at most `limit`. */
export async function findingsWithPreview(db: LeakwatchDb, limit = 20_000): Promise<FindingRow[]> {
  const hits: FindingRow[] = [];
  await db.findings
    .toCollection()
    .until(() => hits.length >= limit)
    .each((c) => {
      for (const f of unpack(c)) {
        if (typeof f.evidence.preview === 'string' && hits.length < limit) hits.push(f);
      }
    });
  return hits;
}

/** The rows a report.json is built from: everything, or one site. */
export async function readReportInput(db: LeakwatchDb, site: string | null): Promise<ReportInput> {
  const tables = [db.pages, db.requests, db.cookies, db.parties, db.findings];
  return db.transaction('r', tables, async () => {
    // The report's findings: the flat rows, unpacked from the chunks.
    if (site === null) {
      return {
        pages: await db.pages.toArray(),
        requests: await db.requests.toArray(),
        cookies: await db.cookies.toArray(),
        parties: await db.parties.toArray(),
        findings: await allFindings(db),
      };
    }
    return {
      pages: await db.pages.where('site').equals(site).toArray(),
      requests: await db.requests.where('site').equals(site).toArray(),
      cookies: await db.cookies.where('site').equals(site).toArray(),
      parties: await db.parties.where('site').equals(site).toArray(),
      findings: await findingsOfSite(db, site),
    };
  });
}

export type TableCounts = Record<
  'pages' | 'requests' | 'cookies' | 'parties' | 'findings' | 'meta',
  number
>;

export async function tableCounts(db: LeakwatchDb): Promise<TableCounts> {
  const [pages, requests, cookies, parties, findings, meta] = await Promise.all([
    db.pages.count(),
    db.requests.count(),
    db.cookies.count(),
    db.parties.count(),
    findingCount(db),
    db.meta.count(),
  ]);
  return { pages, requests, cookies, parties, findings, meta };
}
