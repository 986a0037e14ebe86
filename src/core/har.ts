// HAR 1.2 (and the 1.1 files WebPagetest writes) → the project's RequestRecords and a page
// list, so the same core analysis runs offline on a capture made elsewhere. Tolerant: a
// malformed entry is skipped with a warning; only input that is not a HAR at all throws,
// and then always a HarError with a one-line message.
import type { Analyzer } from './analysis.ts';
import {
  MAX_BODY_CHARS,
  MAX_TIME,
  type Finding,
  type Header,
  type RequestBody,
  type RequestRecord,
  type ResourceType,
} from './model.ts';
import { headerIn } from './header-name.ts';
import { parseUrl } from './url.ts';

export class HarError extends Error {
  override name = 'HarError';
}

export interface HarPage {
  /** Page id for the analysis: `har-<pageref>`. */
  id: string;
  url: string;
  title: string;
  startedAt: number;
}

export interface HarRequest {
  pageId: string;
  record: RequestRecord;
}

export interface HarConversion {
  pages: HarPage[];
  /** In time order. */
  requests: HarRequest[];
  warnings: string[];
}

/** A file with more entries than this is cut (a HAR of one page view rarely has 2,000). */
export const MAX_HAR_ENTRIES = 50_000;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** A HAR date as a time, or NaN when it is none or outside years 1970–9999. */
function harTime(v: unknown): number {
  const t = Date.parse(str(v));
  return t >= 0 && t <= MAX_TIME ? t : Number.NaN;
}

