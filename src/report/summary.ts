// The numbers the CLI prints at the end and the HTML report shows at the top.
import { FINDING_KINDS } from '../core/model.ts';
import type { FindingKind } from '../core/model.ts';
import type { Report } from './types.ts';

export interface ReportSummary {
  pages: number;
  failedPages: number;
  parties: number;
  thirdParties: number;
  /** Third parties the tracker knowledge base knows (a category or a tracker name). */
  trackers: number;
  findings: number;
  /** In FINDING_KINDS order, only kinds that occurred. */
  findingsByKind: Partial<Record<FindingKind, number>>;
}

export function summarize(report: Report): ReportSummary {
  const third = report.parties.filter((p) => !p.firstParty && !p.sameOrganization);
  const counts = new Map<FindingKind, number>();
  for (const f of report.findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  const findingsByKind: Partial<Record<FindingKind, number>> = {};
  for (const k of FINDING_KINDS) {
    const n = counts.get(k);
    if (n) findingsByKind[k] = n;
  }
  return {
    pages: report.pages.length,
    failedPages: report.pages.filter((p) => p.error !== null).length,
    parties: report.parties.length,
    thirdParties: third.length,
    trackers: third.filter((p) => p.category !== null || p.trackerName !== null).length,
    findings: report.findings.length,
    findingsByKind,
  };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "3 pages (1 failed), 40 parties, 38 third parties, 21 trackers, 97 findings (pixel 12, ...)". */
export function summaryLine(report: Report): string {
  const s = summarize(report);
  const kinds = Object.entries(s.findingsByKind).map(([k, n]) => `${k} ${n}`);
  const parts = [
    `${plural(s.pages, 'page')}${s.failedPages ? ` (${s.failedPages} failed)` : ''}`,
    plural(s.parties, 'party').replace('partys', 'parties'),
    plural(s.thirdParties, 'third party').replace('partys', 'parties'),
    plural(s.trackers, 'tracker'),
    `${plural(s.findings, 'finding')}${kinds.length ? ` (${kinds.join(', ')})` : ''}`,
  ];
  let line = parts.join(', ');
  const d = report.diff;
  if (d) {
    line += `; since baseline: ${d.newParties.length} new, ${d.goneParties.length} gone, ${d.newKinds.length} with new kinds`;
  }
  return line;
}
