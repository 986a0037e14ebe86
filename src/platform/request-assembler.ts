// Assembles the webRequest stages of one request into a RequestRecord. Pure: no browser
// API here, so recorded Chrome/Firefox `details` can drive it in unit tests.
//
// Stages are keyed by requestId. A redirect ends a hop: the hop is emitted with its
// redirectUrl, and the next onBeforeRequest with the same requestId starts hop n+1
// (record id `${prefix}${requestId}.${n}`). Any stage can open a record, so a request
// whose onBeforeRequest we missed (worker start-up) is still recorded.
import type { RequestRecord } from '../core/model.ts';
import { asRecord, bool, headers, idOf, num, str, type Raw } from './raw.ts';
import { convertRequestBody } from './request-body.ts';
import { normalizeType } from './resource-type.ts';
import { isIgnoredRequestUrl } from './urls.ts';
import { MAX_URL_CHARS } from '../core/model.ts';
import { unanswered } from '../core/request-record.ts';

/** Browser facts about a request that are not part of the portable RequestRecord. */
export interface CaptureMeta {
  /** Chrome: the document that made the request (absent for main_frame). */
  documentId: string | null;
  parentDocumentId: string | null;
  /** Firefox gives this on every event; Chrome never does (see tab lookup). */
  incognito: boolean | null;
}

export interface CapturedRequest {
  record: RequestRecord;
  meta: CaptureMeta;
}

export interface AssemblerOptions {
  onRecord: (captured: CapturedRequest) => void;
  /** Makes record ids unique across browser sessions (requestIds restart at 1). */
  idPrefix: string;
  /** Our extension origin (chrome-extension://id): our own traffic is never recorded. */
  ownOrigin: string | null;
  maxEntries?: number;
  maxAgeMs?: number;
  now?: () => number;
}

interface Entry {
  hop: number;
  /** null between a redirect and the next hop's onBeforeRequest. */
  captured: CapturedRequest | null;
  touched: number;
  ignored: boolean;
}

const EXTENSION_SCHEMES = ['chrome-extension:', 'moz-extension:', 'safari-web-extension:'];

export interface RequestAssembler {
  beforeRequest(details: unknown): void;
  beforeSendHeaders(details: unknown): void;
  headersReceived(details: unknown): void;
  beforeRedirect(details: unknown): void;
  completed(details: unknown): void;
  errorOccurred(details: unknown): void;
  /** Flushes entries untouched for maxAgeMs (as records, never dropped). */
  sweep(): void;
  /** Flushes everything in flight (tests, shutdown). */
  flushAll(): void;
  readonly size: number;
}

