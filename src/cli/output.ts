// Writes the chosen report formats into the output directory.
import { accessSync, constants, mkdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findingsCsv } from '../report/csv.ts';
import { reportToHar } from '../report/har-export.ts';
import { reportHtml } from '../report/html.ts';
import type { Report } from '../report/types.ts';
import { UsageError, type Format } from './args.ts';

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

/**
 * Makes the --out directory and its missing parents, or says in one line why it cannot;
 * returns the directories it made, outermost first.
 * The CLI calls it before any page is audited, so that a typo fails in a second, not after
 * a crawl. One level at a time: Node's recursive mkdir never returns where a parent exists
 * but takes no children (/proc, /sys).
 */
export function prepareOutDir(dir: string): string[] {
  const missing: string[] = [];
  for (let at = dir; ;) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ENOTDIR: a level above is a file; walking up finds it and says so.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw cannot('use', at, code);
      missing.push(at);
      const up = dirname(at);
      if (up === at) break;
      at = up;
      continue;
    }
    if (!isDir) throw notADirectory(at);
    break;
  }
  const created: string[] = [];
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level);
      created.push(level);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw cannot('create', level, code);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw cannot('write in', dir, (err as NodeJS.ErrnoException).code);
  }
  return created;
}

/** Removes what prepareOutDir made, deepest first, where it is still empty (a failed run). */
export function removeEmptyDirs(created: readonly string[]): void {
  for (const dir of [...created].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty, or gone: what is above it stays too
    }
  }
}

function notADirectory(path: string): UsageError {
  return new UsageError(`--out: ${JSON.stringify(path)} is a file, not a directory`);
}

function cannot(what: string, path: string, code: string | undefined): UsageError {
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EROFS'
        ? 'read-only file system'
        : code === 'ENOENT'
          ? 'the file system takes no new directory there'
          : (code ?? 'unknown error');
  return new UsageError(`--out: cannot ${what} ${JSON.stringify(path)} (${why})`);
}

/** Writes into `dir`, made by prepareOutDir; returns the paths, in the order of `formats`. */
export function writeReport(report: Report, dir: string, formats: readonly Format[]): string[] {
  return formats.map((f) => {
    const path = join(dir, FILE_NAMES[f]);
    writeFileSync(path, RENDER[f](report));
    return path;
  });
}
