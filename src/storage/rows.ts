// Analysis results → the stored row shapes of src/storage/db.ts. This is the one place
// that maps a RequestAnalysis/CookieAnalysis onto the writer's calls, so live capture (the
// background pipeline) and offline HAR analysis (the CLI, the report page's import) store
// exactly the same rows. Pure: the sink is the storage writer or anything shaped like it.
import type { Analyzer, CookieAnalysis, RequestAnalysis } from '../core/analysis.ts';
import type {
  CookieEvent,
  Finding,
  FindingKind,
  PageContext,
  PartyInfo,
  RequestRecord,
} from '../core/model.ts';
import { storableUrl } from '../core/leaks/common.ts';
import { maskEmailsIn } from '../core/leaks/mask.ts';
import { findEmails } from '../core/leaks/email.ts';
import { extractRequest, extractUrl } from '../core/leaks/extract.ts';
import { glanceOf } from '../core/leaks/glance.ts';
import { defaultSecrets, type Secret } from '../core/leaks/secrets.ts';
import type { VariantIndex } from '../core/leaks/match.ts';
import type { FindingRow, PageRow, RequestRow } from './db.ts';
import type { CookieObservation, Writer } from './writer.ts';

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
  /** `sensitive`: the request is known to carry personal data (a pii-leak finding). */
  return (
    findings: readonly Finding[],
    fromCookieEvent: boolean,
    sensitive = false,
  ): FindingRow[] => {
    const rows: FindingRow[] = [];
    for (const f of findings) {
      if (fromCookieEvent || cookieKinds.has(f.kind)) {
        const key = `${f.pageId}|${f.kind}|${f.party}|${f.evidence.cookieName ?? f.host}`;
        if (seen.has(key)) continue;
        // Forgetting everything at the cap costs at most one repeated finding per key.
        if (seen.size >= MAX_REMEMBERED) seen.clear();
        seen.add(key);
      }
      // A cookie's name is the page's choice, an address included: masked where it shows.
      const name = f.evidence.cookieName ?? '';
      const shown = maskEmailsIn(name);
      const named =
        shown === name
          ? f
          : {
              ...f,
              explanation: f.explanation.split(name).join(shown),
              evidence: { ...f.evidence, cookieName: shown },
            };
      // Every detector's finding on a request that carried personal data names that request:
      // its URL is reduced like the request row's, or a pixel finding would keep the raw value.
      rows.push({
        ...named,
        page: storableUrl(f.page, urlCarriesSecret(f.pageId, f.page)),
        requestUrl: f.requestUrl === null ? null : storableUrl(f.requestUrl, sensitive),
      });
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
    url: storableUrl(page.url, urlCarriesSecret(page.pageId, page.url)),
    site: page.site,
    visitedAt: page.visitedAt,
    imported,
  };
}

export function requestRow(
  page: PageContext,
  r: RequestRecord,
  a: RequestAnalysis,
  sensitive = a.findings.some((f) => f.kind === 'pii-leak'),
): RequestRow {
  return {
    id: r.id,
    pageId: page.pageId,
    site: page.site,
    // Raw personal data never reaches IndexedDB: a URL that carried any (or might: an '@')
    // is stored as origin, path and parameter names only.
    url: storableUrl(r.url, sensitive),
    host: a.party.host,
    party: a.party.domain,
    type: r.type,
    method: r.method,
    // An origin when the browser gives it, but a HAR's can be any URL, email included.
    initiator:
      r.initiator === null
        ? null
        : storableUrl(r.initiator, urlCarriesSecret(page.pageId, r.initiator)),
    status: r.status,
    firstParty: a.party.firstParty,
    tracker: a.party.tracker?.key ?? null,
    time: r.time,
    ...(r.recovered ? { recovered: true as const } : {}),
  };
}

/** The secret indexes a request on `pageId` is searched in, empty ones left out. */
function secretIndexes(pageId: string): VariantIndex<Secret>[] {
  return defaultSecrets.indexesFor(pageId).filter((i) => i.size > 0);
}

