// Retention: the database is a record of someone's browsing, so it forgets. A page visit
// older than the cutoff goes with every row that belongs to it; rows whose own time is
// older go too (a long-lived page keeps only its recent traffic).
//
// Imported HAR files (pages marked `imported`, ids `har-...`) are not browsing history: the
// user added them on purpose and their timestamps are the capture's, often years old, so
// retention leaves them until the user deletes them (report page, "delete a site").
//
// Scheduling (see background/index.ts): at worker start-up and after every ~1000 flushes.
// `browser.alarms` would need the "alarms" permission only for this; a worker that never
// starts or flushes writes nothing, so there is nothing new to age out in between.
import type { LeakwatchDb } from './db.ts';
import { removeFindings } from './findings.ts';

export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

export interface PurgeResult {
  pages: number;
  requests: number;
  cookies: number;
  parties: number;
  findings: number;
}

/** Rows of imported pages: see the note on HAR imports above. */
const recorded = (r: { pageId: string }): boolean => !r.pageId.startsWith('har-');

/** Deletes pages visited before `cutoffMs` and every row of theirs or older than it. */
export async function purgeOlderThan(db: LeakwatchDb, cutoffMs: number): Promise<PurgeResult> {
  const tables = [db.pages, db.requests, db.cookies, db.parties, db.findings, db.findingCounts];
  return db.transaction('rw', tables, async () => {
    const old = () =>
      db.pages
        .where('visitedAt')
        .below(cutoffMs)
        .filter((p) => !p.imported);
    const pageIds = (await old().primaryKeys()) as string[];
    let requests = 0;
    let cookies = 0;
    let parties = 0;
    let findings = 0;
    if (pageIds.length) {
      requests += await db.requests.where('pageId').anyOf(pageIds).delete();
      cookies += await db.cookies.where('pageId').anyOf(pageIds).delete();
      parties += await db.parties.where('pageId').anyOf(pageIds).delete();
      const gone = new Set(pageIds);
      const chunks = await db.findings.where('pageIds').anyOf(pageIds).distinct().toArray();
      findings += await removeFindings(db, chunks, (f) => gone.has(f.pageId));
    }
    requests += await db.requests.where('time').below(cutoffMs).filter(recorded).delete();
    cookies += await db.cookies.where('time').below(cutoffMs).filter(recorded).delete();
    parties += await db.parties.where('lastSeen').below(cutoffMs).filter(recorded).delete();
    // Chunks are indexed by their oldest finding: those below the cutoff hold some to drop.
    const aged = await db.findings.where('time').below(cutoffMs).toArray();
    findings += await removeFindings(db, aged, (f) => f.time < cutoffMs && recorded(f));
    const pages = await old().delete();
    return { pages, requests, cookies, parties, findings };
  });
}

/** Keeps the last `days` days (default 30) as of `now`. */
export function applyRetention(
  db: LeakwatchDb,
  now: number,
  days = DEFAULT_RETENTION_DAYS,
): Promise<PurgeResult> {
  return purgeOlderThan(db, now - days * DAY_MS);
}
