// When IndexedDB refuses a write because the disk (or the origin's quota) is full. The
// manifest asks for unlimitedStorage, so this is rare: a nearly full disk, or a browser that
// ignores the permission. Recording must go on, so the writer frees room by applying the
// retention policy with a shorter window (half, then a quarter, ... of the user's setting,
// never less than an hour), retries the batch, and leaves a `storageWarning` meta row that
// the report page can show ("older history was deleted early because storage is full").
import type { LeakwatchDb } from './db.ts';
import { purgeOlderThan } from './retention.ts';

export const META_STORAGE_WARNING = 'storageWarning';
/** Attempts the writer makes on quota errors before it gives a batch up (and logs it). */
export const MAX_QUOTA_ATTEMPTS = 4;
const DAY_MS = 86_400_000;
const MIN_KEEP_MS = 3_600_000;

export interface StorageWarning {
  /** When the quota error happened (ms since epoch). */
  at: number;
  /** History older than this many days was deleted early (fractions: hours). */
  keptDays: number;
  /** Rows deleted to make room. */
  deleted: number;
  message: string;
}

/**
 * True for a quota failure however it surfaces: the DOMException itself, or Dexie's wrapper
 * (an AbortError whose `inner` is the QuotaExceededError), or a `cause` chain.
 */
export function isQuotaError(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const x = e as { name?: unknown; inner?: unknown; cause?: unknown };
    if (x.name === 'QuotaExceededError') return true;
    e = x.inner ?? x.cause;
  }
  return false;
}

/**
 * Frees room after the `attempt`-th quota error (1, 2, ...): deletes recorded history older
 * than retentionDays / 2^attempt and records the warning. Never throws: a database too full
 * even for this leaves the batch to the writer's own give-up path.
 */
export async function relieveQuota(
  db: LeakwatchDb,
  now: number,
  retentionDays: number,
  attempt: number,
  log: (message: string, error?: unknown) => void = () => undefined,
): Promise<StorageWarning> {
  const keepMs = Math.max((retentionDays * DAY_MS) / 2 ** attempt, MIN_KEEP_MS);
  const keptDays = Math.round((keepMs / DAY_MS) * 100) / 100;
  let deleted = 0;
  try {
    const r = await purgeOlderThan(db, now - keepMs);
    deleted = r.pages + r.requests + r.cookies + r.parties + r.findings;
  } catch (error) {
    log('leakwatch: pruning for storage space failed', error);
  }
  const warning: StorageWarning = {
    at: now,
    keptDays,
    deleted,
    message: `Storage is full: history older than ${keptDays < 1 ? `${Math.round(keptDays * 24)} hours` : `${keptDays} days`} was deleted early so recording could go on.`,
  };
  try {
    await db.meta.put({ key: META_STORAGE_WARNING, value: warning });
  } catch (error) {
    log('leakwatch: could not record the storage warning', error);
  }
  return warning;
}

/** The warning the UI shows, or null. */
export async function readStorageWarning(db: LeakwatchDb): Promise<StorageWarning | null> {
  const row = await db.meta.get(META_STORAGE_WARNING);
  const v = row?.value as Partial<StorageWarning> | undefined;
  return v && typeof v.at === 'number' && typeof v.message === 'string'
    ? (v as StorageWarning)
    : null;
}
