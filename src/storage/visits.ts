// Reads the background needs (the UI's reads live in ./queries.ts).
import type { LeakwatchDb, PartyRow } from './db.ts';

/** A third party (other company) that is a known tracker or sent a pixel. */
export function isTrackingParty(p: PartyRow): boolean {
  return !p.firstParty && !p.sameOrganization && (p.trackerName !== null || p.pixels > 0);
}

/** Distinct tracking parties on one visit (the badge number). */
export function countTrackingParties(db: LeakwatchDb, pageId: string): Promise<number> {
  return db.parties.where('pageId').equals(pageId).filter(isTrackingParty).count();
}

/** Meta key: record private/incognito windows (boolean, default false). */
export const META_RECORD_PRIVATE = 'recordPrivate';

export async function readRecordPrivate(db: LeakwatchDb): Promise<boolean> {
  const row = await db.meta.get(META_RECORD_PRIVATE);
  return row?.value === true;
}
