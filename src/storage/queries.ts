// Read-side queries for the UI. Pages never write: the background is the single writer.
// Every function here is safe to run inside Dexie's liveQuery (only Dexie reads, no side
// effects), so the popup re-renders when the background commits new rows.
//
// Performance: the popup reads per-page aggregates (`parties`) and never the `requests`
// table, so a site with 10,000 stored requests costs the same as one with ten.
import type { FindingRow, LeakwatchDb, PageRow, PartyRow } from './db.ts';
import { findingsOfPage } from './findings.ts';

/** Drops the fragment: an in-page anchor jump is the same visit. */
function withoutHash(url: string): string {
  const i = url.indexOf('#');
  return i === -1 ? url : url.slice(0, i);
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/**
 * The tab's current visit: the latest live (not imported) page row for `tabId`.
 * When the tab URL is known, the row must match it: the same document first, else the same
 * host (a single-page app that changed its path with pushState is still the same visit).
 * Returns null when nothing matches, e.g. the tab was opened before the extension started.
 */
export async function findVisit(
  db: LeakwatchDb,
  tabId: number,
  tabUrl: string | null,
  /** Accept the latest visit on the same host (a single-page app changed its own URL). */
  sameHost = true,
): Promise<PageRow | null> {
  return pickVisit(await db.pages.where('tabId').equals(tabId).toArray(), tabUrl, sameHost);
}

/** findVisit's choice among the page rows of one tab (shared with first-screen-direct.ts). */
export function pickVisit(
  rows: readonly PageRow[],
  tabUrl: string | null,
  sameHost = true,
): PageRow | null {
  const live = rows.filter((r) => !r.imported).sort((a, b) => b.visitedAt - a.visitedAt);
  if (tabUrl === null) return live[0] ?? null;
  const doc = withoutHash(tabUrl);
  const exact = live.find((r) => withoutHash(r.url) === doc);
  if (exact) return exact;
  const host = hostOf(tabUrl);
  if (host === null || !sameHost) return null;
  // Only the latest visit may match by host: an older visit to the same host, followed by a
  // visit elsewhere, is history, not what the tab shows now.
  const latest = live[0];
  return latest && hostOf(latest.url) === host ? latest : null;
}

/**
 * A party row's id is `${pageId}|${domain}` (./party-merge.ts), so a visit's rows are one
 * range of the primary key, [lower, upper): '}' follows '|', so the range holds exactly the
 * ids that start with `${pageId}|`. Read in one ordered pass, where the pageId index costs a
 * separate lookup of each row by its key.
 */
export function partyIdRange(pageId: string): [lower: string, upper: string] {
  return [`${pageId}|`, `${pageId}}`];
}

/** The rows of the range that are the visit's own (see partiesForPage). */
export function ownParties(rows: readonly PartyRow[], pageId: string): PartyRow[] {
  return rows.filter((r) => r.pageId === pageId);
}

/** The aggregated third (and first) parties of one visit. */
export async function partiesForPage(db: LeakwatchDb, pageId: string): Promise<PartyRow[]> {
  // The pageId check keeps out a row of another visit whose id extends this one's (ours
  // never do; a restored backup's may).
  const [lower, upper] = partyIdRange(pageId);
  const rows = await db.parties.where(':id').between(lower, upper, true, false).toArray();
  return ownParties(rows, pageId);
}

/**
 * Findings of one visit for the given party domains, newest first, at most `limit`.
 * Read only when the user expands a row, so the popup's first render never pays for it.
 */
export async function findingsForParties(
  db: LeakwatchDb,
  pageId: string,
  domains: readonly string[],
  limit = 200,
): Promise<FindingRow[]> {
  const wanted = new Set(domains);
  const rows = (await findingsOfPage(db, pageId)).filter((f) => wanted.has(f.party));
  return rows.sort((a, b) => b.time - a.time).slice(0, limit);
}
