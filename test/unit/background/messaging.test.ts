import { describe, expect, it, vi } from 'vitest';
import {
  createMessageListener,
  handleMessage,
  type Handlers,
  type ServerOptions,
} from '../../../src/messaging/server.ts';
import type { Reply } from '../../../src/messaging/protocol.ts';
import { unavailableReportHandlers } from '../../../src/background/report-handlers.ts';

// client.ts binds `send` to the real runtime; the polyfill refuses to load outside an
// extension, so the platform module is replaced here.
vi.mock('../../../src/platform/browser.ts', () => ({ browser: { runtime: {} } }));
const { createClient } = await import('../../../src/messaging/client.ts');

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;
const OWN_PAGE = { id: ID, url: `${ORIGIN}src/ui/popup/popup.html` };

function server(overrides: Partial<Handlers> = {}) {
  let resolveReady = () => {};
  const ready = new Promise<void>((r) => (resolveReady = r));
  const handlers: Handlers = {
    ...unavailableReportHandlers(),
    async ping() {
      await ready;
      return { ready: true, bootId: 'boot-1' };
    },
    flush: async () => ({ flushed: true }),
    getTabPage: async ({ tabId }) =>
      tabId === 7 ? { pageId: '7-1-a', url: 'https://a.test/', site: 'a.test' } : null,
    getTagChain: async () => [],
    registerCanaries: async ({ values }) => ({ registered: values.length }),
    setCanaries: async () => ({ canaries: [] }),
    getCanaries: async () => ({ canaries: [] }),
    removeCanary: async () => ({ canaries: [] }),
    ...overrides,
  };
  const opts: ServerOptions = { handlers, extensionId: ID, extensionOrigin: ORIGIN };
  return { opts, resolveReady };
}

describe('message server', () => {
  it('answers ping only after start-up is ready', async () => {
    const { opts, resolveReady } = server();
    let answered = false;
    const reply = handleMessage({ type: 'ping', payload: {} }, OWN_PAGE, opts).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(answered).toBe(false);
    resolveReady();
    expect(await reply).toEqual({ ok: true, value: { ready: true, bootId: 'boot-1' } });
  });

  it('validates requests per message', async () => {
    const { opts } = server();
    expect(
      await handleMessage({ type: 'getTabPage', payload: { tabId: 7 } }, OWN_PAGE, opts),
    ).toEqual({ ok: true, value: { pageId: '7-1-a', url: 'https://a.test/', site: 'a.test' } });
    for (const payload of [{ tabId: '7' }, { tabId: -1 }, { tabId: 1.5 }, {}, { tabId: 7, x: 1 }]) {
      expect(await handleMessage({ type: 'getTabPage', payload }, OWN_PAGE, opts)).toEqual({
        ok: false,
        error: 'bad request for getTabPage',
      });
    }
  });

  it('refuses unknown messages and foreign senders', async () => {
    const { opts } = server();
    for (const message of [null, 'ping', { type: 'dropDatabase' }, { type: 'toString' }, {}]) {
      expect(await handleMessage(message, OWN_PAGE, opts)).toEqual({
        ok: false,
        error: 'unknown message',
      });
    }
    const flush = { type: 'flush', payload: {} };
    for (const sender of [
      undefined,
      {},
      { id: 'other-extension', url: `chrome-extension://other/` },
      { id: ID, url: 'https://evil.test/' }, // a content script in a web page
      { id: ID },
    ]) {
      expect(await handleMessage(flush, sender, opts)).toEqual({
        ok: false,
        error: 'sender refused',
      });
    }
  });

  it('turns a handler error into an error reply', async () => {
    const { opts } = server({
      flush: async () => {
        throw new Error('disk full');
      },
    });
    expect(await handleMessage({ type: 'flush' }, OWN_PAGE, opts)).toEqual({
      ok: false,
      error: 'disk full',
    });
  });

  it('replies through sendResponse and keeps the channel open', async () => {
    const { opts } = server();
    const listener = createMessageListener(opts);
    const reply = await new Promise<Reply>((resolve) => {
      expect(listener({ type: 'flush', payload: {} }, OWN_PAGE, resolve)).toBe(true);
    });
    expect(reply).toEqual({ ok: true, value: { flushed: true } });
  });
});

describe('typed client', () => {
  it('round-trips through the server and throws error replies', async () => {
    const { opts, resolveReady } = server();
    resolveReady();
    const send = createClient((m) => handleMessage(m, OWN_PAGE, opts));
    expect(await send('ping')).toEqual({ ready: true, bootId: 'boot-1' });
    expect(await send('getTabPage', { tabId: 8 })).toBeNull();
    const refused = createClient((m) => handleMessage(m, { id: 'x', url: 'https://x/' }, opts));
    await expect(refused('flush')).rejects.toThrow('sender refused');
    const silent = createClient(async () => undefined);
    await expect(silent('flush')).rejects.toThrow('no reply to flush');
  });
});