export function createRequestAssembler(opts: AssemblerOptions): RequestAssembler {
  const maxEntries = opts.maxEntries ?? 5000;
  const maxAgeMs = opts.maxAgeMs ?? 120_000;
  const now = opts.now ?? Date.now;
  // In flight only: losing this map when the worker stops loses at most the requests
  // that were mid-flight, which the browser would not resend to a new worker anyway.
  const entries = new Map<string, Entry>();
  let events = 0;

  function emit(entry: Entry): void {
    const c = entry.captured;
    entry.captured = null;
    if (c && !entry.ignored) opts.onRecord(c);
  }

  function isOwnOrExtension(d: Raw): boolean {
    for (const key of ['initiator', 'originUrl', 'documentUrl']) {
      const v = str(d, key);
      if (!v) continue;
      if (opts.ownOrigin && v.startsWith(opts.ownOrigin)) return true;
      if (EXTENSION_SCHEMES.some((s) => v.startsWith(s))) return true;
    }
    return false;
  }

  function open(d: Raw, requestId: string, hop: number): Entry {
    const url = (str(d, 'url') ?? '').slice(0, MAX_URL_CHARS);
    const entry: Entry = {
      hop,
      touched: now(),
      ignored: url === '' || isIgnoredRequestUrl(url) || isOwnOrExtension(d),
      captured: null,
    };
    const tabId = num(d, 'tabId') ?? -1;
    entry.captured = {
      record: {
        id: `${opts.idPrefix}${requestId}${hop > 0 ? `.${hop}` : ''}`,
        url,
        method: (str(d, 'method') ?? 'GET').toUpperCase().slice(0, 16),
        type: normalizeType(str(d, 'type')),
        tabId,
        frameId: num(d, 'frameId') ?? 0,
        parentFrameId: num(d, 'parentFrameId') ?? -1,
        // Chrome: initiator (an origin); Firefox: originUrl (a full URL).
        initiator: str(d, 'initiator') ?? str(d, 'originUrl'),
        documentUrl: str(d, 'documentUrl'),
        time: num(d, 'timeStamp') ?? now(),
        ...unanswered(),
      },
      meta: {
        documentId: str(d, 'documentId'),
        parentDocumentId: str(d, 'parentDocumentId'),
        incognito: bool(d, 'incognito'),
      },
    };
    entries.set(requestId, entry);
    return entry;
  }

  /** The open entry for a stage, opening one when an earlier stage was missed. */
  function current(details: unknown): { entry: Entry; d: Raw } | null {
    const d = asRecord(details);
    if (!d) return null;
    const requestId = idOf(d, 'requestId');
    if (!requestId) return null;
    const existing = entries.get(requestId);
    if (existing?.captured) {
      existing.touched = now();
      return { entry: existing, d };
    }
    return { entry: open(d, requestId, existing?.hop ?? 0), d };
  }

  function tick(): void {
    events++;
    if (entries.size > maxEntries) evictOldest(Math.floor(maxEntries * 0.1) + 1);
    if ((events & 255) === 0) sweep();
  }

  function evictOldest(count: number): void {
    // Map iteration follows insertion order, so the first entries are the oldest.
    for (const [key, entry] of entries) {
      if (count-- <= 0) break;
      entries.delete(key);
      emit(entry);
    }
  }

  function sweep(): void {
    const cutoff = now() - maxAgeMs;
    for (const [key, entry] of entries) {
      if (entry.touched > cutoff) continue;
      entries.delete(key);
      emit(entry);
    }
  }

  function finish(details: unknown, apply: (r: RequestRecord, d: Raw) => void): void {
    const found = current(details);
    if (!found) return;
    const { entry, d } = found;
    if (entry.captured) apply(entry.captured.record, d);
    const requestId = idOf(d, 'requestId');
    if (requestId) entries.delete(requestId);
    emit(entry);
  }

  function applyResponse(r: RequestRecord, d: Raw): void {
    const status = num(d, 'statusCode');
    if (status !== null) r.status = status;
    const rh = headers(d['responseHeaders']);
    if (rh.length > 0) r.responseHeaders = rh;
    if (bool(d, 'fromCache')) r.fromCache = true;
  }

  return {
    beforeRequest(details) {
      const d = asRecord(details);
      const requestId = d && idOf(d, 'requestId');
      if (!d || !requestId) return;
      const prior = entries.get(requestId);
      // A second onBeforeRequest without a redirect in between: emit what we have.
      if (prior?.captured) emit(prior);
      const entry = open(d, requestId, prior?.hop ?? 0);
      if (entry.captured) entry.captured.record.body = convertRequestBody(d['requestBody']);
      tick();
    },
    beforeSendHeaders(details) {
      const found = current(details);
      if (!found?.entry.captured) return;
      found.entry.captured.record.requestHeaders = headers(found.d['requestHeaders']);
    },
    headersReceived(details) {
      const found = current(details);
      if (!found?.entry.captured) return;
      applyResponse(found.entry.captured.record, found.d);
    },
    beforeRedirect(details) {
      const found = current(details);
      if (!found) return;
      const { entry, d } = found;
      if (entry.captured) {
        applyResponse(entry.captured.record, d);
        entry.captured.record.redirectUrl = (str(d, 'redirectUrl') ?? '').slice(0, MAX_URL_CHARS);
      }
      emit(entry);
      // Keep a placeholder so the next hop gets the next suffix.
      entry.hop += 1;
      entry.touched = now();
    },
    completed(details) {
      finish(details, applyResponse);
    },
    errorOccurred(details) {
      finish(details, (r, d) => {
        r.error = (str(d, 'error') ?? 'error').slice(0, 200);
        if (bool(d, 'fromCache')) r.fromCache = true;
      });
    },
    sweep,
    flushAll() {
      const all = [...entries.values()];
      entries.clear();
      for (const e of all) emit(e);
    },
    get size() {
      return entries.size;
    },
  };
}
