// The background's doors: messages from our own pages (popup, report) and from content
// scripts, which run inside hostile pages. Every message has a schema, unknown names and
// foreign senders are refused, and no payload makes the server throw or reach a handler
// unvalidated. Also the manifest: only the permissions the README justifies, a strict CSP,
// nothing web-accessible.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { unavailableReportHandlers } from '../../src/background/report-handlers.ts';
import { pageEventBatchSchema } from '../../src/core/pageworld/schema.ts';
import { resourceLedgerSchema } from '../../src/core/resource-ledger.ts';
import { CONTENT_MESSAGES, createContentServer } from '../../src/messaging/content.ts';
import { MESSAGE_NAMES, REQUEST_SCHEMAS, type MessageName } from '../../src/messaging/protocol.ts';
import { REPORT_REQUEST_SCHEMAS } from '../../src/messaging/report-protocol.ts';
import { handleMessage, type Handlers, type ServerOptions } from '../../src/messaging/server.ts';
import { boundedAsync, hostileString, params, urlish } from './support.ts';
import { checkManifest, readmePermissions } from './manifest-check.ts';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;
const OWN_PAGE = { id: ID, url: `${ORIGIN}src/ui/popup/popup.html` };
const ROOT = resolve(import.meta.dirname, '../..');

/** Handlers that record what reached them. */
function recordingServer() {
  const calls: { name: MessageName; request: unknown }[] = [];
  const base: Handlers = {
    ...unavailableReportHandlers(),
    ping: async () => ({ ready: true, bootId: 'b' }),
    flush: async () => ({ flushed: true }),
    getTabPage: async () => null,
    getTagChain: async () => [],
    registerCanaries: async ({ values }) => ({ registered: values.length }),
    setCanaries: async () => ({ canaries: [] }),
    getCanaries: async () => ({ canaries: [] }),
    removeCanary: async () => ({ canaries: [] }),
  };
  const handlers = Object.fromEntries(
    MESSAGE_NAMES.map((name) => [
      name,
      async (request: unknown) => {
        calls.push({ name, request });
        return (base[name] as (r: unknown) => Promise<unknown>)(request);
      },
    ]),
  ) as unknown as Handlers;
  const opts: ServerOptions = { handlers, extensionId: ID, extensionOrigin: ORIGIN };
  return { calls, opts };
}

const sender = fc.oneof(
  fc.constant(OWN_PAGE),
  fc.constant({ id: ID, url: `${ORIGIN}src/ui/report/report.html`, tab: { id: 3 } }),
  // A content script of ours runs in the page: same id, but the page's URL.
  fc.constant({ id: ID, url: 'https://evil.test/', tab: { id: 3 }, frameId: 0 }),
  fc.constant({
    id: 'another-extension-id',
    url: `chrome-extension://another-extension-id/x.html`,
  }),
  fc.constant({ id: ID, url: `chrome-extension://${ID}.evil.test/` }),
  fc.constant({ id: ID, url: `https://${ID}/` }),
  fc.constant({ url: `${ORIGIN}x.html` }),
  fc.record(
    {
      id: fc.oneof(fc.constant(ID), hostileString(20)),
      url: fc.oneof(urlish(), fc.constant(ORIGIN)),
    },
    { requiredKeys: [] },
  ),
  fc.anything({ maxDepth: 2 }),
);

const message = fc.oneof(
  fc.record(
    {
      type: fc.oneof(
        fc.constantFrom(...MESSAGE_NAMES),
        fc.constantFrom('__proto__', 'constructor', 'toString', 'pageEvents', 'eval', ''),
        hostileString(20),
      ),
      payload: fc.oneof(
        fc.anything({ maxDepth: 3 }),
        fc.constant({}),
        fc.record({ tabId: fc.anything() }),
        fc.record({ pageId: fc.anything() }),
        fc.record({ text: fc.string(), name: fc.string() }),
        fc.record({ site: fc.string() }),
      ),
    },
    { requiredKeys: ['type'] },
  ),
  fc.anything({ maxDepth: 3 }),
);

const trusted = (s: unknown): boolean =>
  typeof s === 'object' &&
  s !== null &&
  (s as { id?: unknown }).id === ID &&
  typeof (s as { url?: unknown }).url === 'string' &&
  (s as { url: string }).url.startsWith(ORIGIN);

