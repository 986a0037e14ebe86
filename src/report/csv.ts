// CSV of findings, RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or
// line break, quotes doubled. Cells that a spreadsheet would run as a formula get a leading
// apostrophe, because finding data comes from hostile pages (CSV injection).
import type { Report, ReportFinding } from './types.ts';

/** Column order is part of the contract (docs/report.md): append new columns, never reorder. */
export const CSV_COLUMNS = [
  'kind',
  'page',
  'site',
  'party',
  'host',
  'requestUrl',
  'dataTypes',
  'encoding',
  'explanation',
  'rule',
  'location',
  'key',
  'preview',
  'cookieName',
  'scriptUrl',
  'time',
] as const;

type Column = (typeof CSV_COLUMNS)[number];

const FORMULA_START = /^[=+\-@\t\r]/;

/** Neutralizes spreadsheet formulas, then applies RFC 4180 quoting. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function cellValue(f: ReportFinding, col: Column): string {
  switch (col) {
    case 'dataTypes':
      return f.dataTypes.join(';');
    case 'encoding':
      return f.encoding ?? '';
    case 'requestUrl':
      return f.requestUrl ?? '';
    case 'rule':
      return f.evidence.rule;
    case 'location':
    case 'key':
    case 'preview':
    case 'cookieName':
    case 'scriptUrl':
      return f.evidence[col] ?? '';
    default:
      return f[col];
  }
}

export function findingsCsv(report: Pick<Report, 'findings'>): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const f of report.findings) {
    lines.push(CSV_COLUMNS.map((c) => csvCell(cellValue(f, c))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
