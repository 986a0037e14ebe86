// User settings kept in the `meta` table. The background reads them at start-up and applies
// changes live (messages `updateSettings`); pages only read them. Defaults apply when a row
// is missing or holds something unexpected (a hand-edited or older backup).
import type { LeakwatchDb } from './db.ts';
import { DEFAULT_RETENTION_DAYS } from './retention.ts';
import { META_RECORD_PRIVATE } from './visits.ts';

export const META_RETENTION_DAYS = 'retentionDays';
export const META_PAUSED = 'paused';
export const SETTINGS_KEYS = [META_RETENTION_DAYS, META_PAUSED, META_RECORD_PRIVATE] as const;

/** Retention bounds: at least a day, at most ten years. */
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 3650;

export interface Settings {
  retentionDays: number;
  /** Recording paused: the background drops every event while true. */
  paused: boolean;
  /** Record private/incognito windows too (opt-in). */
  recordPrivate: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  retentionDays: DEFAULT_RETENTION_DAYS,
  paused: false,
  recordPrivate: false,
};

const validDays = (v: unknown): v is number =>
  typeof v === 'number' &&
  Number.isInteger(v) &&
  v >= MIN_RETENTION_DAYS &&
  v <= MAX_RETENTION_DAYS;

export async function readSettings(db: LeakwatchDb): Promise<Settings> {
  const rows = await db.meta.bulkGet([...SETTINGS_KEYS]);
  const [days, paused, priv] = rows.map((r) => r?.value);
  return {
    retentionDays: validDays(days) ? days : DEFAULT_SETTINGS.retentionDays,
    paused: paused === true,
    recordPrivate: priv === true,
  };
}

/** Writes the given settings (background only); returns the settings now in force. */
export async function writeSettings(db: LeakwatchDb, patch: Partial<Settings>): Promise<Settings> {
  const rows: { key: string; value: unknown }[] = [];
  if (patch.retentionDays !== undefined) {
    if (!validDays(patch.retentionDays)) throw new Error('retention must be 1 to 3650 days');
    rows.push({ key: META_RETENTION_DAYS, value: patch.retentionDays });
  }
  if (patch.paused !== undefined) rows.push({ key: META_PAUSED, value: patch.paused });
  if (patch.recordPrivate !== undefined) {
    rows.push({ key: META_RECORD_PRIVATE, value: patch.recordPrivate });
  }
  if (rows.length) await db.meta.bulkPut(rows);
  return readSettings(db);
}
