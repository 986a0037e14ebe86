// Exports made in the page from stored rows, with the same report code as the CLI:
// buildReport (report.json), findingsCsv, reportHtml, reportToHar. Pure apart from reading
// the rows; the caller saves the text (../../shared/download.ts).
import { buildReport, type BuildOptions } from '../../../report/build.ts';
import { findingsCsv } from '../../../report/csv.ts';
import { reportToHar } from '../../../report/har-export.ts';
import { reportHtml } from '../../../report/html.ts';
import type { Report, ReportInput, ReportMeta } from '../../../report/types.ts';

export const EXPORT_FORMATS = ['json', 'csv', 'html', 'har'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_LABELS: Record<ExportFormat, string> = {
  json: 'report.json',
  csv: 'Findings (CSV)',
  html: 'HTML report',
  har: 'Requests (HAR 1.2)',
};

const FILES: Record<ExportFormat, { name: string; mime: string; render: (r: Report) => string }> = {
  json: {
    name: 'report.json',
    mime: 'application/json',
    render: (r) => `${JSON.stringify(r, null, 2)}\n`,
  },
  csv: { name: 'findings.csv', mime: 'text/csv', render: findingsCsv },
  html: { name: 'report.html', mime: 'text/html', render: reportHtml },
  har: {
    name: 'requests.har',
    mime: 'application/json',
    render: (r) => `${JSON.stringify(reportToHar(r), null, 2)}\n`,
  },
};

/** `leakwatch-example.com-report.json`; the site part is reduced to safe file-name chars. */
export function exportFileName(format: ExportFormat, site: string | null): string {
  const scope = site ? `-${site.replace(/[^a-z0-9.-]+/gi, '_').slice(0, 80)}` : '';
  return `leakwatch${scope}-${FILES[format].name}`;
}

export function renderExport(
  format: ExportFormat,
  input: ReportInput,
  meta: ReportMeta,
  options: BuildOptions = {},
): { text: string; mime: string } {
  const report = buildReport(input, meta, options);
  return { text: FILES[format].render(report), mime: FILES[format].mime };
}
