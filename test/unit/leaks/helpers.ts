// Test helpers for the leak detectors: a RequestRecord builder and an analyzer limited to
// the detectors under test.
import { createAnalyzer } from '../../../src/core/analyzer.ts';
import type { Analyzer } from '../../../src/core/analysis.ts';
import type { CookieEvent, Finding, PageContext, RequestRecord } from '../../../src/core/model.ts';
import type { CookieDetector, RequestDetector } from '../../../src/core/detectors/types.ts';
import { request } from '../helpers/records.ts';

export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
let seq = 0;

export function req(url: string, extra: Partial<RequestRecord> = {}): RequestRecord {
  return request({ id: `r${++seq}`, url, time: NOW, ...extra });
}

export function cookie(
  name: string,
  value: string,
  domain: string,
  extra: Partial<CookieEvent> = {},
): CookieEvent {
  return {
    name,
    value,
    domain,
    hostOnly: false,
    path: '/',
    expires: NOW + 365 * 864e5,
    secure: true,
    httpOnly: false,
    sameSite: 'lax',
    partitioned: false,
    removed: false,
    source: 'api',
    requestUrl: null,
    scriptUrl: null,
    time: NOW,
    ...extra,
  };
}

export interface Harness {
  analyzer: Analyzer;
  page: PageContext;
  request(r: RequestRecord): Finding[];
  cookie(c: CookieEvent): Finding[];
}

export function harness(
  detectors: readonly (RequestDetector | (RequestDetector & CookieDetector))[],
  pageUrl = 'https://shop.example.com/products/blue-shoes?color=blue',
): Harness {
  const cookieDetectors = detectors.filter(
    (d): d is RequestDetector & CookieDetector => 'detectCookie' in d,
  );
  const analyzer = createAnalyzer(undefined, {
    requestDetectors: detectors,
    cookieDetectors,
    onDetectorError: (id, e) => {
      throw new Error(`${id} threw: ${String(e)}`);
    },
  });
  const page = analyzer.pageContext(`p${++seq}`, pageUrl, 1, NOW);
  return {
    analyzer,
    page,
    request: (r) => analyzer.analyzeRequest(page, r).findings,
    cookie: (c) => analyzer.analyzeCookie(page, c).findings,
  };
}
