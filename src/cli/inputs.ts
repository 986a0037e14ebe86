// Reads the files the options name. Any problem is a UsageError with one line naming the
// option and the file, so the CLI exits 2 instead of printing a stack trace.
import { readFileSync, statSync } from 'node:fs';
import {
  AuthorizedListError,
  parseAuthorizedList,
  type AuthorizedList,
} from '../report/authorized.ts';
import { BaselineError, parseBaseline, type Baseline } from '../report/baseline.ts';
import { parseHttpUrl, UsageError } from './args.ts';

/** Input files larger than this are refused: they are lists and reports, not archives. */
const MAX_INPUT_BYTES = 512 * 1024 * 1024;

export function readInput(option: string, path: string): string {
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError(`${option}: ${JSON.stringify(path)} is not a file`);
    if (st.size > MAX_INPUT_BYTES)
      throw new UsageError(`${option}: ${JSON.stringify(path)} is too large`);
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : (code ?? 'unreadable');
    throw new UsageError(`${option}: cannot read ${JSON.stringify(path)} (${why})`);
  }
}

export function loadAuthorized(path: string): AuthorizedList {
  try {
    return parseAuthorizedList(readInput('--authorized', path));
  } catch (err) {
    if (err instanceof AuthorizedListError) throw new UsageError(`--authorized: ${err.message}`);
    throw err;
  }
}

export function loadBaseline(path: string): Baseline {
  try {
    return parseBaseline(readInput('--baseline', path));
  } catch (err) {
    if (err instanceof BaselineError) throw new UsageError(`--baseline: ${err.message}`);
    throw err;
  }
}

/** One URL per line; blank lines and # comments skipped; each must be http(s). */
export function loadUrlList(path: string): string[] {
  const lines = readInput('--urls', path).split(/\r?\n/);
  const urls: string[] = [];
  lines.forEach((line, i) => {
    const t = line.replace(/(^|\s)#.*$/, '').trim();
    if (t) urls.push(parseHttpUrl(t, `--urls line ${i + 1}`));
  });
  if (urls.length === 0) throw new UsageError(`--urls: no URL in ${JSON.stringify(path)}`);
  return urls;
}
