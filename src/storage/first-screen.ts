// The popup's first screen in one read, run live by the popup (liveQuery): the tab's visit,
// its parties and what is new since the site's baseline. The visit's party rows are read
// once, for the list and for the baseline's news (the baseline check with its own second
// read of 120 rows took 4-15 ms, timed in the background's worker).
import type { PartySummary } from '../report/baseline.ts';
import type { LeakwatchDb, PageRow, PartyRow } from './db.ts';
import { findVisit, partiesForPage } from './queries.ts';
import { partiesNewTo, readBaseline } from './site-baseline.ts';

export interface FirstScreen {
  visit: PageRow;
  parties: PartyRow[];
  /** Parties on this visit that the site's baseline does not have ([] without a baseline). */
  newParties: PartySummary[];
}

/** null when the tab has no recorded visit for `url`. */
export async function readFirstScreen(
  db: LeakwatchDb,
  tabId: number,
  url: string | null,
): Promise<FirstScreen | null> {
  // One read transaction for the three reads: each transaction of its own costs a round
  // trip to the browser process. With this and the rows read once, a fresh popup's read
  // takes 17-22 ms after the database opens instead of 25-45 (bench/README.md, popup row).
  return db.transaction('r', [db.pages, db.parties, db.meta], async () => {
    const visit = await findVisit(db, tabId, url);
    if (visit === null) return null;
    const [parties, baseline] = await Promise.all([
      partiesForPage(db, visit.id),
      readBaseline(db, visit.site),
    ]);
    return { visit, parties, newParties: baseline ? partiesNewTo(baseline, parties) : [] };
  });
}
