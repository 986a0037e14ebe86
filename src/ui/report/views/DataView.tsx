// Data & exports: recording settings, exports, HAR import, backup and restore, deletion,
// and the list of exactly what is stored. Every change is a typed message to the background
// (the single writer); this page only reads.
import { useState } from 'preact/hooks';
import { readSettings } from '../../../storage/settings.ts';
import { tableCounts } from '../../../storage/report-queries.ts';
import { useLiveQuery } from '../../shared/use-live-query.ts';
import { NEVER_STORED, STORED } from '../logic/inventory.ts';
import type { ViewProps } from '../types.ts';
import { Loaded } from './common.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { BackupRestore, ImportHar } from './Transfers.tsx';
import { RecordingSettings } from './RecordingSettings.tsx';
import { Canaries } from './Canaries.tsx';
import { ConfirmDanger } from '../../shared/ConfirmDanger.tsx';

export function DataView(props: ViewProps) {
  const { db, send } = props;
  const settings = useLiveQuery(() => readSettings(db), [db]);
  const counts = useLiveQuery(() => tableCounts(db), [db]);
  return (
    <section aria-labelledby="data-title">
      <h1 id="data-title">Data &amp; exports</h1>
      <p class="lede">
        Everything Leakwatch records stays in this browser. Nothing is sent anywhere unless you
        export it.
      </p>
      <h2>Recording</h2>
      <Loaded result={settings}>{(s) => <RecordingSettings send={send} settings={s} />}</Loaded>
      <h2>Canaries</h2>
      <Canaries send={send} />
      <h2>Export all sites</h2>
      <ExportButtons db={db} send={send} site={null} />
      <h2>Import a HAR file</h2>
      <ImportHar {...props} />
      <h2>Backup and restore</h2>
      <BackupRestore {...props} />
      <h2>Delete everything</h2>
      <DeleteAll {...props} />
      <h2>What is stored</h2>
      <Loaded result={counts}>
        {(c) => (
          <div
            class="table-scroll"
            tabIndex={0}
            role="group"
            aria-label="Stored tables (scrollable)"
          >
            <table data-testid="inventory">
              <thead>
                <tr>
                  <th scope="col">Table</th>
                  <th scope="col">Rows</th>
                  <th scope="col">What a row is</th>
                  <th scope="col">Fields</th>
                </tr>
              </thead>
              <tbody>
                {STORED.map((t) => (
                  <tr key={t.table} data-table={t.table}>
                    <th scope="row">{t.table}</th>
                    <td data-testid={`count-${t.table}`}>{c[t.table].toLocaleString()}</td>
                    <td>{t.what}</td>
                    <td>
                      <ul class="fields">
                        {t.fields.map(([name, meaning]) => (
                          <li key={name}>
                            <code>{name}</code>: {meaning}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <h3>Never stored</h3>
      <ul>
        {NEVER_STORED.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
    </section>
  );
}

function DeleteAll({ send }: ViewProps) {
  const [status, setStatus] = useState('');
  async function run() {
    setStatus('Deleting…');
    try {
      await send('deleteAll');
      setStatus('All recorded browsing was deleted. Settings were kept.');
    } catch (error) {
      setStatus(`Could not delete: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return (
    <div>
      <p>Deletes every recorded visit, request, cookie and finding. Your settings stay.</p>
      <ConfirmDanger
        label="Delete everything…"
        question="Delete all recorded browsing? This cannot be undone."
        confirmLabel="Delete everything"
        testId="delete-all"
        onConfirm={() => void run()}
      />
      <p class="status" role="status">
        {status}
      </p>
    </div>
  );
}
