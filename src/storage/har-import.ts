// HAR import for the report page, run in the background: the text is converted by
// core/har.ts, every request goes through the same analyzer and row mapping as live capture
// (storage/rows.ts) and lands through the background's one writer, so an imported site is
// stored exactly like a visited one, its pages marked `imported`.
import { createAnalyzer } from '../core/analyzer.ts';
import type { Analyzer } from '../core/analysis.ts';
import { COOKIE_DETECTORS } from '../core/detectors/index.ts';
import { convertHar, HarError } from '../core/har.ts';
import type { FindingKind, PageContext } from '../core/model.ts';
import { createFindingFilter, pageRow, recordRequest, type RowSink } from './rows.ts';
import { MAX_IMPORT_CHARS, tooLargeMessage } from './limits.ts';

export interface ImportResult {
  pages: number;
  requests: number;
  sites: string[];
  warnings: string[];
}

export class ImportError extends Error {}

export interface ImportDeps {
  sink: RowSink & { flushNow(): Promise<void> };
  /** A fresh analyzer per import, so live pages' memory is not evicted by the import. */
  analyzer?: Analyzer;
  /** Unique per import: keeps ids of two imports of the same file apart. */
  stamp?: string;
}

export async function importHarText(text: string, deps: ImportDeps): Promise<ImportResult> {
  if (text.length > MAX_IMPORT_CHARS) throw new ImportError(tooLargeMessage(text.length));
  let har;
  try {
    har = convertHar(text);
  } catch (err) {
    if (err instanceof HarError) throw new ImportError(err.message);
    throw err;
  }
  if (har.requests.length === 0) throw new ImportError('the HAR file holds no requests');
  const stamp = deps.stamp ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const analyzer = deps.analyzer ?? createAnalyzer();
  const cookieKinds = new Set<FindingKind>(COOKIE_DETECTORS.flatMap((d) => d.kinds));
  const filter = createFindingFilter(cookieKinds);
  // HAR page ids (`har-page_1`) and entry ids repeat between files: prefix them per import.
  const contexts = new Map<string, PageContext>();
  for (const p of har.pages) {
    const id = `har-${stamp}-${p.id.replace(/^har-/, '')}`;
    contexts.set(p.id, analyzer.pageContext(id, p.url, -1, p.startedAt));
  }
  for (const ctx of contexts.values()) deps.sink.page(pageRow(ctx, true));
  let requests = 0;
  for (const { pageId, record } of har.requests) {
    const ctx = contexts.get(pageId);
    if (!ctx) continue;
    recordRequest(analyzer, deps.sink, filter, ctx, { ...record, id: `har-${stamp}-${record.id}` });
    requests += 1;
  }
  for (const ctx of contexts.values()) analyzer.endPage(ctx.pageId);
  await deps.sink.flushNow();
  return {
    pages: contexts.size,
    requests,
    sites: [...new Set([...contexts.values()].map((c) => c.site))].sort(),
    warnings: har.warnings.slice(0, 5),
  };
}
