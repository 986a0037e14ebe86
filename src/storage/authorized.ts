// The publisher's authorized list per site, kept as one meta row `authorized:<site>` →
// {parties, updatedAt}. Party rows carry the verdict (`authorized` true/false, null when the
// site has no list): the writer marks them on every flush, and a list change re-marks the
// site's stored rows in the same transaction, so the popup and report read it directly.
// The matching rule is the CLI's (../report/authorized.ts): one rule for both.
import { isAuthorized, parseAuthorizedList, type AuthorizedList } from '../report/authorized.ts';
import type { LeakwatchDb, PartyRow } from './db.ts';

export const META_AUTHORIZED_PREFIX = 'authorized:';
/** A list longer than this is refused (ads.txt files of large publishers stay well under). */
export const MAX_AUTHORIZED_PARTIES = 5_000;
export const MAX_AUTHORIZED_ENTRY_CHARS = 256;

export interface AuthorizedRecord {
  /** Registrable domains (or host names) and organization names, as the user gave them. */
  parties: string[];
  updatedAt: number;
}

export const authorizedKey = (site: string): string => `${META_AUTHORIZED_PREFIX}${site}`;

function validRecord(value: unknown): AuthorizedRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const { parties, updatedAt } = value as Record<string, unknown>;
  if (!Array.isArray(parties) || !parties.every((p) => typeof p === 'string')) return null;
  return { parties: parties as string[], updatedAt: typeof updatedAt === 'number' ? updatedAt : 0 };
}

/** The matcher of a stored list (entries are strings, so parsing cannot fail). */
export function listOf(record: AuthorizedRecord): AuthorizedList {
  return parseAuthorizedList(JSON.stringify(record.parties));
}

/** The verdict for one party row: null without a list. */
export function verdict(row: PartyRow, list: AuthorizedList | null): boolean | null {
  return list === null ? null : isAuthorized(row, list);
}

export async function readAuthorized(
  db: LeakwatchDb,
  site: string,
): Promise<AuthorizedRecord | null> {
  return validRecord((await db.meta.get(authorizedKey(site)))?.value);
}

/** The lists of several sites at once (the writer's per-flush read). */
export async function readAuthorizedLists(
  db: LeakwatchDb,
  sites: readonly string[],
): Promise<Map<string, AuthorizedList>> {
  const rows = await db.meta.bulkGet(sites.map(authorizedKey));
  const out = new Map<string, AuthorizedList>();
  sites.forEach((site, i) => {
    const record = validRecord(rows[i]?.value);
    if (record) out.set(site, listOf(record));
  });
  return out;
}

/** Trims, drops blanks and case-insensitive duplicates, keeping the first spelling. */
export function normalizeParties(parties: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of parties) {
    const p = raw.trim();
    const key = p.toLowerCase();
    if (p === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/**
 * Replaces a site's list (null removes it; an empty list is a list that authorizes no third
 * party) and re-marks the site's stored party rows, in one transaction. Returns the list
 * now in force (null: none).
 */
export async function writeAuthorized(
  db: LeakwatchDb,
  site: string,
  parties: readonly string[] | null,
  now = Date.now(),
): Promise<AuthorizedRecord | null> {
  const clean = parties === null ? [] : normalizeParties(parties);
  if (clean.length > MAX_AUTHORIZED_PARTIES) {
    throw new Error(`an authorized list holds at most ${MAX_AUTHORIZED_PARTIES} parties`);
  }
  const record = parties === null ? null : { parties: clean, updatedAt: now };
  const list = record ? listOf(record) : null;
  await db.transaction('rw', [db.meta, db.parties], async () => {
    if (record) await db.meta.put({ key: authorizedKey(site), value: record });
    else await db.meta.delete(authorizedKey(site));
    await db.parties
      .where('site')
      .equals(site)
      .modify((row) => {
        row.authorized = verdict(row, list);
      });
  });
  return record;
}

/** Edits a site's list with `change` (read and write in one transaction). */
export async function editAuthorized(
  db: LeakwatchDb,
  site: string,
  change: (parties: string[]) => string[],
  now = Date.now(),
): Promise<AuthorizedRecord | null> {
  return db.transaction('rw', [db.meta, db.parties], async () => {
    const current = (await readAuthorized(db, site))?.parties ?? [];
    return writeAuthorized(db, site, change(current), now);
  });
}

export const addParty = (parties: string[], party: string): string[] => [...parties, party];

export const removeParty = (parties: string[], party: string): string[] =>
  parties.filter((p) => p.trim().toLowerCase() !== party.trim().toLowerCase());
