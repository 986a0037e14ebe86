// Text search over what is stored: sites, hosts, organizations, cookie names and finding
// kinds (by id or by the label the UI shows). Pure over already-read rows.
import { FINDING_KINDS, type FindingKind } from '../../../core/model.ts';
import type { CookieRow, PartyRow } from '../../../storage/db.ts';
import { kindLabel } from '../../shared/format.ts';

export interface HostHit {
  host: string;
  domain: string;
  organization: string;
  sites: string[];
}

export interface OrgHit {
  organization: string;
  domains: string[];
  sites: string[];
}

export interface CookieHit {
  name: string;
  domain: string;
  sites: string[];
}

export interface SearchResults {
  sites: string[];
  hosts: HostHit[];
  organizations: OrgHit[];
  cookies: CookieHit[];
  kinds: FindingKind[];
}

const LIMIT = 100;
const add = <K, V>(m: Map<K, Set<V>>, k: K, v: V) => m.set(k, (m.get(k) ?? new Set()).add(v));

export function matchKinds(q: string): FindingKind[] {
  const n = q.trim().toLowerCase();
  if (!n) return [];
  return FINDING_KINDS.filter((k) => k.includes(n) || kindLabel(k).toLowerCase().includes(n));
}

export function searchRows(
  q: string,
  parties: readonly PartyRow[],
  cookies: readonly CookieRow[],
): SearchResults {
  const n = q.trim().toLowerCase();
  const empty: SearchResults = { sites: [], hosts: [], organizations: [], cookies: [], kinds: [] };
  if (!n) return empty;
  const sites = new Set<string>();
  const hosts = new Map<string, { domain: string; organization: string; sites: Set<string> }>();
  const orgs = new Map<string, { domains: Set<string>; sites: Set<string> }>();
  for (const p of parties) {
    if (p.site.toLowerCase().includes(n)) sites.add(p.site);
    for (const h of p.hosts) {
      if (!h.toLowerCase().includes(n)) continue;
      const e = hosts.get(h) ?? {
        domain: p.domain,
        organization: p.organization,
        sites: new Set(),
      };
      e.sites.add(p.site);
      hosts.set(h, e);
    }
    if (p.organization.toLowerCase().includes(n)) {
      const e = orgs.get(p.organization) ?? { domains: new Set(), sites: new Set() };
      e.domains.add(p.domain);
      e.sites.add(p.site);
      orgs.set(p.organization, e);
    }
  }
  const cookieSites = new Map<string, Set<string>>();
  for (const c of cookies)
    if (c.name.toLowerCase().includes(n)) add(cookieSites, `${c.domain}\u0000${c.name}`, c.site);
  return {
    sites: [...sites].sort().slice(0, LIMIT),
    hosts: [...hosts]
      .map(([host, e]) => ({
        host,
        domain: e.domain,
        organization: e.organization,
        sites: [...e.sites].sort(),
      }))
      .sort((a, b) => a.host.localeCompare(b.host))
      .slice(0, LIMIT),
    organizations: [...orgs]
      .map(([organization, e]) => ({
        organization,
        domains: [...e.domains].sort(),
        sites: [...e.sites].sort(),
      }))
      .sort((a, b) => a.organization.localeCompare(b.organization))
      .slice(0, LIMIT),
    cookies: [...cookieSites]
      .map(([key, s]) => {
        const [domain = '', name = ''] = key.split('\u0000');
        return { name, domain, sites: [...s].sort() };
      })
      .sort((a, b) => a.name.localeCompare(b.name) || a.domain.localeCompare(b.domain))
      .slice(0, LIMIT),
    kinds: matchKinds(q),
  };
}
