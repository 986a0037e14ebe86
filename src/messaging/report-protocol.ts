// The report page's commands (issue 6), merged into ./protocol.ts. They change stored data,
// so they go to the background, the single writer; the report page reads with liveQuery
// like the popup. Senders are checked by ./server.ts (our own extension pages only) and
// every request is validated by the schemas below before a handler sees it.
import * as v from 'valibot';
import type { DeleteResult } from '../storage/admin.ts';
import type { ImportResult } from '../storage/har-import.ts';
import { MAX_IMPORT_CHARS } from '../storage/limits.ts';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, type Settings } from '../storage/settings.ts';
import {
  MAX_AUTHORIZED_ENTRY_CHARS,
  MAX_AUTHORIZED_PARTIES,
  type AuthorizedRecord,
} from '../storage/authorized.ts';
import type { BaselineRecord } from '../storage/site-baseline.ts';

export interface ReportInfo {
  /** The extension's version (report.json `generator.version`). */
  generatorVersion: string;
  trackerData: { source: string; version: string };
}

export interface ReportProtocol {
  /** Analyse a HAR file's text with the core analyzer and store it as imported pages. */
  importHar: { request: { name: string; text: string }; response: ImportResult };
  /** Delete every row recorded on one site. */
  deleteSite: { request: { site: string }; response: DeleteResult };
  /** Delete all recorded browsing (settings stay). */
  deleteAll: { request: Record<string, never>; response: { deleted: true } };
  /** Change settings; applied at once by the background. Answers the settings in force. */
  updateSettings: { request: Partial<Settings>; response: Settings };
  /**
   * Replace the whole database with a backup (validated, versioned) sent in one message: only
   * for text under MAX_IMPORT_CHARS. The report page uses the chunked restore below.
   */
  restoreBackup: { request: { text: string }; response: { rows: number } };
  /**
   * Chunked restore, for backups of any size up to MAX_RESTORE_CHARS: begin with the total
   * length, send the text in order in chunks of at most RESTORE_CHUNK_CHARS, then commit.
   * Nothing is written before commit, and commit validates the whole backup before it
   * replaces anything; abort (or a restore left idle) drops what was received.
   */
  restoreBegin: { request: { chars: number }; response: { restoreId: string } };
  restoreChunk: {
    request: { restoreId: string; index: number; text: string };
    response: { received: number };
  };
  restoreCommit: { request: { restoreId: string }; response: { rows: number } };
  restoreAbort: { request: { restoreId: string }; response: null };
  /** What a report.json export needs from the background (versions). */
  reportInfo: { request: Record<string, never>; response: ReportInfo };
  /**
   * Replaces a site's authorized list (domains or organization names); `parties: null`
   * removes it. The site's party rows are re-marked. Answers the list in force.
   */
  setAuthorized: {
    request: { site: string; parties: string[] | null };
    response: AuthorizedRecord | null;
  };
  /** Adds one party (domain or organization) to a site's list, creating the list if none. */
  authorizeParty: { request: { site: string; party: string }; response: AuthorizedRecord | null };
  /** Removes one party from a site's list (the list stays, possibly empty). */
  unauthorizeParty: {
    request: { site: string; party: string };
    response: AuthorizedRecord | null;
  };
  /** A site's authorized list, or null when it has none. */
  getAuthorized: { request: { site: string }; response: AuthorizedRecord | null };
  /**
   * Saves (or replaces) a site's baseline: its third parties of the last 30 days, with the
   * kinds and data types each took. Answers the saved baseline.
   */
  saveBaseline: { request: { site: string }; response: BaselineRecord };
  /** Removes a site's baseline. */
  clearBaseline: { request: { site: string }; response: null };
}

/**
 * One restore chunk, in characters. A message is JSON-serialized (quotes and backslashes
 * doubled, control characters six times longer) and Chrome caps one at 64 MiB, so 8 Mi
 * characters stay under the cap whatever the text holds.
 */
export const RESTORE_CHUNK_CHARS = 8 * 1024 * 1024;
/**
 * Largest backup a chunked restore accepts. The background joins the chunks into one string
 * and parses it, so this stays well under V8's string limit (about 512 Mi characters) and
 * within what a worker can parse in memory.
 */
export const MAX_RESTORE_CHARS = 256 * 1024 * 1024;

const upload = v.pipe(v.string(), v.maxLength(MAX_IMPORT_CHARS));
const restoreId = v.pipe(v.string(), v.regex(/^[0-9a-f-]{36}$/));
const siteName = v.pipe(v.string(), v.minLength(1), v.maxLength(1_000));
const partyName = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_AUTHORIZED_ENTRY_CHARS));

export const REPORT_REQUEST_SCHEMAS: {
  [K in keyof ReportProtocol]: v.GenericSchema<unknown, ReportProtocol[K]['request']>;
} = {
  importHar: v.strictObject({ name: v.pipe(v.string(), v.maxLength(1_000)), text: upload }),
  deleteSite: v.strictObject({ site: v.pipe(v.string(), v.minLength(1), v.maxLength(1_000)) }),
  deleteAll: v.strictObject({}),
  updateSettings: v.strictObject({
    retentionDays: v.optional(
      v.pipe(
        v.number(),
        v.integer(),
        v.minValue(MIN_RETENTION_DAYS),
        v.maxValue(MAX_RETENTION_DAYS),
      ),
    ),
    paused: v.optional(v.boolean()),
    recordPrivate: v.optional(v.boolean()),
  }),
  restoreBackup: v.strictObject({ text: upload }),
  restoreBegin: v.strictObject({
    chars: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_RESTORE_CHARS)),
  }),
  restoreChunk: v.strictObject({
    restoreId,
    index: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_RESTORE_CHARS)),
    text: v.pipe(v.string(), v.minLength(1), v.maxLength(RESTORE_CHUNK_CHARS)),
  }),
  restoreCommit: v.strictObject({ restoreId }),
  restoreAbort: v.strictObject({ restoreId }),
  reportInfo: v.strictObject({}),
  setAuthorized: v.strictObject({
    site: siteName,
    parties: v.nullable(v.pipe(v.array(partyName), v.maxLength(MAX_AUTHORIZED_PARTIES))),
  }),
  authorizeParty: v.strictObject({ site: siteName, party: partyName }),
  unauthorizeParty: v.strictObject({ site: siteName, party: partyName }),
  getAuthorized: v.strictObject({ site: siteName }),
  saveBaseline: v.strictObject({ site: siteName }),
  clearBaseline: v.strictObject({ site: siteName }),
};
