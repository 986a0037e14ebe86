// The page's half of a backup restore: a quick look at the file (so the user can confirm
// what will replace their data before anything is sent), then the text sent to the
// background in chunks (../../../messaging/report-protocol.ts). The background validates the
// whole backup and is the only writer; this never trusts the file beyond counting its rows.
import type { Send } from '../../../messaging/client.ts';
import { plural } from '../../shared/format.ts';
import { MAX_RESTORE_CHARS, RESTORE_CHUNK_CHARS } from '../../../messaging/report-protocol.ts';

export const BACKUP_TABLES = [
  'pages',
  'requests',
  'cookies',
  'parties',
  'findings',
  'meta',
] as const;
export type BackupTable = (typeof BACKUP_TABLES)[number];

export interface BackupPreview {
  /** The backup's own date (as written in the file, shown as text). */
  createdAt: string;
  rows: Record<BackupTable, number>;
}

/**
 * Rows per table in a backup's text, or an Error saying in words why it is not one. Only a
 * first look: the background checks every row before it restores.
 */
export function previewBackup(text: string): BackupPreview {
  if (text.length > MAX_RESTORE_CHARS) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
    throw new Error(
      `the file is ${mb(text.length)} MB; the largest backup that can be restored is ${mb(MAX_RESTORE_CHARS)} MB`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error('not a Leakwatch backup: the file is not valid JSON');
  }
  const top = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (top['format'] !== 'leakwatch-backup') {
    throw new Error('not a Leakwatch backup (no "format": "leakwatch-backup")');
  }
  const tables = (
    typeof top['tables'] === 'object' && top['tables'] !== null ? top['tables'] : {}
  ) as Record<string, unknown>;
  const rows = {} as Record<BackupTable, number>;
  for (const t of BACKUP_TABLES) {
    const list = tables[t];
    rows[t] = Array.isArray(list) ? list.length : 0;
  }
  return { createdAt: typeof top['createdAt'] === 'string' ? top['createdAt'] : '', rows };
}

/**
 * Sends a backup's text in order, `chunkChars` at a time, then commits. On any failure the
 * upload is aborted (best effort: the background also drops idle uploads) and the error is
 * rethrown; nothing is written unless the commit succeeds.
 */
export async function sendRestore(
  send: Send,
  text: string,
  opts: { chunkChars?: number; onProgress?: (sent: number, total: number) => void } = {},
): Promise<{ rows: number }> {
  const size = Math.max(1, Math.min(opts.chunkChars ?? RESTORE_CHUNK_CHARS, RESTORE_CHUNK_CHARS));
  const { restoreId } = await send('restoreBegin', { chars: text.length });
  try {
    for (let index = 0, at = 0; at < text.length; index += 1) {
      let end = Math.min(at + size, text.length);
      // Never split a surrogate pair: a lone half does not survive message serialization.
      if (end < text.length && end - at > 1 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
      await send('restoreChunk', { restoreId, index, text: text.slice(at, end) });
      at = end;
      opts.onProgress?.(at, text.length);
    }
    return await send('restoreCommit', { restoreId });
  } catch (error) {
    await send('restoreAbort', { restoreId }).catch(() => undefined);
    throw error;
  }
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** "3 visits, 1,200 requests, …, 4 settings and lists": a backup's or the store's rows. */
export function rowsText(rows: Record<BackupTable, number>): string {
  const n = (k: BackupTable) => rows[k];
  return [
    plural(n('pages'), 'visit'),
    plural(n('requests'), 'request'),
    plural(n('cookies'), 'cookie record'),
    plural(n('parties'), 'party record'),
    plural(n('findings'), 'finding'),
    plural(n('meta'), 'setting or list', 'settings and lists'),
  ].join(', ');
}
