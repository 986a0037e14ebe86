// The message protocol between extension pages (popup, report) and the background, in one
// place: message name → request and response types. Messages are commands and per-tab
// lookups only; pages read stored data directly from IndexedDB (liveQuery).
import * as v from 'valibot';
import { REPORT_REQUEST_SCHEMAS, type ReportProtocol } from './report-protocol.ts';
import type { TagEdge } from '../core/pageworld/tag-chain.ts';
import type { CanaryPreview } from '../core/leaks/secrets.ts';

/** Canaries kept per browser session (src/background/canaries.ts). */
export const MAX_CANARIES = 32;
export const MAX_CANARY_CHARS = 256;
export interface CanaryList {
  /** Masked previews only: the raw values never travel back to a page. */
  canaries: CanaryPreview[];
}

export interface TabPage {
  pageId: string;
  url: string;
  site: string;
}

export interface Protocol extends ReportProtocol {
  /** Readiness handshake: answers only once the background finished its start-up. */
  ping: { request: Record<string, never>; response: { ready: true; bootId: string } };
  /** Writes every buffered row; answers when committed (tests use it instead of sleeping). */
  flush: { request: Record<string, never>; response: { flushed: true } };
  /** The current visit of a tab, or null when the tab has none we recorded. */
  getTabPage: { request: { tabId: number }; response: TabPage | null };
  /**
   * Adds canary values to watch for in every request (the CLI's --canary); memory only (the
   * extension keeps its list in storage.session). Answers how many were long enough to match.
   */
  registerCanaries: { request: { values: string[] }; response: { registered: number } };
  /** Replaces the whole canary list (the report page's Data view; [] clears it). */
  setCanaries: { request: { values: string[] }; response: CanaryList };
  /** The registered canaries, masked. */
  getCanaries: { request: Record<string, never>; response: CanaryList };
  /** Removes one canary by its position in getCanaries' list. */
  removeCanary: { request: { index: number }; response: CanaryList };
  /** Which script loaded what on a visit, from the page-world instrumentation (memory only). */
  getTagChain: { request: { pageId: string }; response: TagEdge[] };
}

export type MessageName = keyof Protocol;
export type RequestOf<K extends MessageName> = Protocol[K]['request'];
export type ResponseOf<K extends MessageName> = Protocol[K]['response'];

/** What travels over runtime.sendMessage. */
export interface Envelope<K extends MessageName = MessageName> {
  type: K;
  payload: RequestOf<K>;
}

/** Replies are wrapped so a handler error reaches the caller as an error, not `undefined`. */
export type Reply<K extends MessageName = MessageName> =
  { ok: true; value: ResponseOf<K> } | { ok: false; error: string };

const empty = v.strictObject({});
const canaryValues = v.pipe(
  v.array(v.pipe(v.string(), v.maxLength(MAX_CANARY_CHARS))),
  v.maxLength(MAX_CANARIES),
);

/** One schema per message: the request shape the server accepts. */
export const REQUEST_SCHEMAS: {
  [K in MessageName]: v.GenericSchema<unknown, RequestOf<K>>;
} = {
  ...REPORT_REQUEST_SCHEMAS,
  ping: empty,
  flush: empty,
  registerCanaries: v.strictObject({ values: canaryValues }),
  setCanaries: v.strictObject({ values: canaryValues }),
  getCanaries: empty,
  removeCanary: v.strictObject({
    index: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_CANARIES - 1)),
  }),
  getTagChain: v.strictObject({ pageId: v.pipe(v.string(), v.maxLength(256)) }),
  getTabPage: v.strictObject({
    tabId: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
  }),
};

export const MESSAGE_NAMES = Object.keys(REQUEST_SCHEMAS) as MessageName[];
