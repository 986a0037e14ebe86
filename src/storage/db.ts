// The Dexie schema: one file, append-only version history. Never edit a published
// version(n).stores(...) line; add version(n+1) with an upgrade() instead.
// The background is the only writer; pages (popup, report) read with liveQuery.
import Dexie, { type EntityTable } from 'dexie';
import type { TagLink } from '../core/pageworld/tag-chain.ts';
import type { DataType, Finding, FindingKind, ResourceType } from '../core/model.ts';
import { migrateFindingsToChunks } from './findings.ts';
import { DB_NAME } from './db-name.ts';

export { DB_NAME };

export interface PageRow {
  /** `${tabId}-${visitedAt}-${random}` for live visits, `har-...` for imports. */
  id: string;
  tabId: number;
  url: string;
  site: string;
  visitedAt: number;
  /** Set when the visit came from a HAR file or an offline import. */
  imported: boolean;
}

export interface RequestRow {
  id: string;
  pageId: string;
  site: string;
  url: string;
  host: string;
  /** Registrable domain of the host. */
  party: string;
  type: ResourceType;
  method: string;
  initiator: string | null;
  status: number | null;
  firstParty: boolean;
  /** Tracker pattern key when a known tracker, else null. */
  tracker: string | null;
  time: number;
  /** Recovered from the page's Resource Timing after a worker stop: no headers were seen. */
  recovered?: true;
}

export interface CookieRow {
  /** `${pageId}|${domain}|${name}|${path}`: one row per cookie per visit, merged. */
  id: string;
  pageId: string;
  site: string;
  name: string;
  domain: string;
  path: string;
  party: string;
  firstParty: boolean;
  /** How it was set: a response header, a script (document.cookie), or unknown (cookies API). */
  setBy: 'header' | 'script' | 'api';
  /** Response URL for header cookies; script URL when the page-world hook saw it. */
  requestUrl: string | null;
  scriptUrl: string | null;
  expires: number | null;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string;
  identifierLike: boolean;
  valueLength: number;
  /** Entropy estimate in bits (never the value itself). */
  entropyBits: number;
  time: number;
}

export interface PartyRow {
  /** `${pageId}|${domain}`. */
  id: string;
  pageId: string;
  site: string;
  domain: string;
  hosts: string[];
  organization: string;
  category: string | null;
  firstParty: boolean;
  sameOrganization: boolean;
  /** Tracker product name and the reason it matched, when a known tracker. */
  trackerName: string | null;
  rule: string | null;
  list: string | null;
  /** null until the publisher keeps an authorized list for the site. */
  authorized: boolean | null;
  requests: number;
  pixels: number;
  cookiesSet: number;
  kinds: FindingKind[];
  dataTypes: DataType[];
  /** Who brought it in: the party (domain) of the initiator, or 'page'. */
  loadedBy: string | null;
  /**
   * Which script loaded which of this party's scripts, frames and pixels (the page-world tag
   * chain; at most MAX_TAG_LINKS_PER_PARTY). Absent on rows written before it existed.
   */
  tagEdges?: TagLink[];
  firstSeen: number;
  lastSeen: number;
}

/**
 * A finding as the queries return it: the core Finding plus an id. Since schema v2 findings
 * are stored packed (FindingChunkRow); the id is derived from the chunk's key and the
 * finding's place in it (./findings.ts), unique across the database.
 */
export interface FindingRow extends Finding {
  id?: number;
}

/**
 * Schema v2: findings as stored, many per record. The writer adds one chunk per site per
 * flush (split at 1,000); IndexedDB's cost is mostly per record (and per index entry), so
 * hundreds of findings in one record cost about what one finding did in v1. The fields outside `rows`
 * exist only to be indexed: the queries' filters (visit, kind, age) find the chunks that
 * can hold a match, then read the rows. `party` is deliberately not indexed: a chunk
 * names up to every party of a busy site, and ~150 index entries per record halved the
 * write rate (measured: 1,000-finding chunks of 150 parties, 20-30k/s with a `*parties`
 * index against 30-56k/s without); a party's findings are read from its site's chunks,
 * newest first, stopping at the query's limit.
 */
export interface FindingChunkRow {
  /** Auto-increment key. */
  id?: number;
  site: string;
  /** Distinct pageIds of `rows` (multiEntry index). */
  pageIds: string[];
  /** Distinct kinds of `rows` (multiEntry index). */
  kinds: FindingKind[];
  /** Oldest `time` in `rows` (retention finds chunks holding old findings by it). */
  time: number;
  rows: Finding[];
}

/** Stored findings per site, kept with the chunks so counting never reads them (v2). */
export interface FindingCountRow {
  site: string;
  n: number;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export type LeakwatchDb = Dexie & {
  pages: EntityTable<PageRow, 'id'>;
  requests: EntityTable<RequestRow, 'id'>;
  cookies: EntityTable<CookieRow, 'id'>;
  parties: EntityTable<PartyRow, 'id'>;
  findings: EntityTable<FindingChunkRow, 'id'>;
  findingCounts: EntityTable<FindingCountRow, 'site'>;
  meta: EntityTable<MetaRow, 'key'>;
};

/** Opens (or creates) the database. `name` is for tests that want isolation. */
export function openDb(name = DB_NAME): LeakwatchDb {
  // 'relaxed': a commit returns once the data is in the OS's hands, not after an fsync. An
  // OS crash or power cut can lose the last batches; a browser or worker crash cannot.
  // The rows are re-observable telemetry, and fsync per batch is the writer's fixed cost.
  const db = new Dexie(name, { chromeTransactionDurability: 'relaxed' }) as LeakwatchDb;
  db.version(1).stores({
    pages: 'id, site, visitedAt, tabId',
    requests: 'id, pageId, site, party, time',
    cookies: 'id, pageId, site, party, name, time',
    parties: 'id, pageId, site, domain, lastSeen',
    findings: '++id, pageId, site, party, kind, time',
    meta: 'key',
  });
  // v2: findings packed in chunks (same table and primary key, new indexes) plus per-site
  // counts. The upgrade repacks every v1 finding row; see ./findings.ts. Indexes no query
  // used are dropped (requests.party, cookies.party, cookies.name, parties.domain): each
  // costs an entry per row written, and parties are rewritten on every flush.
  db.version(2)
    .stores({
      requests: 'id, pageId, site, time',
      cookies: 'id, pageId, site, time',
      parties: 'id, pageId, site, lastSeen',
      findings: '++id, site, *pageIds, *kinds, time',
      findingCounts: 'site',
    })
    .upgrade(migrateFindingsToChunks);
  return db;
}

/** Every table, in one list: for the transactions that touch all of them (flush, restore). */
export function allTables(db: LeakwatchDb) {
  return [
    db.pages,
    db.requests,
    db.cookies,
    db.parties,
    db.findings,
    db.findingCounts,
    db.meta,
  ] as const;
}
