// Writes the chosen report formats into the output directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingsCsv } from '../report/csv.ts';
import { reportToHar } from '../report/har-export.ts';
import { reportHtml } from '../report/html.ts';
import type { Report } from '../report/types.ts';
import type { Format } from './args.ts';

export const FILE_NAMES: Record<Format, string> = {
  json: 'report.json',
  csv: 'findings.csv',
  html: 'report.html',
  har: 'requests.har',
};

const RENDER: Record<Format, (r: Report) => string> = {
  json: (r) => `${JSON.stringify(r, null, 2)}\n`,
  csv: findingsCsv,
  html: reportHtml,
  har: (r) => `${JSON.stringify(reportToHar(r), null, 2)}\n`,
};

/** Returns the paths written, in the order of `formats`. */
export function writeReport(report: Report, dir: string, formats: readonly Format[]): string[] {
  mkdirSync(dir, { recursive: true });
  return formats.map((f) => {
    const path = join(dir, FILE_NAMES[f]);
    writeFileSync(path, RENDER[f](report));
    return path;
  });
}
