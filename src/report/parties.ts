// Aggregates the per-visit PartyRows into one party per (site, domain): a publisher asks
// "who is on my site", not "who was on visit #17". Pure; no storage access.
import { DATA_TYPES, FINDING_KINDS } from '../core/model.ts';
import type { DataType, FindingKind } from '../core/model.ts';
import type { FindingRow, PartyRow, RequestRow } from '../storage/db.ts';
import type { ReportParty, ReportTagEdge } from './types.ts';

export const partyKey = (site: string, domain: string): string => `${site}|${domain}`;

interface Acc {
  site: string;
  domain: string;
  hosts: Set<string>;
  organization: string;
  category: string | null;
  firstParty: boolean;
  sameOrganization: boolean;
  authorized: boolean | null;
  requests: number;
  pixels: number;
  cookiesSet: number;
  kinds: Set<FindingKind>;
  dataTypes: Set<DataType>;
  /** loader → how many visits named it, to pick the usual loader when visits disagree. */
  loaders: Map<string, number>;
  trackerName: string | null;
  rule: string | null;
  list: string | null;
  pageIds: Set<string>;
  /** Script-level edges, once each across the site's visits (key: parent>child>tag). */
  edges: Map<string, ReportTagEdge>;
  firstSeen: number;
  lastSeen: number;
}

/** Edges listed per party in the report, across all visits of a site. */
const MAX_REPORT_EDGES = 200;

function emptyAcc(site: string, domain: string, time: number): Acc {
  return {
    site,
    domain,
    hosts: new Set(),
    organization: domain,
    category: null,
    firstParty: false,
    sameOrganization: false,
    authorized: null,
    requests: 0,
    pixels: 0,
    cookiesSet: 0,
    kinds: new Set(),
    dataTypes: new Set(),
    loaders: new Map(),
    trackerName: null,
    rule: null,
    list: null,
    pageIds: new Set(),
    edges: new Map(),
    firstSeen: time,
    lastSeen: time,
  };
}

function addRow(acc: Acc, row: PartyRow, seen: boolean): void {
  for (const h of row.hosts) acc.hosts.add(h);
  if (!seen) acc.organization = row.organization;
  acc.category ??= row.category;
  acc.firstParty ||= row.firstParty;
  acc.sameOrganization ||= row.sameOrganization;
  // One visit that found it unauthorized makes it unauthorized for the site.
  if (row.authorized === false) acc.authorized = false;
  else if (row.authorized === true && acc.authorized === null) acc.authorized = true;
  acc.requests += row.requests;
  acc.pixels += row.pixels;
  acc.cookiesSet += row.cookiesSet;
  for (const k of row.kinds) acc.kinds.add(k);
  for (const d of row.dataTypes) acc.dataTypes.add(d);
  if (row.loadedBy !== null && row.loadedBy !== row.domain) {
    acc.loaders.set(row.loadedBy, (acc.loaders.get(row.loadedBy) ?? 0) + 1);
  }
  acc.trackerName ??= row.trackerName;
  acc.rule ??= row.rule;
  acc.list ??= row.list;
  acc.pageIds.add(row.pageId);
  for (const e of row.tagEdges ?? []) {
    const key = `${e.parent ?? ''}>${e.child}>${e.tag}`;
    if (acc.edges.size >= MAX_REPORT_EDGES || acc.edges.has(key)) continue;
    acc.edges.set(key, {
      parent: e.parent,
      parentParty: e.parentParty,
      child: e.child,
      tag: e.tag,
    });
  }
  acc.firstSeen = Math.min(acc.firstSeen, row.firstSeen);
  acc.lastSeen = Math.max(acc.lastSeen, row.lastSeen);
}

function usualLoader(loaders: Map<string, number>): string | null {
  let best: string | null = null;
  let bestCount = 0;
  // Map keeps insertion order, so ties go to the loader seen first.
  for (const [loader, count] of loaders) {
    if (count > bestCount) [best, bestCount] = [loader, count];
  }
  return best;
}

