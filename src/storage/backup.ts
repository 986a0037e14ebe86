// Backup and restore of the whole database as one JSON document with a format version.
// The page builds the backup (reads are allowed anywhere); a restore goes to the background
// (the single writer), which validates every row before it replaces anything: a backup file
// is user-supplied and possibly crafted, so it is parsed like any hostile input.
import * as v from 'valibot';
import { DATA_TYPES, FINDING_KINDS } from '../core/model.ts';
import { oneLine } from '../core/one-line.ts';
import { allTables, type LeakwatchDb, type MetaRow } from './db.ts';
import type { CookieRow, FindingRow, PageRow, PartyRow, RequestRow } from './db.ts';
import { addFindings, allFindings } from './findings.ts';
import { partyId } from './party-merge.ts';

export const BACKUP_FORMAT = 'leakwatch-backup';
/**
 * Bump when a row shape changes incompatibly; restore refuses versions it does not know.
 * The backup holds the logical rows, not the storage layout: schema v2 packed findings into
 * chunks but a backup still lists one finding per row, so a v1 backup restores unchanged
 * (restore repacks them) and this stays 1.
 */
export const BACKUP_VERSION = 1;

export interface Backup {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  tables: {
    pages: PageRow[];
    requests: RequestRow[];
    cookies: CookieRow[];
    parties: PartyRow[];
    findings: FindingRow[];
    meta: MetaRow[];
  };
}

export async function createBackup(db: LeakwatchDb, now = Date.now()): Promise<Backup> {
  return db.transaction(
    'r',
    [db.pages, db.requests, db.cookies, db.parties, db.findings, db.meta],
    async () => ({
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date(now).toISOString(),
      tables: {
        pages: await db.pages.toArray(),
        requests: await db.requests.toArray(),
        cookies: await db.cookies.toArray(),
        parties: await db.parties.toArray(),
        // Without the query-time ids: they derive from chunk keys, which a restore renews.
        findings: (await allFindings(db)).map(({ id: _id, ...f }) => f),
        meta: await db.meta.toArray(),
      },
    }),
  );
}

const str = v.pipe(v.string(), v.maxLength(20_000));
const nullableStr = v.nullable(str);
const num = v.pipe(v.number(), v.finite());
const kind = v.picklist(FINDING_KINDS);
const dataType = v.picklist(DATA_TYPES);

const pageSchema = v.object({
  id: str,
  tabId: num,
  url: str,
  site: str,
  visitedAt: num,
  imported: v.boolean(),
});
const requestSchema = v.object({
  id: str,
  pageId: str,
  site: str,
  url: str,
  host: str,
  party: str,
  type: str,
  method: str,
  initiator: nullableStr,
  status: v.nullable(num),
  firstParty: v.boolean(),
  tracker: nullableStr,
  time: num,
});
const cookieSchema = v.object({
  id: str,
  pageId: str,
  site: str,
  name: str,
  domain: str,
  path: str,
  party: str,
  firstParty: v.boolean(),
  setBy: v.picklist(['header', 'script', 'api']),
  requestUrl: nullableStr,
  scriptUrl: nullableStr,
  expires: v.nullable(num),
  secure: v.boolean(),
  httpOnly: v.boolean(),
  sameSite: str,
  identifierLike: v.boolean(),
  valueLength: num,
  entropyBits: num,
  time: num,
});
const partySchema = v.object({
  id: str,
  pageId: str,
  site: str,
  domain: str,
  hosts: v.array(str),
  organization: str,
  category: nullableStr,
  firstParty: v.boolean(),
  sameOrganization: v.boolean(),
  trackerName: nullableStr,
  rule: nullableStr,
  list: nullableStr,
  authorized: v.nullable(v.boolean()),
  requests: num,
  pixels: num,
  cookiesSet: num,
  kinds: v.array(kind),
  dataTypes: v.array(dataType),
  loadedBy: nullableStr,
  firstSeen: num,
  lastSeen: num,
});
const evidenceSchema = v.object({
  rule: str,
  location: v.optional(str),
  key: v.optional(str),
  preview: v.optional(str),
  cookieName: v.optional(str),
  scriptUrl: v.optional(str),
  details: v.optional(v.record(str, v.union([v.string(), v.number(), v.boolean()]))),
});
const findingSchema = v.object({
  id: v.optional(num),
  kind,
  pageId: str,
  page: str,
  site: str,
  party: str,
  host: str,
  requestUrl: nullableStr,
  dataTypes: v.array(dataType),
  encoding: v.nullable(v.picklist(['plain', 'url', 'base64', 'md5', 'sha1', 'sha256', 'sha512'])),
  explanation: str,
  evidence: evidenceSchema,
  time: num,
});
const metaSchema = v.object({ key: str, value: v.unknown() });

const backupSchema = v.object({
  format: v.literal(BACKUP_FORMAT),
  version: v.number(),
  createdAt: v.string(),
  tables: v.object({
    pages: v.array(pageSchema),
    requests: v.array(requestSchema),
    cookies: v.array(cookieSchema),
    parties: v.array(partySchema),
    findings: v.array(findingSchema),
    meta: v.array(metaSchema),
  }),
});

export class BackupError extends Error {}

/** Parses and validates backup text; throws BackupError with a one-line reason. */
export function parseBackup(text: string): Backup {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new BackupError('not a Leakwatch backup: the file is not valid JSON');
  }
  const head = data as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== BACKUP_FORMAT) {
    throw new BackupError('not a Leakwatch backup (no "format": "leakwatch-backup")');
  }
  if (head.version !== BACKUP_VERSION) {
    throw new BackupError(
      // String() of a file's deeply nested array recurses and overflows: name simple values only.
      `backup version ${typeof head.version === 'number' || typeof head.version === 'string' ? oneLine(String(head.version), 40) : `(${typeof head.version})`} is not supported (this version reads ${BACKUP_VERSION})`,
    );
  }
  const parsed = v.safeParse(backupSchema, data);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = issue ? (v.getDotPath(issue) ?? '') : '';
    // valibot quotes the received value as is: keep the message on one line.
    throw new BackupError(
      oneLine(`invalid backup at ${path || 'the top level'}: ${issue?.message ?? ''}`),
    );
  }
  // The schema checked every field the rows have; the types are the stored row types.
  const backup = parsed.output as unknown as Backup;
  // The writer merges into, and the popup reads a visit's parties as a range of, ids made
  // of the page and the domain (./party-merge.ts, ./queries.ts partiesForPage).
  const bad = backup.tables.parties.findIndex((p) => p.id !== partyId(p.pageId, p.domain));
  if (bad !== -1) {
    throw new BackupError(
      `invalid backup at tables.parties.${bad}.id: a party row's id must be its pageId and domain joined by "|"`,
    );
  }
  return backup;
}

/** Replaces the whole database with the backup's rows, in one transaction. */
export async function restoreBackup(db: LeakwatchDb, backup: Backup): Promise<number> {
  const t = backup.tables;
  const tables = allTables(db);
  await db.transaction('rw', tables, async () => {
    await Promise.all(tables.map((table) => table.clear()));
    await db.pages.bulkPut(t.pages);
    await db.requests.bulkPut(t.requests);
    await db.cookies.bulkPut(t.cookies);
    await db.parties.bulkPut(t.parties);
    // Repacked into chunks; the backup's finding ids are not kept (ids derive from chunks).
    await addFindings(db, t.findings);
    await db.meta.bulkPut(t.meta);
  });
  return Object.values(t).reduce((n, rows) => n + rows.length, 0);
}
