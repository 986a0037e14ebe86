// The Site detail view's data: report-shaped parties (src/report/parties.ts), the Krux-style
// metrics (src/report/metrics.ts), parties grouped by organization, cookies merged across
// visits, and the data-taken matrix for the chart. Pure.
import { DATA_TYPES, type DataType } from '../../../core/model.ts';
import { isTrackingParty } from '../../../core/tracking.ts';
import type { CookieRow } from '../../../storage/db.ts';
import type { SiteOverview } from '../../../storage/report-summary.ts';
import { siteMetrics } from '../../../report/metrics.ts';
import { aggregateParties } from '../../../report/parties.ts';
import type { ReportPage, ReportParty, SiteMetrics } from '../../../report/types.ts';

export interface OrgGroup {
  organization: string;
  category: string | null;
  /** 'tracking' | 'other' third parties, or the site's own domains. */
  section: 'tracking' | 'other' | 'first-party';
  parties: ReportParty[];
}

export interface SiteCookie {
  name: string;
  domain: string;
  path: string;
  party: string;
  firstParty: boolean;
  setBy: CookieRow['setBy'][];
  scriptUrl: string | null;
  requestUrl: string | null;
  /** Latest expiry seen (ms), or null for a session cookie. */
  expires: number | null;
  identifierLike: boolean;
  visits: number;
}

export interface SiteDetail {
  site: string;
  pages: ReportPage[];
  parties: ReportParty[];
  metrics: SiteMetrics | null;
  groups: OrgGroup[];
  cookies: SiteCookie[];
}

export function reportPages(site: Pick<SiteOverview, 'pages'>): ReportPage[] {
  return site.pages
    .map((p) => ({
      url: p.url,
      site: p.site,
      visitedAt: new Date(p.visitedAt).toISOString(),
      imported: p.imported,
      error: null,
    }))
    .sort((a, b) => a.visitedAt.localeCompare(b.visitedAt));
}

const sectionOf = (p: ReportParty): OrgGroup['section'] =>
  p.firstParty || p.sameOrganization ? 'first-party' : isTrackingParty(p) ? 'tracking' : 'other';
const SECTION_ORDER = { tracking: 0, other: 1, 'first-party': 2 } as const;

/** Groups by (section, organization); most data-taking organizations first. */
export function groupByOrganization(parties: readonly ReportParty[]): OrgGroup[] {
  const groups = new Map<string, OrgGroup>();
  for (const p of parties) {
    const section = sectionOf(p);
    const key = `${section}|${p.organization}`;
    let g = groups.get(key);
    if (!g)
      groups.set(key, (g = { organization: p.organization, category: null, section, parties: [] }));
    g.parties.push(p);
    g.category ??= p.category;
  }
  const weight = (g: OrgGroup) =>
    g.parties.reduce((n, p) => n + p.dataTypes.length * 10 + p.kinds.length, 0);
  return [...groups.values()].sort(
    (a, b) =>
      SECTION_ORDER[a.section] - SECTION_ORDER[b.section] ||
      weight(b) - weight(a) ||
      a.organization.localeCompare(b.organization),
  );
}

/** One row per (domain, path, name), however many visits set it. */
export function mergeCookies(rows: readonly CookieRow[]): SiteCookie[] {
  const out = new Map<string, SiteCookie>();
  const pages = new Map<string, Set<string>>();
  for (const c of rows) {
    const key = `${c.domain}|${c.path}|${c.name}`;
    let m = out.get(key);
    if (!m) {
      m = {
        name: c.name,
        domain: c.domain,
        path: c.path,
        party: c.party,
        firstParty: c.firstParty,
        setBy: [],
        scriptUrl: null,
        requestUrl: null,
        expires: c.expires,
        identifierLike: false,
        visits: 0,
      };
      out.set(key, m);
      pages.set(key, new Set());
    }
    if (!m.setBy.includes(c.setBy)) m.setBy.push(c.setBy);
    m.scriptUrl ??= c.scriptUrl;
    m.requestUrl ??= c.requestUrl;
    if (m.expires !== null)
      m.expires = c.expires === null ? m.expires : Math.max(m.expires, c.expires);
    m.identifierLike ||= c.identifierLike;
    pages.get(key)!.add(c.pageId);
  }
  for (const [key, m] of out) m.visits = pages.get(key)!.size;
  return [...out.values()].sort(
    (a, b) =>
      Number(b.identifierLike) - Number(a.identifierLike) ||
      Number(a.firstParty) - Number(b.firstParty) ||
      a.domain.localeCompare(b.domain) ||
      a.name.localeCompare(b.name),
  );
}

export function siteDetail(data: SiteOverview): SiteDetail {
  const pages = reportPages(data);
  // Per-visit party rows already carry requests, kinds and data types: the request and
  // finding tables are not needed here (and are the large ones).
  const parties = aggregateParties(data.parties, [], []);
  const metrics = siteMetrics(pages, parties, data.cookies).find((m) => m.site === data.site);
  return {
    site: data.site,
    pages,
    parties,
    metrics: metrics ?? null,
    groups: groupByOrganization(parties),
    cookies: mergeCookies(data.cookies),
  };
}

export interface DataMatrix {
  dataTypes: DataType[];
  rows: { domain: string; organization: string; dataTypes: Set<DataType> }[];
}

/** Third parties that took any kind of data × the data types taken (the chart). */
export function dataMatrix(parties: readonly ReportParty[], max = 25): DataMatrix {
  const takers = parties
    .filter((p) => !p.firstParty && !p.sameOrganization && p.dataTypes.length > 0)
    .sort((a, b) => b.dataTypes.length - a.dataTypes.length || a.domain.localeCompare(b.domain))
    .slice(0, max);
  const used = new Set(takers.flatMap((p) => p.dataTypes));
  return {
    dataTypes: DATA_TYPES.filter((d) => used.has(d)),
    rows: takers.map((p) => ({
      domain: p.domain,
      organization: p.organization,
      dataTypes: new Set(p.dataTypes),
    })),
  };
}
