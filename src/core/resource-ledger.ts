// The page's own record of what it loaded (Resource Timing), used to recover requests the
// background missed. An MV3 worker stopped mid-page loses the webRequest events of its last
// moments and of its restart; the page's Resource Timing entries hold every fetch the
// document made, so after a restart the relay hands them over and the background adds the
// ones it never stored. Pure: the relay collects, the background compares (no browser API).
//
// A recovered request knows only what Resource Timing says: its URL, what kind of element
// or API fetched it, and when. No headers, no body, no status: so URL-borne leaks are found
// and cookie-borne ones cannot be. Its record says so (`recovered: true`).
import * as v from 'valibot';
import { maskUrl } from './leaks/mask.ts';
import { MAX_URL_CHARS, type RequestRecord, type ResourceType } from './model.ts';
import { unanswered } from './request-record.ts';

/** The message the background sends a tab's relays to ask for their ledgers. */
export const LEDGER_REQUEST = 'lw-ledger?';

/** Entries one frame sends at most (a hostile page could fetch a million URLs). */
export const MAX_LEDGER_ENTRIES = 10_000;

/** One Resource Timing entry as the relay sends it. */
export interface LedgerEntry {
  /** The URL fetched (PerformanceResourceTiming.name), capped at MAX_URL_CHARS. */
  url: string;
  /** initiatorType: img, script, fetch, xmlhttprequest, beacon, iframe, link, css... */
  kind: string;
  /** Epoch milliseconds at which the fetch started (timeOrigin + startTime). */
  start: number;
}

/** What one frame's relay sends: its entries and the visit it was told it belongs to. */
export interface ResourceLedger {
  /** The visit the background named when it asked (only such ledgers are reconciled). */
  pageId: string;
  entries: LedgerEntry[];
}

export const resourceLedgerSchema = v.strictObject({
  pageId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  entries: v.pipe(
    v.array(
      v.strictObject({
        url: v.pipe(v.string(), v.maxLength(MAX_URL_CHARS)),
        kind: v.pipe(v.string(), v.maxLength(40)),
        start: v.pipe(v.number(), v.finite()),
      }),
    ),
    v.maxLength(MAX_LEDGER_ENTRIES),
  ),
});

const KIND_TYPES: Readonly<Record<string, ResourceType>> = {
  img: 'image',
  image: 'image',
  input: 'image',
  script: 'script',
  css: 'image', // url() in a stylesheet: images and fonts, mostly images
  link: 'stylesheet',
  iframe: 'sub_frame',
  frame: 'sub_frame',
  fetch: 'xmlhttprequest',
  xmlhttprequest: 'xmlhttprequest',
  beacon: 'ping',
  ping: 'ping',
  video: 'media',
  audio: 'media',
  track: 'media',
  embed: 'object',
  object: 'object',
};

/** The webRequest type closest to a Resource Timing initiatorType. */
export function typeOfKind(kind: string): ResourceType {
  return KIND_TYPES[kind] ?? 'other';
}

/**
 * The entries with no stored request, in ledger order. Stored URLs are compared as a
 * multiset (a pixel fetched twice is two requests): first exactly, then, for stored URLs
 * that were masked at rest because they carried personal data (origin, path and parameter
 * names only), by that masked form. Ambiguity only ever makes a request count as stored:
 * recovery may miss one, it never duplicates one.
 */
export function missingEntries(
  entries: readonly LedgerEntry[],
  storedUrls: readonly string[],
): LedgerEntry[] {
  const exact = new Map<string, number>();
  for (const u of storedUrls) exact.set(u, (exact.get(u) ?? 0) + 1);
  const unmatched: LedgerEntry[] = [];
  for (const e of entries) {
    if (!isFetchable(e.url)) continue;
    const n = exact.get(e.url) ?? 0;
    if (n > 0) exact.set(e.url, n - 1);
    else unmatched.push(e);
  }
  if (unmatched.length === 0) return unmatched;
  // What is left of the stored URLs, keyed by their masked form.
  const masked = new Map<string, number>();
  for (const [u, n] of exact) {
    if (n <= 0) continue;
    const k = safeMask(u);
    masked.set(k, (masked.get(k) ?? 0) + n);
  }
  const missing: LedgerEntry[] = [];
  for (const e of unmatched) {
    const k = safeMask(e.url);
    const n = masked.get(k) ?? 0;
    if (n > 0) masked.set(k, n - 1);
    else missing.push(e);
  }
  return missing;
}

/** The request record of a recovered entry, for the normal analysis and writer path. */
export function recoveredRecord(
  e: LedgerEntry,
  ctx: { id: string; tabId: number; frameId: number; frameUrl: string },
): RequestRecord {
  return {
    id: ctx.id,
    url: e.url.slice(0, MAX_URL_CHARS),
    method: 'GET',
    type: typeOfKind(e.kind),
    tabId: ctx.tabId,
    frameId: ctx.frameId,
    parentFrameId: -1,
    initiator: originOf(ctx.frameUrl),
    documentUrl: ctx.frameUrl,
    time: e.start,
    ...unanswered(),
    recovered: true,
  };
}

/** Only network fetches have webRequest events (Resource Timing also lists data: etc.). */
function isFetchable(url: string): boolean {
  return /^(?:https?|wss?):\/\//i.test(url);
}

function safeMask(url: string): string {
  try {
    return maskUrl(url);
  } catch {
    return url;
  }
}

function originOf(url: string): string | null {
  try {
    const o = new URL(url).origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
}
