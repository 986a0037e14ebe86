// Party aggregation: in-memory deltas per `${pageId}|${domain}`, merged into the stored row
// at flush time so counts stay right when a restarted worker starts from zero deltas.
import type { DataType, FindingKind, PartyInfo } from '../core/model.ts';
import type { PartyRow } from './db.ts';
import { MAX_TAG_LINKS_PER_PARTY, type TagLink } from '../core/pageworld/tag-chain.ts';

/** At most this many hosts are listed per party row (a CDN can use hundreds). */
const MAX_HOSTS = 50;

export interface PartyDelta {
  id: string;
  pageId: string;
  site: string;
  domain: string;
  info: PartyInfo | null;
  hosts: Set<string>;
  requests: number;
  pixels: number;
  cookiesSet: number;
  kinds: Set<FindingKind>;
  dataTypes: Set<DataType>;
  loadedBy: string | null;
  edges: TagLink[];
  firstSeen: number;
  lastSeen: number;
}

export function partyId(pageId: string, domain: string): string {
  return `${pageId}|${domain}`;
}

export function emptyDelta(pageId: string, site: string, domain: string, time: number): PartyDelta {
  return {
    id: partyId(pageId, domain),
    pageId,
    site,
    domain,
    info: null,
    hosts: new Set(),
    requests: 0,
    pixels: 0,
    cookiesSet: 0,
    kinds: new Set(),
    dataTypes: new Set(),
    loadedBy: null,
    edges: [],
    firstSeen: time,
    lastSeen: time,
  };
}

/** Folds one observation's party facts into a delta (first non-null tracker wins). */
export function noteInfo(delta: PartyDelta, info: PartyInfo): void {
  if (!delta.info || (!delta.info.tracker && info.tracker)) delta.info = info;
  if (info.host && delta.hosts.size < MAX_HOSTS) delta.hosts.add(info.host);
}

export function touch(delta: PartyDelta, time: number): void {
  if (time < delta.firstSeen) delta.firstSeen = time;
  if (time > delta.lastSeen) delta.lastSeen = time;
}

function union<T>(a: readonly T[], b: Set<T>, cap = Infinity): T[] {
  const out = [...a];
  for (const v of b) {
    if (out.length >= cap) break;
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** The stored row after applying `delta` on top of `existing` (undefined: a new row). */
export function mergeParty(existing: PartyRow | undefined, delta: PartyDelta): PartyRow {
  const info = delta.info;
  const tracker = info?.tracker ?? null;
  const base: PartyRow = existing ?? {
    id: delta.id,
    pageId: delta.pageId,
    site: delta.site,
    domain: delta.domain,
    hosts: [],
    organization: info?.organization || delta.domain,
    category: info?.category ?? null,
    firstParty: info?.firstParty ?? delta.domain === delta.site,
    sameOrganization: info?.sameOrganization ?? false,
    trackerName: null,
    rule: null,
    list: null,
    authorized: null,
    requests: 0,
    pixels: 0,
    cookiesSet: 0,
    kinds: [],
    dataTypes: [],
    loadedBy: null,
    firstSeen: delta.firstSeen,
    lastSeen: delta.lastSeen,
  };
  const row: PartyRow = {
    ...base,
    hosts: union(base.hosts, delta.hosts, MAX_HOSTS),
    requests: base.requests + delta.requests,
    pixels: base.pixels + delta.pixels,
    cookiesSet: base.cookiesSet + delta.cookiesSet,
    kinds: union(base.kinds, delta.kinds),
    dataTypes: union(base.dataTypes, delta.dataTypes),
    loadedBy: preferLoader(base.loadedBy, delta.loadedBy),
    ...mergeEdges(base.tagEdges, delta.edges),
    firstSeen: Math.min(base.firstSeen, delta.firstSeen),
    lastSeen: Math.max(base.lastSeen, delta.lastSeen),
  };
  // A row first created from a finding alone learns its organization later.
  if (info && (!existing || existing.organization === existing.domain)) {
    row.organization = info.organization || row.organization;
    row.category = row.category ?? info.category;
  }
  if (tracker && row.trackerName === null) {
    row.trackerName = tracker.name;
    row.rule = tracker.rule;
    row.list = tracker.list;
    row.category = row.category ?? tracker.category;
  }
  return row;
}

/**
 * Who brought a party in: a named party beats 'page'. The network only ever says 'page' for
 * script-inserted tags (Chrome's initiator is the document), while the page-world tag
 * chain names the inserting vendor, and it may arrive after the first request.
 */
export function preferLoader(a: string | null, b: string | null): string | null {
  return (a === null || a === 'page') && b ? b : a;
}

/** Stored edges plus new ones, each edge once, capped; no field at all while there are none. */
function mergeEdges(
  stored: readonly TagLink[] | undefined,
  added: readonly TagLink[],
): { tagEdges?: TagLink[] } {
  if (added.length === 0) return stored ? { tagEdges: [...stored] } : {};
  const out = [...(stored ?? [])];
  const key = (e: TagLink) => `${e.parent ?? ''}>${e.child}>${e.tag}`;
  const have = new Set(out.map(key));
  for (const e of added) {
    if (out.length >= MAX_TAG_LINKS_PER_PARTY) break;
    if (have.has(key(e))) continue;
    have.add(key(e));
    out.push(e);
  }
  return { tagEdges: out };
}
