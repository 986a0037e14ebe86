// Per-request analysis in core, side by side with Ghostery TrackerDB's matchUrl on the same
// requests in the same process (DESIGN.md, performance budgets).
//
// Method: the corpus is replayed page by page. For each page our side gets a fresh visit
// (pageContext, a few first-party cookies seeded through analyzeCookie, so the leak
// detectors have values to look for) and every request goes through the whole
// analyzeRequest with every registered detector; TrackerDB's side gets matchUrl({url, type,
// sourceUrl}). Each request is timed on its own with performance.now(). The two sides
// alternate which goes first page by page, so machine noise (GC, frequency, the other
// core's load) lands on both. One unrecorded pass warms both (JIT, caches of both sides).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import loadTrackerDBEngine from '@ghostery/trackerdb';
import type { CookieEvent, PageContext, RequestRecord, ResourceType } from '../src/core/model.ts';
import { bundleEntry } from './bundle.ts';
import { loadCorpus, type Corpus, type CorpusPage } from './corpus.ts';
import { Samples } from './stats.ts';

export interface CoreResult {
  requests: number;
  pages: number;
  rounds: number;
  detectors: { request: string[]; cookie: string[] };
  secrets: boolean;
  findingsPerRound: number;
  /** Microseconds per request. */
  ours: Float64Array;
  theirs: Float64Array;
  /** Party + tracker resolution only (URL parse + resolveParty), for the breakdown row. */
  partyOnly: Float64Array;
  /**
   * Token extraction alone (leaks/extract.ts, as the first leak detector makes it), on the
   * third-party requests: the leak detectors ask for tokens on those only.
   */
  extraction: Float64Array;
  /**
   * The glance alone (leaks/glance.ts, as the first leak detector makes it) on the same
   * requests, and how many of them it let the detectors judge without tokens.
   */
  glance: Float64Array;
  glanced: number;
  /**
   * The same analysis without the detectors that read tokens (LEAK_DETECTORS), timed in the
   * same rounds: what is left for party, tracker, pixel and cookie work on its own.
   */
  withoutLeaks: Float64Array;
}

/** The detectors that tokenize a request (they call leaks/extract.ts requestTokens). */
export const LEAK_DETECTORS = [
  'cookie-sharing',
  'id-sync',
  'page-url-leak',
  'pii-leak',
  'ecommerce-leak',
] as const;

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomId(length = 22): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += ID_CHARS[b % ID_CHARS.length];
  return s;
}

type Core = typeof import('./core-entry.ts');

/**
 * The first-party cookies a typical publisher page has: GA, Meta, its own visitor id.
 * `random` and `id` are replaceable so that bench/findings-digest.ts gets the same cookies
 * on every run.
 */
export function seedCookies(
  parseUrl: (url: string) => { host: string },
  page: CorpusPage,
  now: number,
  random: () => number = Math.random,
  id: () => string = () => randomId(),
): CookieEvent[] {
  const host = parseUrl(page.url).host;
  if (!host) return [];
  const base = {
    domain: host.replace(/^www\./, ''),
    hostOnly: false,
    path: '/',
    expires: now + 365 * 864e5,
    secure: true,
    httpOnly: false,
    sameSite: 'lax' as const,
    partitioned: false,
    removed: false,
    source: 'api' as const,
    requestUrl: null,
    scriptUrl: null,
    time: now,
  };
  const sec = Math.floor(now / 1000);
  const digits = () => String(1e9 + Math.floor(random() * 9e9)).slice(0, 10);
  return [
    { ...base, name: '_ga', value: `GA1.1.${digits()}.${sec}` },
    { ...base, name: '_fbp', value: `fb.1.${now}.${digits()}` },
    { ...base, name: 'visitor_id', value: id() },
  ];
}

/**
 * The page's title, which the extension has for every page (the relay reports it, and
 * page-url-leak looks for it in every third-party request): the capture's own where the
 * corpus has one (the HAR pages), else one that no request carries (the request corpus
 * has no titles), so that it costs what a title costs without making findings up.
 */
export function pageTitle(page: CorpusPage): string {
  return page.title || 'Bench page of the request corpus, its title unknown';
}

/** Registers a canary email and phone, as a user of the options page or --canary would. */
export function registerCanaries(register: Core['registerSecret']): boolean {
  register('email', 'jane.canary@leakwatch-bench.example');
  register('phone', '+1 415 555 0132');
  return true;
}

/** Our resource types in the adblocker's vocabulary. */
function adblockType(t: ResourceType): string {
  if (t === 'xmlhttprequest') return 'xhr';
  if (t === 'beacon') return 'ping';
  if (t === 'main_frame') return 'document';
  if (t === 'sub_frame') return 'subdocument';
  if (t === 'csp_report') return 'other';
  return t;
}

type MatchUrl = (args: { url: string; type: string; sourceUrl: string }) => unknown;

async function loadReference(): Promise<MatchUrl> {
  const require = createRequire(import.meta.url);
  const enginePath = join(
    require.resolve('@ghostery/trackerdb').replace(/dist[/\\]cjs[/\\]index\.js$/, ''),
    'dist/trackerdb.engine',
  );
  const db = await loadTrackerDBEngine(readFileSync(enginePath));
  return (args) => db.matchUrl(args as Parameters<typeof db.matchUrl>[0]);
}

export interface CoreOptions {
  rounds?: number;
  /** A prebuilt bundle of core-entry.ts (before/after comparisons); built fresh when omitted. */
  bundle?: string;
  log?: (line: string) => void;
}

