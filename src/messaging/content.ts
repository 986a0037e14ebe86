// Messages from content scripts (the page-world relay), kept apart from the extension-page
// protocol in ./protocol.ts because their senders are hostile by default: they run inside web
// pages. Three checks before a handler sees anything:
// 1. sender: our own extension id and a tab (browser-provided, not claimed by the page);
// 2. rate: a token bucket per tab (./../core/pageworld/rate-limit.ts);
// 3. shape: a strict valibot schema with size caps (../core/pageworld/schema.ts).
import * as v from 'valibot';
import type { PageEventBatch } from '../core/pageworld/events.ts';
import { pageEventBatchSchema } from '../core/pageworld/schema.ts';
import { resourceLedgerSchema, type ResourceLedger } from '../core/resource-ledger.ts';
import { createRateLimiter, type RateLimiter } from '../core/pageworld/rate-limit.ts';

export const CONTENT_MESSAGES = ['pageEvents', 'resourceLedger'] as const;
export type ContentMessageName = (typeof CONTENT_MESSAGES)[number];

/** The facts about a content-script sender that the browser (not the page) provides. */
export interface ContentSender {
  tabId: number;
  frameId: number;
  /** URL of the frame's document. */
  url: string;
  /** Chrome: the sending document's id (names its visit even after the tab navigated on). */
  documentId: string | null;
  incognito: boolean;
}

export interface ContentHandlers {
  pageEvents(batch: PageEventBatch, sender: ContentSender): Promise<void> | void;
  /** A frame's Resource Timing entries, after the background asked (worker restart). */
  resourceLedger(ledger: ResourceLedger, sender: ContentSender): Promise<unknown> | void;
}

export interface ContentServerOptions {
  handlers: ContentHandlers;
  extensionId: string;
  limiter?: RateLimiter;
  log?: (message: string, error?: unknown) => void;
}

const envelope = v.object({ type: v.picklist(CONTENT_MESSAGES), payload: v.unknown() });

export function isContentMessage(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    (CONTENT_MESSAGES as readonly unknown[]).includes((message as { type?: unknown }).type)
  );
}

/** The sender as a ContentSender, or null unless it is our content script in a tab. */
export function contentSender(sender: unknown, extensionId: string): ContentSender | null {
  if (typeof sender !== 'object' || sender === null) return null;
  const s = sender as {
    id?: unknown;
    url?: unknown;
    frameId?: unknown;
    documentId?: unknown;
    tab?: { id?: unknown; incognito?: unknown };
  };
  if (s.id !== extensionId || !extensionId || typeof s.tab !== 'object' || s.tab === null)
    return null;
  const tabId = s.tab.id;
  if (typeof tabId !== 'number' || !Number.isInteger(tabId) || tabId < 0) return null;
  if (typeof s.url !== 'string' || !/^(?:https?:|about:|file:)/i.test(s.url)) return null;
  return {
    tabId,
    frameId: typeof s.frameId === 'number' ? s.frameId : 0,
    url: s.url.slice(0, 4_096),
    documentId:
      typeof s.documentId === 'string' && s.documentId.length <= 128 ? s.documentId : null,
    incognito: s.tab.incognito === true,
  };
}

export type ContentReply = { ok: true; value: null } | { ok: false; error: string };

/** Checks and dispatches one content-script message; never throws. */
export function createContentServer(opts: ContentServerOptions) {
  const limiter = opts.limiter ?? createRateLimiter();
  return async function handleContentMessage(
    message: unknown,
    sender: unknown,
  ): Promise<ContentReply> {
    const from = contentSender(sender, opts.extensionId);
    if (!from) return { ok: false, error: 'sender refused' };
    if (!limiter.take(from.tabId)) return { ok: false, error: 'rate limited' };
    const env = v.safeParse(envelope, message);
    if (!env.success) return { ok: false, error: 'unknown message' };
    const name = env.output.type;
    try {
      if (name === 'resourceLedger') {
        const ledger = v.safeParse(resourceLedgerSchema, env.output.payload);
        if (!ledger.success) return { ok: false, error: 'bad request for resourceLedger' };
        await opts.handlers.resourceLedger(ledger.output, from);
      } else {
        const batch = v.safeParse(pageEventBatchSchema, env.output.payload);
        if (!batch.success) return { ok: false, error: 'bad request for pageEvents' };
        await opts.handlers.pageEvents(batch.output, from);
      }
      return { ok: true, value: null };
    } catch (error) {
      opts.log?.(`leakwatch: ${name} failed`, error);
      return { ok: false, error: 'failed' };
    }
  };
}