/** Parses HAR text (or an already parsed object). Throws HarError when it is not a HAR. */
export function convertHar(input: string | unknown): HarConversion {
  let root: unknown = input;
  if (typeof input === 'string') {
    try {
      root = JSON.parse(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
    } catch {
      throw new HarError('not a HAR file: the text is not valid JSON');
    }
  }
  const log = isObj(root) ? root['log'] : undefined;
  if (!isObj(log) || !Array.isArray(log['entries'])) {
    throw new HarError('not a HAR file: no log.entries array');
  }
  const warnings: string[] = [];
  let entries = log['entries'] as unknown[];
  if (entries.length > MAX_HAR_ENTRIES) {
    warnings.push(`only the first ${MAX_HAR_ENTRIES} of ${entries.length} entries were read`);
    entries = entries.slice(0, MAX_HAR_ENTRIES);
  }

  const titles = new Map<string, { title: string; started: number }>();
  for (const p of Array.isArray(log['pages']) ? (log['pages'] as unknown[]) : []) {
    if (!isObj(p) || !str(p['id'])) continue;
    titles.set(str(p['id']), {
      title: str(p['title']),
      started: harTime(p['startedDateTime']),
    });
  }

  const pages = new Map<string, HarPage>();
  /** Page id → where its document redirected to, so the page URL follows the redirects. */
  const redirects = new Map<string, string>();
  const requests: HarRequest[] = [];
  entries.forEach((e, i) => {
    const rec = toRecord(e, i);
    if (!rec) {
      warnings.push(`entry ${i} skipped: no request URL`);
      return;
    }
    // Text that is no URL at all would otherwise become a page's address, or a request with
    // no host that every detector has to make sense of. (data:, blob: and about: parse.)
    if (!parseUrl(rec.url).protocol) {
      warnings.push(`entry ${i} skipped: its request URL is not a URL`);
      return;
    }
    const ref = isObj(e) && str(e['pageref']) ? str(e['pageref']) : '_default';
    const id = `har-${ref}`;
    if (!pages.has(id)) {
      // The page's URL is its first document; HAR pages only have a free-text title.
      const meta = titles.get(ref);
      pages.set(id, {
        id,
        url: rec.url,
        title: meta?.title ?? '',
        startedAt: meta && Number.isFinite(meta.started) ? meta.started : rec.time,
      });
      if (rec.type === 'sub_frame') rec.type = 'main_frame';
      if (rec.redirectUrl) redirects.set(id, rec.redirectUrl);
    } else if (redirects.get(id) === rec.url) {
      const page = pages.get(id);
      if (page) page.url = rec.url;
      rec.type = 'main_frame';
      if (rec.redirectUrl) redirects.set(id, rec.redirectUrl);
      else redirects.delete(id);
    }
    requests.push({ pageId: id, record: rec });
  });
  requests.sort((a, b) => a.record.time - b.record.time);
  return { pages: [...pages.values()], requests, warnings };
}

function headers(v: unknown): Header[] {
  if (!Array.isArray(v)) return [];
  const out: Header[] = [];
  for (const h of v) {
    if (isObj(h) && typeof h['name'] === 'string' && typeof h['value'] === 'string') {
      out.push({ name: h['name'], value: h['value'] });
    }
  }
  return out;
}

const CHROME_TYPES: Record<string, ResourceType> = {
  document: 'sub_frame',
  script: 'script',
  stylesheet: 'stylesheet',
  image: 'image',
  font: 'font',
  media: 'media',
  xhr: 'xmlhttprequest',
  fetch: 'xmlhttprequest',
  eventsource: 'xmlhttprequest',
  ping: 'ping',
  beacon: 'beacon',
  websocket: 'websocket',
  cspviolationreport: 'csp_report',
};

/** Chrome's `_resourceType` when present, else a guess from the response MIME type. */
function resourceType(entry: Json, mime: string): ResourceType {
  const t = CHROME_TYPES[str(entry['_resourceType']).toLowerCase()];
  if (t) return t;
  const m = mime.toLowerCase();
  if (m.startsWith('image/')) return 'image';
  if (m.includes('javascript') || m.includes('ecmascript')) return 'script';
  if (m.includes('css')) return 'stylesheet';
  if (m.includes('html')) return 'sub_frame';
  if (m.includes('font') || m.includes('woff')) return 'font';
  if (m.includes('json') || m.includes('xml')) return 'xmlhttprequest';
  if (m.startsWith('video/') || m.startsWith('audio/')) return 'media';
  return 'other';
}

function body(request: Json): RequestBody | null {
  const pd = request['postData'];
  if (!isObj(pd)) return null;
  const text = str(pd['text']);
  if (text) {
    const truncated = text.length > MAX_BODY_CHARS;
    return {
      kind: 'text',
      text: truncated ? text.slice(0, MAX_BODY_CHARS) : text,
      truncated,
      binary: false,
    };
  }
  if (!Array.isArray(pd['params'])) return null;
  const fields: Record<string, string[]> = {};
  let size = 0;
  for (const p of pd['params'] as unknown[]) {
    if (!isObj(p) || typeof p['name'] !== 'string') continue;
    const value = typeof p['value'] === 'string' ? p['value'] : jsonText(p['value'] ?? '');
    size += value.length;
    if (size > MAX_BODY_CHARS) return { kind: 'form', fields, truncated: true };
    (fields[p['name']] ??= []).push(value);
  }
  return { kind: 'form', fields, truncated: false };
}

/** JSON.stringify recurses: a parsed file nested 100,000 deep would overflow the stack. */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function toRecord(e: unknown, index: number): RequestRecord | null {
  if (!isObj(e) || !isObj(e['request'])) return null;
  const request = e['request'];
  const response = isObj(e['response']) ? e['response'] : {};
  const url = str(request['url']);
  if (!url) return null;
  const requestHeaders = headers(request['headers']);
  // Some exporters list cookies only in request.cookies: rebuild the Cookie header.
  const cookies = Array.isArray(request['cookies']) ? (request['cookies'] as unknown[]) : [];
  if (headerIn(requestHeaders, 'cookie') === undefined && cookies.length > 0) {
    const pairs = cookies.filter(isObj).map((c) => `${str(c['name'])}=${str(c['value'])}`);
    if (pairs.length > 0) requestHeaders.push({ name: 'Cookie', value: pairs.join('; ') });
  }
  const responseHeaders = headers(response['headers']);
  const content = isObj(response['content']) ? response['content'] : {};
  const status = num(response['status']);
  const redirect = str(response['redirectURL']);
  const referer = headerIn(requestHeaders, 'referer') ?? null;
  const initiator = str(e['_initiator']);
  const time = harTime(e['startedDateTime']);
  return {
    id: `har-${index}`,
    url,
    method: str(request['method']).toUpperCase() || 'GET',
    type: resourceType(e, str(content['mimeType'])),
    tabId: 0,
    frameId: 0,
    parentFrameId: -1,
    initiator: /^https?:/i.test(initiator) ? initiator : null,
    // HAR has no frame URL; the Referer is the document that made the request unless a
    // referrer policy trimmed it, which is the best approximation a capture offers.
    documentUrl: referer,
    time: Number.isFinite(time) ? time : 0,
    body: body(request),
    requestHeaders,
    // A status is a whole number of three digits; anything else was made up.
    status:
      status !== null && Number.isInteger(status) && status > 0 && status < 1000 ? status : null,
    responseHeaders,
    redirectUrl: redirect ? resolve(redirect, url) : null,
    error: status === 0 ? str(response['_error']) || 'request failed' : null,
    fromCache: false,
  };
}

function resolve(target: string, base: string): string {
  try {
    return new URL(target, base).href;
  } catch {
    return target;
  }
}

/** Runs a converted HAR through an analyzer, page by page; returns every finding. */
export function replayHar(analyzer: Analyzer, har: HarConversion): Finding[] {
  const contexts = new Map(
    har.pages.map((p) => [p.id, analyzer.pageContext(p.id, p.url, 0, p.startedAt)] as const),
  );
  const findings: Finding[] = [];
  for (const { pageId, record } of har.requests) {
    const page = contexts.get(pageId);
    if (page) findings.push(...analyzer.analyzeRequest(page, record).findings);
  }
  for (const p of har.pages) analyzer.endPage(p.id);
  return findings;
}
