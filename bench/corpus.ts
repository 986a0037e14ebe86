// The real request corpus the core bench replays: every line of the Privacy Pioneer
// request list and every entry of the HAR captures in ../shared/bench-data, grouped by page
// so that each page can get its own fresh analysis state (as a real visit does).
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { convertHar } from '../src/core/har.ts';
import type { RequestRecord, ResourceType } from '../src/core/model.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const BENCH_DATA = resolve(ROOT, '../shared/bench-data');
const JSONL = join(BENCH_DATA, 'privacy-pioneer-requests.jsonl');
const HAR_DIR = join(BENCH_DATA, 'hars');

export interface CorpusPage {
  /** Where the page came from ('privacy-pioneer' or the HAR file name). */
  source: string;
  url: string;
  title: string;
  requests: RequestRecord[];
}

export interface Corpus {
  pages: CorpusPage[];
  requests: number;
  jsonlRequests: number;
  harRequests: number;
}

/** A current desktop Chrome user agent: webRequest shows it on every request. */
export const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const IMAGE = /\.(gif|png|jpe?g|webp|svg|ico|bmp|avif)(?:$|[?#;])/i;
const SCRIPT = /\.m?js(?:$|[?#;])/i;
const STYLE = /\.css(?:$|[?#;])/i;
const FONT = /\.(woff2?|ttf|otf|eot)(?:$|[?#;])/i;
const FRAME = /\.html?(?:$|[?#;])/i;

/**
 * The Privacy Pioneer list has no resource type; guess it from the path the way the
 * request most likely went (a .js file is a script, a .gif a pixel, the rest fetch/XHR).
 */
function guessType(url: string): ResourceType {
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '');
  if (SCRIPT.test(path)) return 'script';
  if (IMAGE.test(path)) return 'image';
  if (STYLE.test(path)) return 'stylesheet';
  if (FONT.test(path)) return 'font';
  if (FRAME.test(path)) return 'sub_frame';
  return 'xmlhttprequest';
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/**
 * A RequestRecord as the platform adapter builds it from webRequest: Chrome's default
 * referrer policy (strict-origin-when-cross-origin) sends the full page URL to the same
 * origin and only the origin elsewhere; the initiator is the page's origin.
 */
function liveRecord(page: string, url: string, i: number, time: number): RequestRecord {
  const pageOrigin = originOf(page);
  const sameOrigin = originOf(url) === pageOrigin;
  return {
    id: `pp-${i}`,
    url,
    method: 'GET',
    type: guessType(url),
    tabId: 1,
    frameId: 0,
    parentFrameId: -1,
    initiator: pageOrigin || null,
    documentUrl: page,
    time,
    body: null,
    requestHeaders: [
      { name: 'User-Agent', value: USER_AGENT },
      { name: 'Accept', value: '*/*' },
      { name: 'Referer', value: sameOrigin ? page : `${pageOrigin}/` },
    ],
    status: 200,
    responseHeaders: [],
    redirectUrl: null,
    error: null,
    fromCache: false,
  };
}

function loadJsonl(time: number): CorpusPage[] {
  const byPage = new Map<string, CorpusPage>();
  const lines = readFileSync(JSONL, 'utf8').split('\n');
  let i = 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { page?: unknown; url?: unknown };
    if (typeof row.page !== 'string' || typeof row.url !== 'string') continue;
    let page = byPage.get(row.page);
    if (!page) {
      page = { source: 'privacy-pioneer', url: row.page, title: '', requests: [] };
      byPage.set(row.page, page);
    }
    page.requests.push(liveRecord(row.page, row.url, i++, time + i));
  }
  return [...byPage.values()];
}

function loadHars(): CorpusPage[] {
  const out: CorpusPage[] = [];
  for (const file of readdirSync(HAR_DIR)
    .filter((f) => f.endsWith('.har'))
    .sort()) {
    const har = convertHar(readFileSync(join(HAR_DIR, file), 'utf8'));
    const byId = new Map<string, CorpusPage>();
    for (const p of har.pages) {
      const page: CorpusPage = { source: file, url: p.url, title: p.title, requests: [] };
      byId.set(p.id, page);
      out.push(page);
    }
    for (const r of har.requests) byId.get(r.pageId)?.requests.push(r.record);
  }
  return out.filter((p) => p.requests.length > 0);
}

export function loadCorpus(time = Date.parse('2025-01-15T12:00:00Z')): Corpus {
  const jsonl = loadJsonl(time);
  const hars = loadHars();
  const count = (ps: CorpusPage[]) => ps.reduce((n, p) => n + p.requests.length, 0);
  const jsonlRequests = count(jsonl);
  const harRequests = count(hars);
  return {
    pages: [...jsonl, ...hars],
    requests: jsonlRequests + harRequests,
    jsonlRequests,
    harRequests,
  };
}