/**
 * True when a request carries a registered canary or a value typed on the page. pii-leak
 * reports only third parties, but a first-party request with the user's phone in its URL
 * must not be stored raw either. Costs nothing until a secret is registered.
 */
function carriesSecret(pageId: string, r: RequestRecord): boolean {
  const indexes = secretIndexes(pageId);
  if (indexes.length === 0) return false;
  // The detectors' glance at this request, when they made one, rules most requests out
  // without tokenizing them (core/leaks/glance.ts).
  const glance = glanceOf(r);
  if (glance !== null && indexes.every((i) => !i.mayMatch(glance))) return false;
  const x = extractRequest(r);
  return indexes.some((i) => i.match(x).length > 0);
}

/**
 * carriesSecret for a URL that is not a request's own: the page's address (a thank-you page
 * with `?phone=` in it) or a request's initiator. Answers are kept while the secrets stay
 * the same: a page's findings all name its URL, and its requests share a few initiators.
 */
const urlChecks = new Map<string, boolean>();
let urlChecksGeneration = -1;
function urlCarriesSecret(pageId: string, url: string): boolean {
  const indexes = secretIndexes(pageId);
  if (indexes.length === 0) return false;
  if (urlChecksGeneration !== defaultSecrets.generation || urlChecks.size >= 256) {
    urlChecks.clear();
    urlChecksGeneration = defaultSecrets.generation;
  }
  const key = `${pageId}\u0000${url}`;
  let holds = urlChecks.get(key);
  if (holds === undefined) {
    const x = extractUrl(url);
    holds = indexes.some((i) => i.match(x).length > 0);
    urlChecks.set(key, holds);
  }
  return holds;
}

/**
 * True when a third-party request carries an email in any decoded form. pii-leak reports an
 * address once per page and party, so the second pixel with the same base64 email has no
 * finding of its own, yet its URL holds the address just the same. A request whose glance
 * may hold one was tokenized by pii-leak, so the extraction here is the detectors' (cached).
 */
function carriesEmail(r: RequestRecord, a: RequestAnalysis): boolean {
  if (a.party.firstParty) return false;
  // No '@' with a dotted domain after it in any text the request's tokens come from: no
  // address (core/leaks/glance.ts).
  const glance = glanceOf(r);
  if (glance !== null && !glance.email) return false;
  return extractRequest(r).tokens.some(
    (t) => t.value.includes('@') && findEmails(t.value).length > 0,
  );
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
  const sensitive =
    a.findings.some((f) => f.kind === 'pii-leak') ||
    carriesSecret(page.pageId, r) ||
    carriesEmail(r, a);
  sink.request(requestRow(page, r, a, sensitive));
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
  sink.findings(filter(a.findings, false, sensitive));
  for (const cookie of a.cookies) {
    // analyzeRequest already ran the cookie detectors on these; only the identifier
    // assessment is taken from analyzeCookie (its findings would be repeats).
    const ca = analyzer.analyzeCookie(page, cookie);
    // The response URL that set the cookie is this request's: reduced the same way.
    const stored =
      sensitive && cookie.requestUrl
        ? { ...cookie, requestUrl: storableUrl(cookie.requestUrl, true) }
        : cookie;
    sink.cookie(cookieObservation(page, stored, ca, a.party.domain ? a.party : ca.party));
  }
  return a;
}

/** The cookie row's observation: the event and the identifier assessment of analyzeCookie. */
export function cookieObservation(
  page: PageContext,
  cookie: CookieEvent,
  a: CookieAnalysis,
  party: PartyInfo = a.party,
): CookieObservation {
  const name = maskEmailsIn(cookie.name);
  return {
    pageId: page.pageId,
    site: page.site,
    cookie: name === cookie.name ? cookie : { ...cookie, name },
    party,
    identifierLike: a.identifierLike,
    entropyBits: a.entropyBits,
  };
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
  sink.cookie(cookieObservation(page, cookie, a));
  sink.findings(filter(a.findings, true));
}
