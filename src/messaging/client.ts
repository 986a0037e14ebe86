// Typed sending for extension pages. `createClient` is pure (tests pass a fake
// sendMessage); `send` is bound to the real runtime through the platform adapter.
import { browser } from '../platform/browser.ts';
import type { MessageName, Reply, RequestOf, ResponseOf } from './protocol.ts';

export type SendMessage = (message: unknown) => Promise<unknown>;

export type Send = <K extends MessageName>(
  type: K,
  ...payload: RequestOf<K> extends Record<string, never> ? [] : [RequestOf<K>]
) => Promise<ResponseOf<K>>;

export function createClient(sendMessage: SendMessage): Send {
  return async (type, ...payload) => {
    const reply = (await sendMessage({ type, payload: payload[0] ?? {} })) as Reply | undefined;
    if (!reply || typeof reply !== 'object' || !('ok' in reply)) {
      throw new Error(`no reply to ${type}`);
    }
    if (!reply.ok) throw new Error(reply.error);
    return reply.value as ResponseOf<typeof type>;
  };
}

/** Sends a protocol message to the background and returns its typed response. */
export const send: Send = createClient((m) => browser.runtime.sendMessage(m));
