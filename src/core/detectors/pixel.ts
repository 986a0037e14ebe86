// pixel: an image, beacon or ping whose purpose is to send data, not to show content
// (notes/detection-methods.md §5.1).
//
// Every rule needs a request that (1) leaves the site (third party, or a host the tracker
// list knows) and (2) carries data (query, path parameters, body or Cookie header). Then
// one of these must hold, checked in this order and named in the finding:
//   beacon / ping          sendBeacon or <a ping>: data-only by construction
//   tiny-response          an image answered with 204, an empty body, or a GIF/PNG of at
//                          most 100 bytes (a 1x1 pixel; its size is the observable part)
//   pixel-endpoint         a path known to be a collection endpoint (/tr, /collect, ...)
//   tracker-image          an image to a known tracker whose size we cannot see (redirect,
//                          chunked): pixels often answer with a redirect to the next sync
// Ordinary images (a 40 KB JPEG from a CDN, with or without resize parameters) match none.
import type { Header, RequestRecord } from '../model.ts';
import type { ParsedUrl, RequestContext, RequestDetector } from './types.ts';
import { isOwnInfrastructure, makeFinding } from './finding.ts';
import { isHeader } from '../header-name.ts';
import type { PartyInfo } from '../model.ts';

/** A 1x1 GIF is 35-43 bytes, a 1x1 PNG 67-135; real images are larger. */
const TINY_IMAGE_BYTES = 100;

