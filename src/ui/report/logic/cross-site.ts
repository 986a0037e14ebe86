// The Parties view: every third party across all sites, with where it was seen and what it
// took there (the cross-site view Lightbeam and Privacy Badger users ask for). Pure.
import { DATA_TYPES, FINDING_KINDS, type DataType, type FindingKind } from '../../../core/model.ts';
import { isTrackingParty } from '../../../core/tracking.ts';
import type { PartyRow } from '../../../storage/db.ts';

export interface PartyOnSite {
  site: string;
  visits: number;
  requests: number;
  kinds: FindingKind[];
  dataTypes: DataType[];
  lastSeen: number;
}

export interface CrossSiteParty {
  domain: string;
  organization: string;
  category: string | null;
  trackerName: string | null;
  tracking: boolean;
  sites: PartyOnSite[];
  kinds: FindingKind[];
  dataTypes: DataType[];
  requests: number;
  lastSeen: number;
}

const ordered = <T>(all: readonly T[], have: Set<T>): T[] => all.filter((x) => have.has(x));

export function crossSiteParties(rows: readonly PartyRow[]): CrossSiteParty[] {
  const acc = new Map<
    string,
    { head: PartyRow; tracking: boolean; sites: Map<string, { rows: PartyRow[] }> }
  >();
  for (const r of rows) {
    if (r.firstParty || r.sameOrganization) continue;
    let a = acc.get(r.domain);
    if (!a) acc.set(r.domain, (a = { head: r, tracking: false, sites: new Map() }));
    a.tracking ||= isTrackingParty(r);
    if (a.head.category === null && r.category !== null) a.head = r;
    const s = a.sites.get(r.site) ?? { rows: [] };
    s.rows.push(r);
    a.sites.set(r.site, s);
  }
  const out: CrossSiteParty[] = [];
  for (const [domain, a] of acc) {
    const allKinds = new Set<FindingKind>();
    const allData = new Set<DataType>();
    let requests = 0;
    let lastSeen = 0;
    const sites: PartyOnSite[] = [];
    for (const [site, { rows: list }] of a.sites) {
      const kinds = new Set<FindingKind>();
      const data = new Set<DataType>();
      let req = 0;
      let last = 0;
      for (const r of list) {
        r.kinds.forEach((k) => kinds.add(k));
        r.dataTypes.forEach((d) => data.add(d));
        req += r.requests;
        last = Math.max(last, r.lastSeen);
      }
      kinds.forEach((k) => allKinds.add(k));
      data.forEach((d) => allData.add(d));
      requests += req;
      lastSeen = Math.max(lastSeen, last);
      sites.push({
        site,
        visits: new Set(list.map((r) => r.pageId)).size,
        requests: req,
        kinds: ordered(FINDING_KINDS, kinds),
        dataTypes: ordered(DATA_TYPES, data),
        lastSeen: last,
      });
    }
    out.push({
      domain,
      organization: a.head.organization,
      category: a.head.category,
      trackerName: a.head.trackerName,
      tracking: a.tracking,
      sites: sites.sort((x, y) => y.lastSeen - x.lastSeen),
      kinds: ordered(FINDING_KINDS, allKinds),
      dataTypes: ordered(DATA_TYPES, allData),
      requests,
      lastSeen,
    });
  }
  // Parties on many sites are the ones that can follow someone around: first.
  return out.sort(
    (a, b) =>
      b.sites.length - a.sites.length ||
      b.dataTypes.length - a.dataTypes.length ||
      a.domain.localeCompare(b.domain),
  );
}

export function filterParties(rows: readonly CrossSiteParty[], q: string): CrossSiteParty[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return [...rows];
  return rows.filter(
    (p) =>
      p.domain.toLowerCase().includes(needle) ||
      p.organization.toLowerCase().includes(needle) ||
      p.sites.some((s) => s.site.toLowerCase().includes(needle)),
  );
}
