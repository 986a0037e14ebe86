// Export buttons (all sites or one): rows are read, the report is built in the page and
// saved with a Blob download; nothing goes over the network.
import { useState } from 'preact/hooks';
import type { Send } from '../../../messaging/client.ts';
import type { LeakwatchDb } from '../../../storage/db.ts';
import { readAuthorizedLists } from '../../../storage/authorized.ts';
import { readReportInput } from '../../../storage/report-queries.ts';
import { downloadText } from '../../shared/download.ts';
import {
  EXPORT_FORMATS,
  EXPORT_LABELS,
  exportFileName,
  renderExport,
  type ExportFormat,
} from '../logic/exports.ts';

export function ExportButtons({
  db,
  send,
  site,
}: {
  db: LeakwatchDb;
  send: Send;
  site: string | null;
}) {
  const [status, setStatus] = useState('');
  async function run(format: ExportFormat) {
    setStatus(`Preparing ${EXPORT_LABELS[format]}…`);
    try {
      const [input, info, lists] = await Promise.all([
        readReportInput(db, site),
        send('reportInfo'),
        // One site's export carries its authorized list, so uninvited parties become
        // unauthorized-party findings with their loader chain, as in the CLI's report.
        site ? readAuthorizedLists(db, [site]) : Promise.resolve(new Map()),
      ]);
      const authorized = site ? lists.get(site) : undefined;
      const { text, mime } = renderExport(
        format,
        input,
        { ...info, createdAt: Date.now() },
        authorized ? { authorized } : {},
      );
      const name = exportFileName(format, site);
      downloadText(text, name, mime);
      setStatus(`Saved ${name}.`);
    } catch (error) {
      setStatus(`Export failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return (
    <div class="exports">
      <div class="button-row">
        {EXPORT_FORMATS.map((f) => (
          <button key={f} type="button" data-export={f} onClick={() => void run(f)}>
            {EXPORT_LABELS[f]}
          </button>
        ))}
      </div>
      <p class="status" role="status" data-testid="export-status">
        {status}
      </p>
    </div>
  );
}
