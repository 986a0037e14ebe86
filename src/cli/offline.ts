// `--har FILE`: the offline audit. The HAR is converted by core/har.ts, every request goes
// through the same analyzer and row mapping as live capture (report/rows.ts), and the rows
// are aggregated by the extension's own writer (storage/writer.ts) on an in-memory
// IndexedDB, so the report sees exactly the rows the extension would have stored.
import Dexie from 'dexie';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { createAnalyzer } from '../core/analyzer.ts';
import { COOKIE_DETECTORS } from '../core/detectors/index.ts';
import { convertHar, HarError } from '../core/har.ts';
import type { FindingKind } from '../core/model.ts';
import { openDb } from '../storage/db.ts';
import { createWriter } from '../storage/writer.ts';
import { allFindings } from '../storage/findings.ts';
import { createFindingFilter, pageRow, recordRequest } from '../storage/rows.ts';
import type { ReportInput } from '../report/types.ts';
import { UsageError } from './args.ts';
import { readInput } from './inputs.ts';
import type { Progress } from './progress.ts';
import { registerCanaries } from '../core/leaks/secrets.ts';

export interface Collected {
  input: ReportInput;
  trackerData: { source: string; version: string };
}

/** Rows → report input, read back from the store the writer filled. */
async function readAll(db: ReturnType<typeof openDb>): Promise<ReportInput> {
  return {
    pages: await db.pages.toArray(),
    requests: await db.requests.toArray(),
    cookies: await db.cookies.toArray(),
    parties: await db.parties.toArray(),
    findings: await allFindings(db),
  };
}

export async function auditHar(
  path: string,
  progress: Progress,
  warn: (message: string) => void = () => undefined,
  canaries: readonly string[] = [],
): Promise<Collected> {
  registerCanaries(canaries);
  let har;
  try {
    har = convertHar(readInput('--har', path));
  } catch (err) {
    if (err instanceof HarError) throw new UsageError(`--har: ${err.message}`);
    throw err;
  }
  if (har.requests.length === 0)
    throw new UsageError(`--har: no requests in ${JSON.stringify(path)}`);
  for (const w of har.warnings.slice(0, 5)) warn(`--har: ${w}`);
  progress.setTotal(har.pages.length);

  // Node has no IndexedDB: give Dexie an in-memory one for this process.
  Dexie.dependencies.indexedDB = indexedDB;
  Dexie.dependencies.IDBKeyRange = IDBKeyRange;
  const db = openDb(`leakwatch-har-${process.pid}-${Date.now()}`);
  try {
    let lost = 0;
    const writer = createWriter(db, { intervalMs: 60_000, maxRows: 2_000, log: () => void lost++ });
    const analyzer = createAnalyzer();
    const cookieKinds = new Set<FindingKind>(COOKIE_DETECTORS.flatMap((d) => d.kinds));
    const filter = createFindingFilter(cookieKinds);
    const contexts = new Map(
      har.pages.map((p) => [p.id, analyzer.pageContext(p.id, p.url, 0, p.startedAt)]),
    );
    for (const ctx of contexts.values()) writer.page(pageRow(ctx, true));
    const remaining = new Map<string, number>();
    for (const r of har.requests) remaining.set(r.pageId, (remaining.get(r.pageId) ?? 0) + 1);
    for (const { pageId, record } of har.requests) {
      const ctx = contexts.get(pageId);
      if (!ctx) continue;
      recordRequest(analyzer, writer, filter, ctx, record);
      const left = (remaining.get(pageId) ?? 1) - 1;
      remaining.set(pageId, left);
      if (left === 0) {
        analyzer.endPage(pageId);
        progress.done(ctx.url, null);
      }
    }
    await writer.flushNow();
    if (lost > 0) throw new Error('writing the analysed rows failed');
    return { input: await readAll(db), trackerData: analyzer.trackerData };
  } finally {
    progress.end();
    db.close();
    await Dexie.delete(db.name).catch(() => undefined);
  }
}
