// The audit command line: `npm run audit -- [options] <url ...>` and the `leakwatch` bin.
// Exit codes: 0 done, 1 unexpected failure, 2 bad usage or unreadable input (one line on
// stderr), 3 a --fail-on kind was found.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildReport } from '../report/build.ts';
import { summaryLine } from '../report/summary.ts';
import type { Report } from '../report/types.ts';
import { checkCombination, parseArgs, UsageError, type CliOptions } from './args.ts';
import { quietOnBrokenPipe } from './broken-pipe.ts';
import { loadAuthorized, loadBaseline, loadUrlList } from './inputs.ts';
import { auditHar, type Collected } from './offline.ts';
import { prepareOutDir, removeEmptyDirs, writeReport } from './output.ts';
import { createProgress, printable, type ProgressStream } from './progress.ts';
import { USAGE } from './usage.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_FAIL_ON = 3;

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: ProgressStream;
  cwd: string;
}

export function version(): string {
  const pkg = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0.0.0';
}

async function collect(opts: CliOptions, io: CliIo): Promise<Collected> {
  if (opts.harFile !== null) {
    const warn = (m: string) => void io.stderr.write(`leakwatch: warning: ${printable(m)}\n`);
    return auditHar(
      resolve(io.cwd, opts.harFile),
      createProgress(io.stderr, 1),
      warn,
      opts.canaries,
    );
  }
  // Loaded lazily: the offline path must not need Playwright or a built extension.
  const { auditLive } = await import('./live.ts');
  return auditLive(opts, REPO_ROOT, io.cwd, (total) => createProgress(io.stderr, total));
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const opts = parseArgs(argv);
  if (opts.help) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (opts.version) {
    io.stdout.write(`leakwatch ${version()}\n`);
    return EXIT_OK;
  }
  checkCombination(opts);
  // Every input file is read before any browser starts: a typo fails fast.
  const authorized = opts.authorizedFile
    ? loadAuthorized(resolve(io.cwd, opts.authorizedFile))
    : undefined;
  const baseline = opts.baselineFile ? loadBaseline(resolve(io.cwd, opts.baselineFile)) : undefined;
  if (opts.urlsFile) opts.urls.push(...loadUrlList(resolve(io.cwd, opts.urlsFile)));
  // Made before the audit, so that an --out that cannot be made fails now, not after a
  // crawl; taken back if the run fails before writing to it.
  const outDir = resolve(io.cwd, opts.out);
  const created = prepareOutDir(outDir);
  let report: Report;
  let written: string[];
  try {
    const { input, trackerData } = await collect(opts, io);
    report = buildReport(
      input,
      { generatorVersion: version(), trackerData, createdAt: Date.now() },
      { ...(authorized ? { authorized } : {}), ...(baseline ? { baseline } : {}) },
    );
    written = writeReport(report, outDir, opts.formats);
  } catch (err) {
    removeEmptyDirs(created);
    throw err;
  }
  io.stdout.write(`leakwatch: ${summaryLine(report)}\n`);
  io.stderr.write(`leakwatch: wrote ${written.map((p) => printable(p)).join(', ')}\n`);

  const matched = report.findings.filter((f) => opts.failOn.includes(f.kind));
  if (matched.length > 0) {
    const kinds = [...new Set(matched.map((f) => f.kind))].join(', ');
    io.stderr.write(`leakwatch: --fail-on matched ${matched.length} finding(s): ${kinds}\n`);
    return EXIT_FAIL_ON;
  }
  return EXIT_OK;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`leakwatch: ${printable(err.message)}\n`);
      return EXIT_USAGE;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`leakwatch: ${printable(message.split('\n')[0] ?? message)}\n`);
    return EXIT_FAILURE;
  }
}

export function runAsProcess(): void {
  quietOnBrokenPipe();
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}

// `tsx src/cli/main.ts` runs it; bin/leakwatch.js imports and calls runAsProcess itself.
const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href) runAsProcess();
