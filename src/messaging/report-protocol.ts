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
  /** Replace the whole database with a backup (validated, versioned). */
  restoreBackup: { request: { text: string }; response: { rows: number } };
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

const upload = v.pipe(v.string(), v.maxLength(MAX_IMPORT_CHARS));
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
