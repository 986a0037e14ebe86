// Files in and out: HAR import (analysed by the background with the core analyzer) and the
// versioned backup of the whole database. Files are read in the page and their text sent to
// the background, which validates it and writes; the size cap is checked here first so the
// user gets a clear message instead of a failed message. A restore replaces everything, so
// it asks first, naming what the file holds and what is stored now; its text then goes in
// chunks (../logic/restore.ts), so a backup may be larger than one message.
import { useState } from 'preact/hooks';
import { createBackup } from '../../../storage/backup.ts';
import { tableCounts } from '../../../storage/report-queries.ts';
import { ConfirmDanger } from '../../shared/ConfirmDanger.tsx';
import { useLiveQuery } from '../../shared/use-live-query.ts';
import { previewBackup, rowsText, sendRestore, type BackupPreview } from '../logic/restore.ts';
import { MAX_IMPORT_CHARS, tooLargeMessage } from '../../../storage/limits.ts';
import { downloadText } from '../../shared/download.ts';
import { plural } from '../../shared/format.ts';
import { Text } from '../../shared/Text.tsx';
import { siteHref } from '../route.ts';
import type { ViewProps } from '../types.ts';
import { errorText } from '../../shared/use-command-status.ts';

/** The file's text, or an error message when it is over the cap. */
async function readCapped(file: File): Promise<string> {
  // UTF-8 bytes ≥ characters, so a file under the byte cap is under the character cap.
  if (file.size > MAX_IMPORT_CHARS * 4) throw new Error(tooLargeMessage(file.size));
  const text = await file.text();
  if (text.length > MAX_IMPORT_CHARS) throw new Error(tooLargeMessage(text.length));
  return text;
}

export function ImportHar({ send }: ViewProps) {
  const [status, setStatus] = useState('');
  const [sites, setSites] = useState<string[]>([]);
  async function pick(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    setSites([]);
    setStatus(`Analysing ${file.name}…`);
    try {
      const text = await readCapped(file);
      const r = await send('importHar', { name: file.name, text });
      setSites(r.sites);
      setStatus(
        `Imported ${plural(r.pages, 'page')} and ${plural(r.requests, 'request')} from ${file.name}.` +
          (r.warnings.length ? ` Warnings: ${r.warnings.join('; ')}` : ''),
      );
    } catch (error) {
      setStatus(`Import failed: ${errorText(error)}`);
    } finally {
      input.value = '';
    }
  }
  return (
    <div>
      <p>
        A HAR file from the browser’s developer tools or a crawler is analysed with the same code as
        live browsing; its sites then appear like any other, marked “imported”.
      </p>
      <label class="file">
        <span>HAR file</span>
        <input
          type="file"
          accept=".har,application/json"
          data-testid="har-file"
          onChange={(e) => void pick(e.currentTarget as HTMLInputElement)}
        />
      </label>
      <p class="status" role="status" data-testid="import-status">
        {status}
      </p>
      {sites.length > 0 && (
        <p>
          Open:{' '}
          {sites.map((s, i) => (
            <span key={s}>
              {i > 0 ? ', ' : ''}
              <a href={siteHref(s)}>
                <Text value={s} />
              </a>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}

export function BackupRestore({ db, send }: ViewProps) {
  const [status, setStatus] = useState('');
  /** A file picked and looked at, waiting for the user to confirm the restore. */
  const [staged, setStaged] = useState<{
    name: string;
    text: string;
    preview: BackupPreview;
  } | null>(null);
  const stored = useLiveQuery(() => tableCounts(db), [db]);
  async function backup() {
    setStatus('Preparing the backup…');
    try {
      const b = await createBackup(db);
      const name = `leakwatch-backup-${b.createdAt.slice(0, 10)}.json`;
      downloadText(JSON.stringify(b), name, 'application/json');
      setStatus(`Saved ${name}.`);
    } catch (error) {
      setStatus(`Backup failed: ${errorText(error)}`);
    }
  }
  async function pick(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setStaged(null);
    setStatus(`Reading ${file.name}…`);
    try {
      const text = await file.text();
      setStaged({ name: file.name, text, preview: previewBackup(text) });
      setStatus('');
    } catch (error) {
      setStatus(`Restore failed: ${errorText(error)}. Nothing was changed.`);
    }
  }
  async function restore() {
    if (!staged) return;
    const { name, text } = staged;
    setStaged(null);
    setStatus(`Restoring ${name}…`);
    try {
      const r = await sendRestore(send, text, {
        onProgress: (sent, total) =>
          setStatus(`Restoring ${name}… ${Math.floor((sent / total) * 100)}% sent`),
      });
      setStatus(`Restored ${plural(r.rows, 'row')} from ${name}.`);
    } catch (error) {
      setStatus(`Restore failed: ${errorText(error)}`);
    }
  }
  return (
    <div>
      <p>
        A backup is one JSON file with every table and a format version. Restoring one replaces
        everything stored now; a file of an unknown version is refused.
      </p>
      <div class="button-row">
        <button type="button" data-testid="backup" onClick={() => void backup()}>
          Download a backup
        </button>
        <label class="file">
          <span>Restore from a backup</span>
          <input
            type="file"
            accept=".json,application/json"
            data-testid="restore-file"
            onChange={(e) => void pick(e.currentTarget as HTMLInputElement)}
          />
        </label>
      </div>
      {staged && (
        <div class="restore-staged" data-testid="restore-staged">
          <p>
            <Text value={staged.name} />
            {staged.preview.createdAt && (
              <>
                {' '}
                (made <Text value={staged.preview.createdAt} max={40} />)
              </>
            )}{' '}
            holds {rowsText(staged.preview.rows)}.
          </p>
          <ConfirmDanger
            label="Restore this backup…"
            question={
              <>
                Replace everything stored now
                {stored.status === 'ready' ? ` (${rowsText(stored.value)})` : ''} with this backup’s{' '}
                {rowsText(staged.preview.rows)}? What is stored now cannot be brought back.
              </>
            }
            confirmLabel="Replace everything"
            testId="restore"
            onConfirm={() => void restore()}
          />{' '}
          <button type="button" data-testid="restore-cancel" onClick={() => setStaged(null)}>
            Choose another file
          </button>
        </div>
      )}
      <p class="status" role="status" data-testid="backup-status">
        {status}
      </p>
    </div>
  );
}
