// Reads the extension's IndexedDB from one of its own pages with raw IndexedDB (not Dexie):
// what the tests and the demo check is what is really on disk, independent of the code
// that wrote it. Rows come back as the types of the schema in src/storage/db.ts; findings,
// stored packed since schema v2, come back one row per finding (as the queries return them).
import type { Page } from 'playwright-core';
import {
  DB_NAME,
  type CookieRow,
  type FindingChunkRow,
  type FindingRow,
  type MetaRow,
  type PageRow,
  type PartyRow,
  type RequestRow,
} from '../storage/db.ts';
import { unpack } from '../storage/findings.ts';

export interface StoreSnapshot {
  pages: PageRow[];
  requests: RequestRow[];
  cookies: CookieRow[];
  parties: PartyRow[];
  findings: FindingRow[];
  meta: MetaRow[];
}

/** Runs in the extension page: every object store of `name`, or {} if the DB does not exist. */
async function dumpDatabase(name: string): Promise<Record<string, unknown[]>> {
  // Opening a missing database would create an empty one at version 1 and get in the way of
  // the extension's own schema upgrade, so look before opening.
  const known = await indexedDB.databases();
  if (!known.some((d) => d.name === name)) return {};
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
    // A concurrent version change (the worker upgrading) must not be blocked by this reader.
    req.onblocked = () => fail(new Error('IndexedDB open blocked'));
  });
  try {
    const stores = Array.from(db.objectStoreNames);
    if (stores.length === 0) return {};
    const tx = db.transaction(stores, 'readonly');
    const entries = await Promise.all(
      stores.map(
        (store) =>
          new Promise<[string, unknown[]]>((ok, fail) => {
            const req = tx.objectStore(store).getAll();
            req.onsuccess = () => ok([store, req.result as unknown[]]);
            req.onerror = () => fail(req.error);
          }),
      ),
    );
    return Object.fromEntries(entries);
  } finally {
    db.close();
  }
}

/**
 * The findings table's records as one row per finding: v2 chunks unpacked (ids as the
 * queries derive them); a v1 database (before its upgrade) already holds one row each.
 */
export function unpackFindingRecords(records: readonly unknown[]): FindingRow[] {
  return (records as (FindingChunkRow | FindingRow)[]).flatMap((r) =>
    'rows' in r && Array.isArray(r.rows) ? unpack(r) : [r as FindingRow],
  );
}

/** Snapshot of every table; a table the database does not have (yet) reads as empty. */
export async function readStoreInPage(page: Page, dbName = DB_NAME): Promise<StoreSnapshot> {
  const raw = await page.evaluate(dumpDatabase, dbName);
  const table = <T>(name: keyof StoreSnapshot) => (raw[name] ?? []) as T[];
  return {
    pages: table<PageRow>('pages'),
    requests: table<RequestRow>('requests'),
    cookies: table<CookieRow>('cookies'),
    parties: table<PartyRow>('parties'),
    findings: unpackFindingRecords(raw['findings'] ?? []),
    meta: table<MetaRow>('meta'),
  };
}
