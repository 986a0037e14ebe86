// Reads the background needs (the UI's reads live in ./queries.ts).
import { countTrackingOrganizations } from '../core/tracking.ts';
import type { LeakwatchDb } from './db.ts';

export interface BadgeCount {
  /** Companies collecting on the visit (the popup counts the same way). */
  count: number;
  /** A third party not on the site's authorized list is present (only with a list). */
  unauthorized: boolean;
}

/** The badge's facts for one visit: the number, and whether to flag uninvited parties. */
export async function countTrackingParties(db: LeakwatchDb, pageId: string): Promise<BadgeCount> {
  const rows = await db.parties.where('pageId').equals(pageId).toArray();
  return {
    count: countTrackingOrganizations(rows),
    unauthorized: rows.some((r) => r.authorized === false),
  };
}

/** Meta key: record private/incognito windows (boolean, default false). */
export const META_RECORD_PRIVATE = 'recordPrivate';

export async function readRecordPrivate(db: LeakwatchDb): Promise<boolean> {
  const row = await db.meta.get(META_RECORD_PRIVATE);
  return row?.value === true;
}
