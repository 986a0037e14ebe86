// Analysis results → the stored row shapes of src/storage/db.ts. This is the one place
// that maps a RequestAnalysis/CookieAnalysis onto the writer's calls, so live capture (the
// background pipeline) and offline HAR analysis (the CLI, the report page's import) store
// exactly the same rows. Pure: the sink is the storage writer or anything shaped like it.
import type { Analyzer, RequestAnalysis } from '../core/analysis.ts';
import type {
  CookieEvent,
  Finding,
  FindingKind,
  PageContext,
  RequestRecord,
} from '../core/model.ts';
import { storableUrl } from '../core/leaks/common.ts';
import type { FindingRow, PageRow, RequestRow } from './db.ts';
import type { Writer } from './writer.ts';

export type RowSink = Pick<Writer, 'page' | 'request' | 'party' | 'findings' | 'cookie'>;

/** Cookie findings remembered for de-duplication, per filter (a bounded memory). */
const MAX_REMEMBERED = 20_000;

/**
 * Cookie findings repeat (trackers re-set cookies on every hit; Chrome reports a header
 * cookie again through the cookies API): keep one per visit, kind, party and cookie.
 * `cookieKinds` are the kinds the cookie detectors produce.
 */
export function createFindingFilter(cookieKinds: ReadonlySet<FindingKind>) {
  const seen = new Set<string>();
  return (findings: readonly Finding[], fromCookieEvent: boolean): FindingRow[] => {
    const rows: FindingRow[] = [];
    for (const f of findings) {
      if (fromCookieEvent || cookieKinds.has(f.kind)) {
        const key = `${f.pageId}|${f.kind}|${f.party}|${f.evidence.cookieName ?? f.host}`;
        if (seen.has(key)) continue;
        // Forgetting everything at the cap costs at most one repeated finding per key.
        if (seen.size >= MAX_REMEMBERED) seen.clear();
        seen.add(key);
      }
      rows.push({ ...f, page: storableUrl(f.page) });
    }
    return rows;
  };
}
export type FindingFilter = ReturnType<typeof createFindingFilter>;

export function pageRow(page: PageContext, imported: boolean): PageRow {
  return {
    id: page.pageId,
    tabId: page.tabId,
    // A page URL can carry an email (?email=...); at rest it keeps only parameter names then.
    url: storableUrl(page.url),
    site: page.site,
    visitedAt: page.visitedAt,
    imported,
  };
}

export function requestRow(page: PageContext, r: RequestRecord, a: RequestAnalysis): RequestRow {
  return {
    id: r.id,
    pageId: page.pageId,
    site: page.site,
    // Raw personal data never reaches IndexedDB: a URL that carried any (or might: an '@')
    // is stored as origin, path and parameter names only.
    url: storableUrl(
      r.url,
      a.findings.some((f) => f.kind === 'pii-leak'),
    ),
    host: a.party.host,
    party: a.party.domain,
    type: r.type,
    method: r.method,
    initiator: r.initiator,
    status: r.status,
    firstParty: a.party.firstParty,
    tracker: a.party.tracker?.key ?? null,
    time: r.time,
  };
}

/** Analyses one request and hands every row it yields to `sink`. Returns the analysis. */
export function recordRequest(
  analyzer: Analyzer,
  sink: RowSink,
  filter: FindingFilter,
  page: PageContext,
  r: RequestRecord,
): RequestAnalysis {
  const a = analyzer.analyzeRequest(page, r);
  sink.request(requestRow(page, r, a));
  if (a.party.domain) {
    sink.party({
      pageId: page.pageId,
      site: page.site,
      party: a.party,
      time: r.time,
      requests: 1,
      pixels: a.isPixel ? 1 : 0,
      loadedBy: a.loadedBy,
    });
  }
  sink.findings(filter(a.findings, false));
  for (const cookie of a.cookies) {
    // analyzeRequest already ran the cookie detectors on these; only the identifier
    // assessment is taken from analyzeCookie (its findings would be repeats).
    const ca = analyzer.analyzeCookie(page, cookie);
    sink.cookie({
      pageId: page.pageId,
      site: page.site,
      cookie,
      party: a.party.domain ? a.party : ca.party,
      identifierLike: ca.identifierLike,
      entropyBits: ca.entropyBits,
    });
  }
  return a;
}

/** A cookie write seen outside a response (cookies API, page-world hook). */
export function recordCookie(
  analyzer: Analyzer,
  sink: RowSink,
  filter: FindingFilter,
  page: PageContext,
  cookie: CookieEvent,
): void {
  const a = analyzer.analyzeCookie(page, cookie);
  sink.cookie({
    pageId: page.pageId,
    site: page.site,
    cookie,
    party: a.party,
    identifierLike: a.identifierLike,
    entropyBits: a.entropyBits,
  });
  sink.findings(filter(a.findings, true));
}