export async function runCoreBench(opts: CoreOptions = {}): Promise<CoreResult> {
  const rounds = opts.rounds ?? 3;
  const log = opts.log ?? (() => undefined);
  const corpus: Corpus = loadCorpus();
  log(`core: ${corpus.requests} requests on ${corpus.pages.length} pages`);
  const core = (await import(
    opts.bundle ?? (await bundleEntry('bench/core-entry.ts', 'core'))
  )) as Core;
  const { createAnalyzer, defaultKnowledge, parseUrl, requestTokens, requestGlance, resolveParty } =
    core;
  const { REQUEST_DETECTORS, COOKIE_DETECTORS } = core;
  const secrets = registerCanaries(core.registerSecret);
  const matchUrl = await loadReference();
  const kb = defaultKnowledge();
  const analyzer = createAnalyzer(kb);
  const leakIds: readonly string[] = LEAK_DETECTORS;
  const noLeaks = createAnalyzer(kb, {
    requestDetectors: REQUEST_DETECTORS.filter((d) => !leakIds.includes(d.id)),
  });

  const ours = new Samples(corpus.requests * rounds);
  const withoutLeaks = new Samples(corpus.requests * rounds);
  const theirs = new Samples(corpus.requests * rounds);
  const partyOnly = new Samples(corpus.requests * rounds);
  const extraction = new Samples(corpus.requests);
  const glance = new Samples(corpus.requests);
  let glanced = 0;
  let findings = 0;
  let sink = 0; // keeps results alive so nothing is optimized away

  const runAnalyzer = (
    an: typeof analyzer,
    out: Samples,
    page: CorpusPage,
    pageId: string,
    record: boolean,
  ) => {
    const now = page.requests[0]?.time ?? Date.now();
    const ctx: PageContext = an.pageContext(pageId, page.url, 1, now);
    an.setPageTitle(pageId, pageTitle(page));
    for (const c of seedCookies(core.parseUrl, page, now)) an.analyzeCookie(ctx, c);
    for (const r of page.requests) {
      // A fresh object per request, as live capture makes: per-record caches must not hit.
      const req: RequestRecord = { ...r };
      const t0 = performance.now();
      const a = an.analyzeRequest(ctx, req);
      const t1 = performance.now();
      if (record) {
        out.push((t1 - t0) * 1000);
        if (an === analyzer) findings += a.findings.length;
      }
      sink += a.findings.length;
    }
    an.endPage(pageId);
  };
  const runOurs = (page: CorpusPage, pageId: string, record: boolean) =>
    runAnalyzer(analyzer, ours, page, pageId, record);
  const runNoLeaks = (page: CorpusPage, pageId: string, record: boolean) =>
    runAnalyzer(noLeaks, withoutLeaks, page, `${pageId}-no-leaks`, record);
  const runTheirs = (page: CorpusPage, record: boolean) => {
    for (const r of page.requests) {
      const t0 = performance.now();
      const m = matchUrl({ url: r.url, type: adblockType(r.type), sourceUrl: page.url });
      const t1 = performance.now();
      if (record) theirs.push((t1 - t0) * 1000);
      sink += m ? 1 : 0;
    }
  };
  const runPartyOnly = (page: CorpusPage) => {
    const ctx = { site: '', organization: null as string | null };
    ({ site: ctx.site, organization: ctx.organization } = analyzer.pageContext(
      'party-only',
      page.url,
      1,
      0,
    ));
    for (const r of page.requests) {
      const t0 = performance.now();
      const u = parseUrl(r.url);
      const p = resolveParty(kb, ctx, u.host, u.search ? `${u.pathname}?${u.search}` : u.pathname);
      const t1 = performance.now();
      partyOnly.push((t1 - t0) * 1000);
      sink += p.firstParty ? 1 : 0;
      if (p.firstParty) continue;
      // A fresh record and context, as the analyzer gives the first detector that asks.
      const req: RequestRecord = { ...r };
      const t2 = performance.now();
      const x = requestTokens(req, { url: u });
      const t3 = performance.now();
      extraction.push((t3 - t2) * 1000);
      sink += x.tokens.length;
      const again: RequestRecord = { ...r };
      const t4 = performance.now();
      const g = requestGlance(again, { url: u });
      const t5 = performance.now();
      glance.push((t5 - t4) * 1000);
      if (g !== null) glanced++;
    }
    analyzer.endPage('party-only');
  };

  for (let round = -1; round < rounds; round++) {
    const record = round >= 0;
    const t = performance.now();
    corpus.pages.forEach((page, i) => {
      const pageId = `bench-${round}-${i}`;
      // Each side goes first, second and third in turn, so noise lands on all three.
      const sides = [
        () => runOurs(page, pageId, record),
        () => runTheirs(page, record),
        () => runNoLeaks(page, pageId, record),
      ];
      const first = (i + round + 3) % 3;
      for (let k = 0; k < 3; k++) (sides[(first + k) % 3] as () => void)();
      if (record && round === 0) runPartyOnly(page);
    });
    log(
      `core: ${record ? `round ${round + 1}/${rounds}` : 'warm-up'} ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  if (sink === -1) log('unreachable');

  return {
    requests: corpus.requests,
    pages: corpus.pages.length,
    rounds,
    detectors: {
      request: REQUEST_DETECTORS.map((d) => d.id),
      cookie: COOKIE_DETECTORS.map((d) => d.id),
    },
    secrets,
    findingsPerRound: Math.round(findings / rounds),
    ours: ours.values(),
    theirs: theirs.values(),
    partyOnly: partyOnly.values(),
    extraction: extraction.values(),
    glance: glance.values(),
    glanced,
    withoutLeaks: withoutLeaks.values(),
  };
}
