// Builds detector contexts the way the analyzer does, for direct detector tests.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type {
  CookieContext,
  PageState,
  RequestContext,
} from '../../../src/core/detectors/types.ts';
import type { CookieEvent, PageContext, RequestRecord } from '../../../src/core/model.ts';
import { pageParty, resolveParty } from '../../../src/core/party.ts';
import { defaultKnowledge } from '../../../src/core/trackers.ts';
import { parseUrl } from '../../../src/core/url.ts';
import { T0 } from './records.ts';

export const kb = defaultKnowledge();

export function page(url: string, pageId = 'p1'): PageContext {
  const { site, organization } = pageParty(kb, parseUrl(url).host);
  return { pageId, url, site, organization, tabId: 1, visitedAt: T0 };
}

export function newState(): PageState {
  return { cookies: new Map(), scratch: new Map() };
}

export function requestContext(
  p: PageContext,
  req: RequestRecord,
  state = newState(),
): RequestContext {
  const url = parseUrl(req.url);
  const path = url.search ? `${url.pathname}?${url.search}` : url.pathname;
  return { page: p, party: resolveParty(kb, p, url.host, path), url, state };
}

export function cookieContext(p: PageContext, c: CookieEvent, state = newState()): CookieContext {
  return { page: p, party: resolveParty(kb, p, c.domain, ''), state, now: c.time };
}

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/events');

interface RequestFixtures {
  ferguson: { pageUrl: string; requests: { label: string; record: RequestRecord }[] };
  nytimes: { pageUrl: string; requests: { label: string; record: RequestRecord }[] };
}
export const requestFixtures = JSON.parse(
  readFileSync(resolve(FIXTURES, 'requests.json'), 'utf8'),
) as RequestFixtures;

/** A recorded request by label, with its page. */
export function recorded(label: string): { page: PageContext; req: RequestRecord } {
  for (const site of [requestFixtures.ferguson, requestFixtures.nytimes]) {
    const r = site.requests.find((x) => x.label === label);
    if (r) return { page: page(site.pageUrl), req: r.record };
  }
  throw new Error(`no fixture ${label}`);
}

interface CookieFixtures {
  time: number;
  cookies: { label: string; expect: { identifier: boolean }; cookie: Partial<CookieEvent> }[];
}
export const cookieFixtures = JSON.parse(
  readFileSync(resolve(FIXTURES, 'cookies.json'), 'utf8'),
) as CookieFixtures;
