// Converts HAR 1.2 entries (the real captures in ../shared/bench-data/hars) into the
// project's RequestRecord, the same shape the platform adapter produces from webRequest.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Header, RequestRecord, ResourceType } from '../../../src/core/model.ts';

export const HAR_DIR = resolve(import.meta.dirname, '../../../../shared/bench-data/hars');

interface HarEntry {
  startedDateTime: string;
  _resourceType?: string;
  _initiator?: string;
  request: { url: string; method: string; headers: Header[]; postData?: { text?: string } };
  response: { status: number; headers: Header[]; content: { size: number; mimeType?: string } };
}

export interface Har {
  pageUrl: string;
  entries: HarEntry[];
}

export function loadHar(name: string): Har {
  const raw = JSON.parse(readFileSync(resolve(HAR_DIR, name), 'utf8')) as {
    log: { entries: HarEntry[] };
  };
  const entries = raw.log.entries;
  return { pageUrl: entries[0]?.request.url ?? '', entries };
}

const CHROME_TYPES: Record<string, ResourceType> = {
  document: 'sub_frame',
  script: 'script',
  stylesheet: 'stylesheet',
  image: 'image',
  font: 'font',
  xhr: 'xmlhttprequest',
  fetch: 'xmlhttprequest',
  ping: 'ping',
  media: 'media',
  other: 'other',
};

/** Chrome HARs name the type; WebPageTest HARs do not, so guess from the MIME type. */
function typeOf(e: HarEntry): ResourceType {
  if (e._resourceType) return CHROME_TYPES[e._resourceType] ?? 'other';
  const mime = e.response.content.mimeType ?? '';
  if (mime.startsWith('image/')) return 'image';
  if (/javascript|ecmascript/.test(mime)) return 'script';
  if (mime.startsWith('text/css')) return 'stylesheet';
  if (mime.startsWith('text/html')) return 'sub_frame';
  if (/font/.test(mime)) return 'font';
  return 'other';
}

export function harToRequest(e: HarEntry, index: number, pageUrl: string): RequestRecord {
  const text = e.request.postData?.text;
  return {
    id: `har-${index}`,
    url: e.request.url,
    method: e.request.method,
    type: index === 0 ? 'main_frame' : typeOf(e),
    tabId: 1,
    frameId: 0,
    parentFrameId: -1,
    initiator: e._initiator || null,
    documentUrl: pageUrl,
    time: Date.parse(e.startedDateTime),
    body: text ? { kind: 'text', text, truncated: false, binary: false } : null,
    requestHeaders: e.request.headers,
    status: e.response.status,
    responseHeaders: e.response.headers,
    redirectUrl: null,
    error: null,
    fromCache: false,
  };
}