/** Collection endpoints of common pixels, as [path pattern, label]. Lowercased path. */
const PIXEL_ENDPOINTS: readonly [RegExp, string][] = [
  [/^\/tr\/?$/, 'Meta pixel /tr'],
  [/(^|\/)(g|j|r)?\/?collect\/?$/, '/collect analytics hit'],
  [/\/__utm\.gif$/, 'Google Analytics __utm.gif'],
  [/\/i\/adsct$/, 'X (Twitter) /i/adsct'],
  [/^\/activityi?;/, 'Floodlight /activity;'],
  [
    /\/(pagead\/(viewthroughconversion|1p-conversion|1p-user-list|conversion)|ads\/ga-audiences)\b/,
    'Google Ads conversion',
  ],
  [/^\/b\/ss\//, 'Adobe Analytics /b/ss/'],
  [/^\/action\/0$/, 'Microsoft UET /action/0'],
  [
    /(^|\/)(pixel|px|p|t|b|rp|data|track|event|beacon|spacer|blank|clear|trans|1x1)\.(gif|png|jpe?g|webp|bmp)$/,
    'pixel image name',
  ],
  [/(^|\/)(pixel|px|beacon|ping|gen_204|generate_204|pagead\/landing)\/?$/, 'pixel endpoint name'],
];

/**
 * Any of PIXEL_ENDPOINTS, as one pattern: most paths match none, and one test of this
 * costs less than ten. Only a path it matches is tried pattern by pattern, in order, for
 * the label.
 */
const ANY_ENDPOINT = new RegExp(PIXEL_ENDPOINTS.map(([re]) => `(?:${re.source})`).join('|'));

export const pixel: RequestDetector = {
  id: 'pixel',
  kinds: ['pixel'],
  detectRequest(req: RequestRecord, ctx: RequestContext) {
    const { party, url } = ctx;
    if (!party.host) return [];
    // First party counts only when the list knows the host as someone else's tracker.
    if (party.firstParty && (!party.tracker || isOwnInfrastructure(party, ctx.page.organization))) {
      return [];
    }
    const data = carriedData(req, url);
    if (!data) return [];
    const resp = responseShape(req.responseHeaders, req.status);
    const rule = firedRule(req, url, ctx, resp);
    if (!rule) return [];
    const what =
      rule.id === 'beacon' || rule.id === 'ping'
        ? `A ${rule.id === 'ping' ? 'ping/beacon' : 'sendBeacon'} request`
        : req.type === 'image'
          ? 'An image request'
          : 'A request';
    return [
      makeFinding({
        kind: 'pixel',
        page: ctx.page,
        party,
        requestUrl: url.href,
        time: req.time,
        explanation:
          `${what} to ${party.host}${owner(party)} sent data (${summary(data, url)}) ` +
          `and is a tracking pixel: ${rule.why}.`,
        evidence: {
          rule: `pixel:${rule.id}`,
          location: LOCATION[data],
          details: {
            type: req.type,
            method: req.method,
            status: req.status ?? -1,
            contentLength: resp.length ?? -1,
            contentType: resp.type,
            params: url.params.length,
            ...(rule.endpoint ? { endpoint: rule.endpoint } : {}),
          },
        },
      }),
    ];
  },
};

function owner(party: PartyInfo): string {
  return party.organization && party.organization !== party.domain
    ? ` (${party.organization})`
    : '';
}

interface Rule {
  id: 'beacon' | 'ping' | 'tiny-response' | 'pixel-endpoint' | 'tracker-image';
  why: string;
  endpoint?: string;
}

function firedRule(
  req: RequestRecord,
  url: ParsedUrl,
  ctx: RequestContext,
  resp: ResponseShape,
): Rule | null {
  if (req.type === 'beacon')
    return { id: 'beacon', why: 'navigator.sendBeacon exists to send data' };
  // Chrome reports sendBeacon as `ping` too, so the wording stays neutral.
  if (req.type === 'ping') return { id: 'ping', why: 'ping requests exist only to send data' };
  const ok = req.status !== null && req.status >= 200 && req.status < 300;
  if (req.type === 'image' && ok) {
    if (req.status === 204) return { id: 'tiny-response', why: 'its response was empty (204)' };
    if (resp.length === 0) return { id: 'tiny-response', why: 'its response was empty (0 bytes)' };
    if (
      resp.length !== null &&
      resp.length <= TINY_IMAGE_BYTES &&
      /^image\/(gif|png)/.test(resp.type)
    ) {
      return { id: 'tiny-response', why: `its response was a ${resp.length}-byte image` };
    }
  }
  const endpoint = pixelEndpoint(url.pathname);
  if (endpoint) {
    const typeOk =
      req.type === 'image' ||
      req.type === 'sub_frame' ||
      req.type === 'other' ||
      (req.type === 'xmlhttprequest' && (req.method === 'GET' || isTiny(resp, req.status)));
    if (typeOk) {
      return {
        id: 'pixel-endpoint',
        why: `the path is a known collection endpoint (${endpoint})`,
        endpoint,
      };
    }
  }
  const unknownSize =
    resp.length === null || (req.status !== null && req.status >= 300 && req.status < 400);
  if (req.type === 'image' && ctx.party.tracker && unknownSize) {
    return {
      id: 'tracker-image',
      why: `it is an image from a known tracker (${ctx.party.tracker.name})`,
    };
  }
  return null;
}

function pixelEndpoint(pathname: string): string | null {
  const p = pathname.toLowerCase();
  if (!ANY_ENDPOINT.test(p)) return null;
  for (const [re, label] of PIXEL_ENDPOINTS) if (re.test(p)) return label;
  return null;
}

interface ResponseShape {
  length: number | null;
  type: string;
}

function responseShape(headers: readonly Header[], status: number | null): ResponseShape {
  let length: number | null = status === 204 ? 0 : null;
  let type = '';
  for (const h of headers ?? []) {
    if (isHeader(h.name, 'content-length') && /^\s*\d+\s*$/.test(h.value)) length = Number(h.value);
    else if (isHeader(h.name, 'content-type')) type = h.value.toLowerCase().trim();
  }
  return { length, type };
}

function isTiny(resp: ResponseShape, status: number | null): boolean {
  return status === 204 || (resp.length !== null && resp.length <= TINY_IMAGE_BYTES);
}

/**
 * What data a request carries (its wording, summary below, is only made for a finding):
 * query parameters, path parameters, a body seen, a POST beacon whose body was not seen,
 * or cookies.
 */
type CarriedData = 'query' | 'path' | 'body' | 'post' | 'cookie-header';

const LOCATION = {
  query: 'query',
  path: 'path',
  body: 'body',
  post: 'body',
  'cookie-header': 'cookie-header',
} as const;

function summary(data: CarriedData, url: ParsedUrl): string {
  const n = url.params.length;
  switch (data) {
    case 'query':
      return `${n} query parameter${n === 1 ? '' : 's'}`;
    case 'path':
      return 'path parameters';
    case 'body':
      return 'a request body';
    case 'post':
      return 'a POST body';
    default:
      return 'its cookies';
  }
}

/** What data the request carries, or null when it sends nothing beyond its bare URL. */
function carriedData(req: RequestRecord, url: ParsedUrl): CarriedData | null {
  // Any query counts (§5.1: search.length > 1): `?https://next.example` carries a URL too.
  if (url.params.length > 0 && url.search.length > 1) return 'query';
  // DoubleClick-style `;key=value` path parameters.
  if (/;[^;=/]+=[^;]/.test(url.pathname)) return 'path';
  if (
    req.body &&
    (req.body.kind === 'form' ? Object.keys(req.body.fields).length > 0 : req.body.text.length > 0)
  ) {
    return 'body';
  }
  if (req.type === 'beacon' || req.type === 'ping') {
    // Bodies are often not observable (Chrome gives none for some beacons); sending is the point.
    if (req.method === 'POST') return 'post';
  }
  if ((req.requestHeaders ?? []).some((h) => isHeader(h.name, 'cookie') && h.value.trim() !== '')) {
    return 'cookie-header';
  }
  return null;
}
