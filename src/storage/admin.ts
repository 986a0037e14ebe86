// Deletions the user asks for from the report page. Background only (the single writer);
// every row of the site goes in one transaction, so no view ever shows half a site.
import type { LeakwatchDb } from './db.ts';
import { findingCount } from './findings.ts';

export interface DeleteResult {
  pages: number;
  requests: number;
  cookies: number;
  parties: number;
  findings: number;
}

const dataTables = (db: LeakwatchDb) => [
  db.pages,
  db.requests,
  db.cookies,
  db.parties,
  db.findings,
  db.findingCounts,
];

/** The site's chunks and its count go together; returns how many findings went. */
async function deleteSiteFindings(db: LeakwatchDb, site: string): Promise<number> {
  const n = await findingCount(db, site);
  await db.findings.where('site').equals(site).delete();
  await db.findingCounts.delete(site);
  return n;
}

/** Deletes every row recorded on `site` (a registrable domain). */
export function deleteSite(db: LeakwatchDb, site: string): Promise<DeleteResult> {
  return db.transaction('rw', dataTables(db), async () => ({
    pages: await db.pages.where('site').equals(site).delete(),
    requests: await db.requests.where('site').equals(site).delete(),
    cookies: await db.cookies.where('site').equals(site).delete(),
    parties: await db.parties.where('site').equals(site).delete(),
    findings: await deleteSiteFindings(db, site),
  }));
}

/**
 * Deletes all recorded browsing. Settings (the `meta` table) stay: forgetting the history
 * should not silently switch private-window recording or retention back to defaults.
 */
export async function deleteAll(db: LeakwatchDb): Promise<void> {
  await db.transaction('rw', dataTables(db), async () => {
    await Promise.all(dataTables(db).map((t) => t.clear()));
  });
}
