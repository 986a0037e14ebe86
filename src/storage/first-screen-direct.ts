// The popup's first screen read with IndexedDB itself, before Dexie is loaded: the same three
// reads and the same choices as first-screen.ts (pickVisit, partyIdRange, ownParties,
// validRecord and partiesNewTo are shared), in one read-only transaction. It keeps Dexie's
// evaluation (7-35 ms, median 11, of a fresh page's main thread in Chromium here) and its
// 98 KB off the way to the first rows. What that saves is within this machine's noise:
// against the same popup with Dexie loaded up front, -3, +3 and -10 ms (median of paired
// differences, 31 alternating openings each, 2026-12-06; docs/performance.md, Popup).
//
// Never creates or upgrades the database: a missing one is answered `undefined` (the caller
// falls back to the live query). The caller closes the connection after the read, and it
// closes itself whenever the background asks for a version change.
import type { PageRow, PartyRow } from './db.ts';
import { DB_NAME } from './db-name.ts';
import type { FirstScreen } from './first-screen.ts';
import { ownParties, partyIdRange, pickVisit } from './queries.ts';
import { baselineKey, partiesNewTo, validRecord } from './site-baseline.ts';

/**
 * Opens the database at its current version for readFirstScreenDirect, or null when that
 * cannot be done (no database yet, IndexedDB refused). The caller closes it.
 */
export async function openDirect(
  factory: IDBFactory = indexedDB,
  name: string = DB_NAME,
): Promise<IDBDatabase | null> {
  try {
    return await openExisting(factory, name);
  } catch {
    return null;
  }
}

/**
 * The first screen as readFirstScreen would answer it, or undefined when it could not be read
 * here (no database, another schema, any error): the caller then waits for the live query.
 */
export async function readFirstScreenDirect(
  db: IDBDatabase | null,
  tabId: number,
  url: string | null,
): Promise<FirstScreen | null | undefined> {
  if (db === null) return undefined;
  try {
    const tx = db.transaction(['pages', 'parties', 'meta'], 'readonly');
    const pages = (await request(
      tx.objectStore('pages').index('tabId').getAll(tabId),
    )) as PageRow[];
    const visit = pickVisit(pages, url);
    if (visit === null) return null;
    const [lower, upper] = partyIdRange(visit.id);
    const [rows, meta] = await Promise.all([
      request(tx.objectStore('parties').getAll(IDBKeyRange.bound(lower, upper, false, true))),
      request(tx.objectStore('meta').get(baselineKey(visit.site))),
    ]);
    const parties = ownParties(rows as PartyRow[], visit.id);
    const baseline = validRecord((meta as { value?: unknown } | undefined)?.value);
    return { visit, parties, newParties: baseline ? partiesNewTo(baseline, parties) : [] };
  } catch {
    return undefined;
  }
}

/** Opens the database at its current version; fails, creating nothing, when it does not exist. */
function openExisting(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = factory.open(name);
    // Only a database that does not exist yet is "upgraded" by an open without a version:
    // abort, so that the background creates it with its schema.
    req.onupgradeneeded = () => req.transaction?.abort();
    req.onsuccess = () => {
      const db = req.result;
      db.onversionchange = () => db.close();
      resolve(db);
    };
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    req.onblocked = () => reject(new Error('IndexedDB open blocked'));
  });
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}
