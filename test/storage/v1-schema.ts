// The v1 schema exactly as src/storage/db.ts declared it at commit fecd1db, frozen here so
// the migration tests can create a database the way a v1 install did. Never edit.
import Dexie from 'dexie';

export const V1_STORES = {
  pages: 'id, site, visitedAt, tabId',
  requests: 'id, pageId, site, party, time',
  cookies: 'id, pageId, site, party, name, time',
  parties: 'id, pageId, site, domain, lastSeen',
  findings: '++id, pageId, site, party, kind, time',
  meta: 'key',
} as const;

/** A Dexie handle on `name` that knows only version 1 (what a v1 install opened). */
export function openV1Db(name: string): Dexie {
  const db = new Dexie(name, { chromeTransactionDurability: 'relaxed' });
  db.version(1).stores(V1_STORES);
  return db;
}
