// The background's side of the report page's commands (../messaging/report-protocol.ts).
// Every write goes through the one writer or one Dexie transaction here: the background
// stays the single writer. Settings changes are handed to `applySettings` so capture
// honours them at once (pause, private windows) and retention runs with the new period.
import type { Handlers } from '../messaging/server.ts';
import type { ReportInfo, ReportProtocol } from '../messaging/report-protocol.ts';
import type { LeakwatchDb } from '../storage/db.ts';
import type { Writer } from '../storage/writer.ts';
import { deleteAll, deleteSite } from '../storage/admin.ts';
import { parseBackup, restoreBackup } from '../storage/backup.ts';
import { importHarText } from '../storage/har-import.ts';
import { readSettings, writeSettings, type Settings } from '../storage/settings.ts';
import {
  addParty,
  editAuthorized,
  readAuthorized,
  removeParty,
  writeAuthorized,
} from '../storage/authorized.ts';
import { clearBaseline, saveBaseline } from '../storage/site-baseline.ts';
import { createRestoreUploads, type RestoreUploads } from './restore-uploads.ts';

export interface ReportHandlerDeps {
  ready: Promise<unknown>;
  db: LeakwatchDb;
  writer: Pick<Writer, 'page' | 'request' | 'party' | 'findings' | 'cookie' | 'flushNow'>;
  /** Waits for every capture event so far (a delete must not race rows still in flight). */
  drain: () => Promise<void>;
  applySettings: (settings: Settings) => void;
  info: ReportInfo;
  /** Chunked restores in progress (a fresh holder when omitted). */
  uploads?: RestoreUploads;
}

type ReportHandlers = Pick<Handlers, keyof ReportProtocol>;

export function createReportHandlers(deps: ReportHandlerDeps): ReportHandlers {
  /** Everything captured so far is committed before a delete or restore touches the tables. */
  const settle = async () => {
    await deps.ready;
    await deps.drain();
    await deps.writer.flushNow();
  };
  const uploads = deps.uploads ?? createRestoreUploads();
  /**
   * Validates the whole backup first (a parse error throws before any write), then replaces
   * every table in one transaction: a failure part-way rolls back to the data as it was.
   */
  const restore = async (text: string) => {
    const backup = parseBackup(text);
    await settle();
    const rows = await restoreBackup(deps.db, backup);
    deps.applySettings(await readSettings(deps.db));
    return { rows };
  };
  return {
    async importHar({ text }) {
      await deps.ready;
      return importHarText(text, { sink: deps.writer });
    },
    async deleteSite({ site }) {
      await settle();
      return deleteSite(deps.db, site);
    },
    async deleteAll() {
      await settle();
      await deleteAll(deps.db);
      return { deleted: true };
    },
    async updateSettings(patch) {
      await deps.ready;
      const settings = await writeSettings(deps.db, patch);
      deps.applySettings(settings);
      return settings;
    },
    async restoreBackup({ text }) {
      return restore(text);
    },
    async restoreBegin({ chars }) {
      return { restoreId: uploads.begin(chars) };
    },
    async restoreChunk({ restoreId, index, text }) {
      return { received: uploads.chunk(restoreId, index, text) };
    },
    async restoreCommit({ restoreId }) {
      return restore(uploads.take(restoreId));
    },
    async restoreAbort({ restoreId }) {
      uploads.abort(restoreId);
      return null;
    },
    async reportInfo() {
      return deps.info;
    },
    // Authorized lists: buffered party rows are committed first, so the re-marking covers
    // them; later flushes mark rows themselves (../storage/writer.ts).
    async setAuthorized({ site, parties }) {
      await settle();
      return writeAuthorized(deps.db, site, parties);
    },
    async authorizeParty({ site, party }) {
      await settle();
      return editAuthorized(deps.db, site, (list) => addParty(list, party));
    },
    async unauthorizeParty({ site, party }) {
      await settle();
      return editAuthorized(deps.db, site, (list) => removeParty(list, party));
    },
    async getAuthorized({ site }) {
      await deps.ready;
      return readAuthorized(deps.db, site);
    },
    // Baselines: buffered party rows are committed first, so the current visit counts.
    async saveBaseline({ site }) {
      await settle();
      return saveBaseline(deps.db, site);
    },
    async clearBaseline({ site }) {
      await deps.ready;
      return clearBaseline(deps.db, site);
    },
  };
}

/** Handlers for a background built without the report's dependencies (unit harnesses). */
export function unavailableReportHandlers(): ReportHandlers {
  const fail = async (): Promise<never> => {
    throw new Error('not available in this background');
  };
  return {
    importHar: fail,
    deleteSite: fail,
    deleteAll: fail,
    updateSettings: fail,
    restoreBackup: fail,
    restoreBegin: fail,
    restoreChunk: fail,
    restoreCommit: fail,
    restoreAbort: fail,
    reportInfo: fail,
    setAuthorized: fail,
    authorizeParty: fail,
    unauthorizeParty: fail,
    getAuthorized: fail,
    saveBaseline: fail,
    clearBaseline: fail,
  };
}