describe('the page-message server', () => {
  it('has a valibot schema for every message of every protocol', () => {
    const names = new Set<string>(MESSAGE_NAMES);
    for (const name of Object.keys(REPORT_REQUEST_SCHEMAS)) expect(names.has(name)).toBe(true);
    for (const name of MESSAGE_NAMES) {
      const schema = REQUEST_SCHEMAS[name] as { kind?: unknown; '~standard'?: unknown };
      expect(schema.kind, `${name} has a schema`).toBe('schema');
      // Strict schemas: an unknown key is refused, not ignored.
      expect(v.safeParse(REQUEST_SCHEMAS[name], { __proto__: null, unexpected: 1 }).success).toBe(
        false,
      );
    }
    expect([...CONTENT_MESSAGES]).toEqual(['pageEvents', 'resourceLedger']);
    expect(
      v.safeParse(pageEventBatchSchema, { events: [], typed: [], dropped: 0, extra: 1 }).success,
    ).toBe(false);
    expect(v.safeParse(resourceLedgerSchema, { pageId: 'p', entries: [], extra: 1 }).success).toBe(
      false,
    );
  });

  it('never throws, refuses foreign senders and unknown names, and validates before any handler', async () => {
    await fc.assert(
      fc.asyncProperty(message, sender, async (msg, from) => {
        const { calls, opts } = recordingServer();
        const reply = await boundedAsync('handleMessage', () => handleMessage(msg, from, opts));
        expect(typeof reply.ok).toBe('boolean');
        if (!trusted(from)) {
          expect(reply).toEqual({ ok: false, error: 'sender refused' });
          expect(calls).toEqual([]);
          return;
        }
        const type = (msg as { type?: unknown } | null)?.type;
        if (!(MESSAGE_NAMES as readonly unknown[]).includes(type)) {
          expect(reply).toEqual({ ok: false, error: 'unknown message' });
          expect(calls).toEqual([]);
          return;
        }
        for (const c of calls) {
          expect(c.name).toBe(type);
          expect(v.safeParse(REQUEST_SCHEMAS[c.name], c.request).success).toBe(true);
        }
        if (!reply.ok)
          expect(reply.error).toMatch(/^(bad request for \w+|not available in this background)$/);
      }),
      params(1_000),
    );
  }, 60_000);
});

describe('the content-script server', () => {
  it('refuses anything but our own content script in a tab, and validates every batch', async () => {
    const batch = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.record({
        events: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
        typed: fc.array(
          fc.record({
            kind: fc.constantFrom('email', 'phone', 'name', 'ssn'),
            value: hostileString(40),
          }),
          { maxLength: 3 },
        ),
        dropped: fc.oneof(fc.nat(), fc.anything()),
      }),
      fc.constant({ events: [], typed: [{ kind: 'email', value: 'a@b.test' }], dropped: 0 }),
    );
    const ledger = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.record({
        pageId: hostileString(30),
        entries: fc.array(
          fc.record({
            url: fc.oneof(urlish(), hostileString(60)),
            kind: hostileString(12),
            start: fc.oneof(fc.double(), fc.nat()),
          }),
          { maxLength: 4 },
        ),
      }),
    );
    const contentSender = fc.oneof(
      fc.constant({
        id: ID,
        url: 'https://news.test/',
        tab: { id: 4, incognito: false },
        frameId: 0,
      }),
      fc.constant({ id: ID, url: `${ORIGIN}popup.html` }),
      fc.constant({ id: 'other', url: 'https://news.test/', tab: { id: 4 } }),
      fc.constant({ id: ID, url: 'javascript:alert(1)', tab: { id: 4 } }),
      fc.constant({ id: ID, url: 'https://news.test/', tab: { id: -1 } }),
      fc.anything({ maxDepth: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            type: fc.oneof(fc.constant('pageEvents'), hostileString(10)),
            payload: batch,
          }),
          fc.record({
            type: fc.oneof(fc.constant('resourceLedger'), hostileString(10)),
            payload: ledger,
          }),
          fc.anything(),
        ),
        contentSender,
        async (msg, from) => {
          const seen: unknown[] = [];
          const handle = createContentServer({
            extensionId: ID,
            handlers: {
              pageEvents: (b) => void seen.push(b),
              resourceLedger: (l) => void seen.push(l),
            },
          });
          const reply = await boundedAsync('content message', () => handle(msg, from));
          expect(typeof reply.ok).toBe('boolean');
          const s = from as { id?: unknown; tab?: { id?: unknown } } | null;
          const ours =
            typeof s === 'object' &&
            s !== null &&
            s.id === ID &&
            typeof s.tab?.id === 'number' &&
            s.tab.id >= 0;
          if (!ours) expect(seen).toEqual([]);
          for (const b of seen) {
            const valid =
              v.safeParse(pageEventBatchSchema, b).success ||
              v.safeParse(resourceLedgerSchema, b).success;
            expect(valid).toBe(true);
          }
          if (reply.ok) expect(seen).toHaveLength(1);
        },
      ),
      params(800),
    );
  });
});

describe('the manifest', () => {
  it('asks for exactly the permissions the README justifies, with a strict CSP', () => {
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
    const manifest = JSON.parse(readFileSync(resolve(ROOT, 'manifest.json'), 'utf8')) as unknown;
    expect(checkManifest(manifest, readmePermissions(readme))).toEqual([]);
  });

  it('flags a manifest that asks for more (the check itself can fail)', () => {
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
    const manifest = JSON.parse(readFileSync(resolve(ROOT, 'manifest.json'), 'utf8')) as {
      permissions: string[];
      content_security_policy: { extension_pages: string };
      web_accessible_resources?: unknown;
    };
    manifest.permissions.push('tabs');
    manifest.content_security_policy.extension_pages = "script-src 'self' 'unsafe-eval'";
    manifest.web_accessible_resources = [{ resources: ['*'], matches: ['<all_urls>'] }];
    const problems = checkManifest(manifest, readmePermissions(readme));
    expect(problems.join('\n')).toMatch(/tabs/);
    expect(problems.join('\n')).toMatch(/unsafe-eval|object-src/);
    expect(problems.join('\n')).toMatch(/web_accessible_resources/);
  });
});