const ordered = <T>(all: readonly T[], have: Set<T>): T[] => all.filter((x) => have.has(x));

/** Follows loadedBy upward within one site until the page, an unknown loader, or a cycle. */
export function loaderChain(
  site: string,
  start: string | null,
  loaderOf: (site: string, domain: string) => string | null | undefined,
): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  let cur = start;
  while (cur !== null && !seen.has(cur) && chain.length < 32) {
    chain.push(cur);
    seen.add(cur);
    if (cur === 'page') break;
    cur = loaderOf(site, cur) ?? null;
  }
  return chain;
}

/**
 * One ReportParty per (site, domain). Requests without a party row (a writer that lost a
 * batch) still yield a minimal party so nothing seen is dropped from the report.
 */
export function aggregateParties(
  parties: PartyRow[],
  requests: RequestRow[],
  findings: FindingRow[],
): ReportParty[] {
  const accs = new Map<string, Acc>();
  const sorted = [...parties].sort((a, b) => a.firstSeen - b.firstSeen);
  for (const row of sorted) {
    const key = partyKey(row.site, row.domain);
    const existing = accs.get(key);
    const acc = existing ?? emptyAcc(row.site, row.domain, row.firstSeen);
    addRow(acc, row, existing !== undefined);
    accs.set(key, acc);
  }
  for (const req of requests) {
    const key = partyKey(req.site, req.party);
    if (accs.has(key)) continue;
    const acc = emptyAcc(req.site, req.party, req.time);
    acc.firstParty = req.firstParty;
    accs.set(key, acc);
  }
  const rowFor = new Set(parties.map((p) => `${p.pageId}|${p.domain}`));
  for (const req of requests) {
    const acc = accs.get(partyKey(req.site, req.party));
    if (acc && !rowFor.has(`${req.pageId}|${req.party}`)) {
      acc.hosts.add(req.host);
      acc.requests += 1;
      acc.pageIds.add(req.pageId);
      acc.firstSeen = Math.min(acc.firstSeen, req.time);
      acc.lastSeen = Math.max(acc.lastSeen, req.time);
    }
  }
  for (const f of findings) {
    const acc = accs.get(partyKey(f.site, f.party));
    if (!acc) continue;
    acc.kinds.add(f.kind);
    for (const d of f.dataTypes) acc.dataTypes.add(d);
  }

  const loaderOf = (site: string, domain: string): string | null | undefined => {
    const acc = accs.get(partyKey(site, domain));
    return acc ? usualLoader(acc.loaders) : undefined;
  };
  const out: ReportParty[] = [];
  for (const acc of accs.values()) {
    const loadedBy = usualLoader(acc.loaders);
    out.push({
      site: acc.site,
      domain: acc.domain,
      hosts: [...acc.hosts].sort(),
      organization: acc.organization,
      category: acc.category,
      firstParty: acc.firstParty,
      sameOrganization: acc.sameOrganization,
      authorized: acc.authorized,
      requests: acc.requests,
      pixels: acc.pixels,
      cookiesSet: acc.cookiesSet,
      kinds: ordered(FINDING_KINDS, acc.kinds),
      dataTypes: ordered(DATA_TYPES, acc.dataTypes),
      loadedBy,
      loadedByChain: loaderChain(acc.site, loadedBy, loaderOf),
      tagEdges: [...acc.edges.values()],
      trackerName: acc.trackerName,
      rule: acc.rule,
      list: acc.list,
      pages: acc.pageIds.size,
      firstSeen: new Date(acc.firstSeen).toISOString(),
      lastSeen: new Date(acc.lastSeen).toISOString(),
    });
  }
  return out.sort(
    (a, b) =>
      a.site.localeCompare(b.site) ||
      Number(b.firstParty) - Number(a.firstParty) ||
      b.requests - a.requests ||
      a.domain.localeCompare(b.domain),
  );
}
