// Builds report.json (schema version 1) from stored rows. Pure: the CLI and the report
// page's export both call this, so both write the same file for the same data.
import { MAX_TIME } from '../core/model.ts';
import { type AuthorizedList, applyAuthorizedList } from './authorized.ts';
import { type Baseline, diffAgainstBaseline } from './baseline.ts';
import { siteMetrics } from './metrics.ts';
import { aggregateParties, partyKey } from './parties.ts';
import {
  GENERATOR_NAME,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportCookie,
  type ReportFinding,
  type ReportInput,
  type ReportMeta,
  type ReportPage,
  type ReportRequest,
} from './types.ts';

export interface BuildOptions {
  /** The publisher's list: marks parties and adds unauthorized-party findings. */
  authorized?: AuthorizedList;
  baseline?: Baseline;
}

/**
 * The last step before the contract's date-time strings: a time outside years 1970–9999
 * (or no number at all) would throw or print a six-digit year, so it is clamped. Inputs are
 * bounded upstream; this keeps one odd row from failing a whole report.
 */
const iso = (ms: number): string =>
  new Date(Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_TIME) : 0).toISOString();

export function buildReport(input: ReportInput, meta: ReportMeta, opts: BuildOptions = {}): Report {
  const pageUrl = new Map(input.pages.map((p) => [p.id, p.url]));
  const urlOf = (pageId: string): string => pageUrl.get(pageId) ?? '';

  // A failed load can still have left a page row (the main request was seen): keep one
  // entry per URL, carrying the error.
  const failed = new Map((input.failedPages ?? []).map((p) => [p.url, p]));
  const pages: ReportPage[] = [
    ...input.pages.map((p) => ({
      url: p.url,
      site: p.site,
      visitedAt: iso(p.visitedAt),
      imported: p.imported,
      error: failed.get(p.url)?.error ?? null,
    })),
    ...[...failed.values()]
      .filter((f) => !input.pages.some((p) => p.url === f.url))
      .map((p) => ({
        url: p.url,
        site: p.site,
        visitedAt: iso(p.visitedAt),
        imported: false,
        error: p.error,
      })),
  ].sort((a, b) => a.visitedAt.localeCompare(b.visitedAt) || a.url.localeCompare(b.url));

  const byTime = <T extends { time: number }>(rows: T[]): T[] =>
    [...rows].sort((a, b) => a.time - b.time);

  const requests: ReportRequest[] = byTime(input.requests).map((r) => ({
    url: r.url,
    type: r.type,
    method: r.method,
    host: r.host,
    party: r.party,
    initiator: r.initiator,
    status: r.status,
    page: urlOf(r.pageId),
    site: r.site,
    firstParty: r.firstParty,
    tracker: r.tracker,
    time: iso(r.time),
    ...(r.recovered ? { recovered: true as const } : {}),
  }));

  const cookies: ReportCookie[] = byTime(input.cookies).map((c) => ({
    name: c.name,
    domain: c.domain,
    party: c.party,
    firstParty: c.firstParty,
    setBy: c.setBy,
    scriptUrl: c.scriptUrl,
    expires: c.expires === null ? null : iso(c.expires),
    identifierLike: c.identifierLike,
    page: urlOf(c.pageId),
    site: c.site,
    path: c.path,
    requestUrl: c.requestUrl,
    secure: c.secure,
    httpOnly: c.httpOnly,
    sameSite: c.sameSite,
    valueLength: c.valueLength,
    entropyBits: c.entropyBits,
  }));

  // A fresh list replaces whatever the extension decided with its own (older) list.
  const storedFindings = opts.authorized
    ? input.findings.filter((f) => f.kind !== 'unauthorized-party')
    : input.findings;
  const findings: ReportFinding[] = byTime(storedFindings).map((f) => ({
    kind: f.kind,
    page: f.page || urlOf(f.pageId),
    site: f.site,
    party: f.party,
    host: f.host,
    requestUrl: f.requestUrl,
    dataTypes: [...f.dataTypes],
    encoding: f.encoding,
    explanation: f.explanation,
    evidence: f.evidence,
    time: iso(f.time),
  }));

  const parties = aggregateParties(input.parties, input.requests, storedFindings);
  if (opts.authorized) {
    const first = new Map<string, { page: string; requestUrl: string | null }>();
    for (const r of byTime(input.requests)) {
      const k = partyKey(r.site, r.party);
      if (!first.has(k)) first.set(k, { page: urlOf(r.pageId), requestUrl: r.url });
    }
    const added = applyAuthorizedList(parties, opts.authorized, (site, domain) => {
      return first.get(partyKey(site, domain)) ?? { page: '', requestUrl: null };
    });
    findings.push(...added);
    findings.sort((a, b) => a.time.localeCompare(b.time));
  }

  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: {
      name: GENERATOR_NAME,
      version: meta.generatorVersion,
      trackerData: { source: meta.trackerData.source, version: meta.trackerData.version },
    },
    createdAt: new Date(meta.createdAt).toISOString(),
    pages,
    parties,
    findings,
    cookies,
    requests,
    sites: siteMetrics(pages, parties, input.cookies),
  };
  if (opts.baseline) report.diff = diffAgainstBaseline(report, opts.baseline);
  return report;
}
