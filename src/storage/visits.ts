// Reads the background needs (the UI's reads live in ./queries.ts).
import { countTrackingOrganizations } from '../core/tracking.ts';
import type { LeakwatchDb } from './db.ts';

/** Companies collecting on one visit (the badge number; the popup counts the same way). */
export async function countTrackingParties(db: LeakwatchDb, pageId: string): Promise<number> {
  return countTrackingOrganizations(await db.parties.where('pageId').equals(pageId).toArray());
}

/** Meta key: record private/incognito windows (boolean, default false). */
export const META_RECORD_PRIVATE = 'recordPrivate';

export async function readRecordPrivate(db: LeakwatchDb): Promise<boolean> {
  const row = await db.meta.get(META_RECORD_PRIVATE);
  return row?.value === true;
}
