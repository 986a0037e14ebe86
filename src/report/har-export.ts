// HAR 1.2 export of captured requests. The store never keeps bodies, header values or
// cookie values, so the HAR has none either: URLs, methods, types, statuses and timing
// order only. Fields HAR requires but we never had are filled with the spec's "unknown"
// values (-1 sizes, empty strings), and our extras use the spec's leading-underscore rule.
import type { Report, ReportPage } from './types.ts';

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarEntry {
  pageref: string;
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    content: { size: number; mimeType: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  _resourceType: string;
  _initiator: string | null;
  _party: string;
  _firstParty: boolean;
  _tracker: string | null;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: {
      startedDateTime: string;
      id: string;
      title: string;
      pageTimings: Record<string, never>;
    }[];
    entries: HarEntry[];
  };
}

function queryString(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/**
 * Which exported page a request belongs to. A report request names its page by URL only,
 * and one URL can be visited many times (a HAR of three loads of a page, a site audited
 * on several days): a request goes to the last visit of its page's URL that had started
 * by the request's time (the first visit if none had, a clock step). Requests of a page
 * that failed, or of no exported page, get no page ('').
 */
function pageRefs(loaded: readonly ReportPage[]): (page: string, time: string) => string {
  const visits = new Map<string, { at: number; id: string }[]>();
  loaded.forEach((p, i) => {
    const list = visits.get(p.url) ?? [];
    list.push({ at: Date.parse(p.visitedAt), id: `page_${i + 1}` });
    visits.set(p.url, list);
  });
  for (const list of visits.values()) list.sort((a, b) => a.at - b.at);
  return (page, time) => {
    const list = visits.get(page);
    if (!list || list.length === 0) return '';
    const at = Date.parse(time);
    // Binary search for the last visit started at or before `at`.
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((list[mid] as { at: number }).at <= at) lo = mid;
      else hi = mid - 1;
    }
    return (list[lo] as { id: string }).id;
  };
}

export function reportToHar(report: Report): Har {
  const loaded = report.pages.filter((p) => p.error === null);
  const pageOf = pageRefs(loaded);
  return {
    log: {
      version: '1.2',
      creator: { name: report.generator.name, version: report.generator.version },
      pages: loaded.map((p, i) => ({
        startedDateTime: p.visitedAt,
        id: `page_${i + 1}`,
        title: p.url,
        pageTimings: {},
      })),
      entries: report.requests.map((r) => ({
        pageref: pageOf(r.page, r.time),
        startedDateTime: r.time,
        time: 0,
        request: {
          method: r.method,
          url: r.url,
          httpVersion: '',
          cookies: [],
          headers: [],
          queryString: queryString(r.url),
          headersSize: -1,
          bodySize: -1,
        },
        response: {
          // HAR's convention for "no response" (blocked, failed) is status 0.
          status: r.status ?? 0,
          statusText: '',
          httpVersion: '',
          cookies: [],
          headers: [],
          content: { size: 0, mimeType: '' },
          redirectURL: '',
          headersSize: -1,
          bodySize: -1,
        },
        cache: {},
        timings: { send: 0, wait: 0, receive: 0 },
        _resourceType: r.type,
        _initiator: r.initiator,
        _party: r.party,
        _firstParty: r.firstParty,
        _tracker: r.tracker,
      })),
    },
  };
}
