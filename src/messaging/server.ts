// Handles the protocol in the background: a valibot schema per message and a sender check.
// Only our own extension pages may talk to the background for now; content scripts (which
// run in hostile pages) get their own, narrower messages later.
import * as v from 'valibot';
import {
  MESSAGE_NAMES,
  REQUEST_SCHEMAS,
  type MessageName,
  type Reply,
  type RequestOf,
  type ResponseOf,
} from './protocol.ts';

/** A handler per message: a missing one is a compile error. */
export type Handlers = {
  [K in MessageName]: (request: RequestOf<K>) => Promise<ResponseOf<K>> | ResponseOf<K>;
};

/** The parts of runtime.MessageSender we check. */
export interface SenderLike {
  id?: string;
  url?: string;
}

export interface ServerOptions {
  handlers: Handlers;
  /** browser.runtime.id */
  extensionId: string;
  /** e.g. `chrome-extension://<id>/` (browser.runtime.getURL('')). */
  extensionOrigin: string;
  log?: (message: string, error?: unknown) => void;
}

const envelopeSchema = v.object({
  type: v.picklist(MESSAGE_NAMES),
  payload: v.optional(v.unknown(), {}),
});

export function isTrustedSender(sender: unknown, opts: ServerOptions): boolean {
  if (typeof sender !== 'object' || sender === null) return false;
  const s = sender as SenderLike;
  return (
    s.id === opts.extensionId &&
    typeof s.url === 'string' &&
    opts.extensionOrigin.length > 0 &&
    s.url.startsWith(opts.extensionOrigin)
  );
}

/** Validates and dispatches one message; never throws. */
export async function handleMessage(
  message: unknown,
  sender: unknown,
  opts: ServerOptions,
): Promise<Reply> {
  if (!isTrustedSender(sender, opts)) return { ok: false, error: 'sender refused' };
  const env = v.safeParse(envelopeSchema, message);
  if (!env.success) return { ok: false, error: 'unknown message' };
  const name = env.output.type;
  try {
    return { ok: true, value: await dispatch(name, env.output.payload, opts.handlers) };
  } catch (error) {
    opts.log?.(`leakwatch: message ${name} failed`, error);
    return { ok: false, error: error instanceof Error ? error.message : 'failed' };
  }
}

async function dispatch<K extends MessageName>(
  name: K,
  payload: unknown,
  handlers: Handlers,
): Promise<ResponseOf<K>> {
  const parsed = v.safeParse(REQUEST_SCHEMAS[name], payload);
  if (!parsed.success) throw new Error(`bad request for ${name}`);
  const handler = handlers[name] as (r: RequestOf<K>) => Promise<ResponseOf<K>> | ResponseOf<K>;
  return handler(parsed.output);
}

/**
 * A runtime.onMessage listener. It uses sendResponse + `return true`, which every
 * browser supports (returning a Promise from the listener is not universal).
 * Unknown messages and foreign senders are refused with an error reply.
 */
export function createMessageListener(opts: ServerOptions) {
  return (message: unknown, sender: unknown, sendResponse: (reply: Reply) => void): true => {
    handleMessage(message, sender, opts).then(sendResponse, (error: unknown) =>
      sendResponse({ ok: false, error: String(error) }),
    );
    return true;
  };
}
