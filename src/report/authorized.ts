// The publisher's authorized list: parsing the file formats publishers keep (a JSON array,
// {parties: [...]}, or plain text with one domain per line, as in ads.txt habits) and
// applying it to the aggregated parties, which yields unauthorized-party findings with the
// chain that brought each uninvited party in.
import { oneLine } from '../core/one-line.ts';
import { parseUrl } from '../core/url.ts';
import type { ReportFinding, ReportParty } from './types.ts';

export interface AuthorizedList {
  /** Lower-cased domains or host names. */
  domains: string[];
  /** Lower-cased organization names ("Google LLC"). */
  organizations: string[];
}

export class AuthorizedListError extends Error {}

/** Strips a scheme, path, port and leading dot/wildcard so "https://*.vendor.com/x" → "vendor.com". */
function normalizeDomain(raw: string): string {
  let s = raw.trim().toLowerCase();
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  s = s.replace(/[/?#].*$/, '').replace(/:\d+$/, '');
  s = s.replace(/^\*?\./, '');
  return s;
}

const looksLikeDomain = (s: string): boolean => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(s);

function addEntry(list: AuthorizedList, entry: unknown): void {
  if (typeof entry === 'string') {
    const d = normalizeDomain(entry);
    if (looksLikeDomain(d)) list.domains.push(d);
    else if (entry.trim() !== '') list.organizations.push(entry.trim().toLowerCase());
    return;
  }
  if (typeof entry === 'object' && entry !== null) {
    const rec = entry as Record<string, unknown>;
    const domain = rec['domain'] ?? rec['site'];
    const org = rec['organization'] ?? rec['name'];
    if (typeof domain === 'string') list.domains.push(normalizeDomain(domain));
    if (typeof org === 'string') list.organizations.push(org.trim().toLowerCase());
    if (typeof domain === 'string' || typeof org === 'string') return;
  }
  throw new AuthorizedListError(`unrecognized authorized-list entry ${describeEntry(entry)}`);
}

/** A short, one-line rendering of a bad entry (JSON.stringify recurses, so deep input fails). */
function describeEntry(entry: unknown): string {
  try {
    return oneLine(JSON.stringify(entry) ?? String(entry), 80);
  } catch {
    return Array.isArray(entry) ? '(a nested array)' : `(${typeof entry})`;
  }
}

const ADS_TXT_VARIABLE = /^[a-z][a-z0-9_-]*\s*=/i;

/** Parses a list file's text. Throws AuthorizedListError with a one-line reason. */
export function parseAuthorizedList(text: string): AuthorizedList {
  const list: AuthorizedList = { domains: [], organizations: [] };
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (err) {
      throw new AuthorizedListError(oneLine(`invalid JSON (${(err as Error).message})`));
    }
    const entries = Array.isArray(data)
      ? data
      : ((data as Record<string, unknown>)['parties'] ??
        (data as Record<string, unknown>)['authorized']);
    if (!Array.isArray(entries)) {
      throw new AuthorizedListError('expected a JSON array or an object with a "parties" array');
    }
    for (const e of entries) addEntry(list, e);
    return list;
  }
  for (const line of text.split(/\r?\n/)) {
    // Comments as in ads.txt; an ads.txt line "vendor.com, pub-1, DIRECT" names vendor.com.
    const content = line.replace(/#.*$/, '').split(',')[0]?.trim() ?? '';
    // ads.txt variable lines (contact=, subdomain=, OWNERDOMAIN=, MANAGERDOMAIN=) name no
    // authorized ad system.
    if (content !== '' && !ADS_TXT_VARIABLE.test(content)) addEntry(list, content);
  }
  return list;
}

/** The party facts the authorized-list rule reads (a report party or a stored party row). */
export type AuthorizableParty = Pick<
  ReportParty,
  'domain' | 'hosts' | 'organization' | 'firstParty' | 'sameOrganization'
>;

export function isAuthorized(party: AuthorizableParty, list: AuthorizedList): boolean {
  if (party.firstParty || party.sameOrganization) return true;
  const hosts = new Set(party.hosts);
  for (const d of list.domains) {
    // A listed host names its registrable domain's party ("tags.vendor.com" → vendor.com).
    if (d === party.domain || d.endsWith(`.${party.domain}`) || hosts.has(d)) return true;
  }
  return list.organizations.includes(party.organization.toLowerCase());
}

function describeChain(chain: string[], authorized: Map<string, boolean | null>): string {
  if (chain.length === 0) return 'what loaded it is not known';
  const parts = chain.map((d) => {
    if (d === 'page') return 'the page itself';
    const a = authorized.get(d);
    return a === true ? `${d} (authorized)` : a === false ? `${d} (not authorized)` : d;
  });
  if (chain[0] === 'page') return 'it was loaded directly by the page';
  return `it was brought in by ${parts.join(', which was loaded by ')}`;
}

/**
 * Marks every party authorized true/false and returns one unauthorized-party finding per
 * uninvited third party per site, anchored on the first page where it was seen.
 */
export function applyAuthorizedList(
  parties: ReportParty[],
  list: AuthorizedList,
  firstSeenOn: (site: string, domain: string) => { page: string; requestUrl: string | null },
): ReportFinding[] {
  for (const p of parties) p.authorized = isAuthorized(p, list);
  const sites = new Map<string, Map<string, boolean | null>>();
  for (const q of parties) {
    const m = sites.get(q.site) ?? new Map<string, boolean | null>();
    m.set(q.domain, q.authorized);
    sites.set(q.site, m);
  }
  const findings: ReportFinding[] = [];
  for (const p of parties) {
    if (p.authorized) continue;
    const bySite = sites.get(p.site) ?? new Map<string, boolean | null>();
    const ancestor = p.loadedByChain.find((d) => d !== 'page' && bySite.get(d) === true);
    const seen = firstSeenOn(p.site, p.domain);
    if (!p.kinds.includes('unauthorized-party')) p.kinds.push('unauthorized-party');
    findings.push({
      kind: 'unauthorized-party',
      page: seen.page,
      site: p.site,
      party: p.domain,
      // The host of the request the finding names, so the two always agree; the party's
      // hosts are sorted by name, not by when they were seen.
      host: (seen.requestUrl && parseUrl(seen.requestUrl).host) || (p.hosts[0] ?? p.domain),
      requestUrl: seen.requestUrl,
      dataTypes: [],
      encoding: null,
      explanation: `${p.domain} (${p.organization}) is not on the authorized list for ${p.site}; ${describeChain(p.loadedByChain, bySite)}.`,
      evidence: {
        rule: 'authorized-list',
        details: {
          chain: p.loadedByChain.join(' < '),
          firstAuthorizedAncestor: ancestor ?? (p.loadedByChain[0] === 'page' ? 'page' : ''),
          pages: p.pages,
        },
      },
      time: p.firstSeen,
    });
  }
  return findings;
}
