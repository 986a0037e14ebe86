// Stripped-down copies of the built extension, for finding where the page-load overhead
// goes (`npm run bench -- --pageload --variants full,no-content,...`). Each variant is the
// production dist/chrome with one part switched off by editing the copy: the manifest for
// the content scripts, the (unminified) background bundle for the listeners. An edit whose
// text is not found throws, so a variant never silently measures the full extension.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const VARIANTS = {
  full: 'the extension as built',
  'no-content': 'no content scripts (neither relay.js nor page-world.js)',
  'no-pageworld': 'relay.js only, no page-world.js',
  'no-extra': "webRequest listeners without 'extraHeaders' and 'requestBody'",
  'no-extra-send': "onBeforeSendHeaders without 'extraHeaders' (no Cookie, Referer headers)",
  'no-extra-recv': "onHeadersReceived without 'extraHeaders' (no Set-Cookie headers)",
  'no-body': "onBeforeRequest without 'requestBody'",
  'no-work': 'listeners registered, but captured requests, cookies and navigations are dropped',
  'no-writes': 'requests analysed, but the writer stores nothing (so no badge queries either)',
  'no-badge': 'everything stored, but the badge is not recounted after each flush',
  'slow-writer': "the writer's batching interval at 200 ms instead of the background's 20 ms",
  'no-webrequest': 'no webRequest listeners at all (cookies and navigation still listened to)',
  'no-completed':
    'no onCompleted listener (one event fewer per request; records wait for the sweep)',
  'extra-no-static':
    "'extraHeaders' off for scripts, stylesheets, fonts and media only (kept for every other request type)",
  empty: 'a background that only answers the harness ping; no listeners, no content scripts',
} as const;

export type Variant = keyof typeof VARIANTS;

export function isVariant(name: string): name is Variant {
  return Object.hasOwn(VARIANTS, name);
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`variant edit not applicable to ${file}: ${String(from)}`);
  writeFileSync(file, next);
}

function editManifest(dir: string, fn: (m: Record<string, unknown>) => void): void {
  const file = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  fn(m);
  writeFileSync(file, JSON.stringify(m, null, 2));
}

/** Turns a copy of dist/chrome at `dir` into `variant`, in place. */
export function applyVariant(dir: string, variant: Variant): void {
  const bg = join(dir, 'background.js');
  switch (variant) {
    case 'full':
      return;
    case 'no-content':
      editManifest(dir, (m) => delete m['content_scripts']);
      return;
    case 'no-pageworld':
      editManifest(dir, (m) => {
        const scripts = m['content_scripts'] as { world?: string }[];
        m['content_scripts'] = scripts.filter((s) => s.world !== 'MAIN');
      });
      return;
    case 'no-extra':
      edit(bg, /const sendExtra = [^;]+;/, 'const sendExtra = void 0;');
      edit(bg, /const recvExtra = [^;]+;/, 'const recvExtra = void 0;');
      edit(bg, /filter, \["requestBody"\]\)/, 'filter, [])');
      return;
    case 'no-extra-send':
      edit(bg, /const sendExtra = [^;]+;/, 'const sendExtra = void 0;');
      edit(bg, /const recvExtra = [^;]+;/, 'const recvExtra = "extraHeaders";');
      return;
    case 'no-extra-recv':
      edit(bg, /const recvExtra = [^;]+;/, 'const recvExtra = void 0;');
      return;
    case 'no-body':
      edit(bg, /filter, \["requestBody"\]\)/, 'filter, [])');
      return;
    case 'no-work':
      edit(
        bg,
        /startCapture\(([\w.$]+), pipeline, \{/,
        'startCapture($1, { request() {}, cookie() {}, navigation() {}, pageLoaded() {}, tabRemoved() {} }, {',
      );
      return;
    case 'no-writes':
      edit(
        bg,
        /function createWriter\(db, opts = \{\}\) \{/,
        'function createWriter(db, opts = {}) { return { page() {}, request() {}, party() {}, cookie() {}, findings() {}, flushNow: async () => {}, pending: 0 };',
      );
      return;
    case 'no-badge':
      edit(bg, /badge\.refresh\(pageIds\);/, '');
      return;
    case 'slow-writer':
      edit(
        bg,
        /createWriter\(db, \{\n(\s*)intervalMs: 20,/,
        'createWriter(db, {\n$1intervalMs: 200,',
      );
      return;
    case 'no-webrequest':
      edit(
        bg,
        /const wr = api\.webRequest;/,
        'const wr = new Proxy({}, { get: () => ({ addListener() {} }) });',
      );
      return;
    case 'no-completed':
      edit(
        bg,
        /\n\s*add\(wr\.onCompleted, guard\("onCompleted", assembler\.completed\), filter\);/,
        '',
      );
      return;
    case 'extra-no-static': {
      const statics = '["script", "stylesheet", "font", "media"]';
      const others =
        '["main_frame", "sub_frame", "image", "object", "xmlhttprequest", "ping", "csp_report", "websocket", "other"]';
      for (const [event, spec] of [
        ['onBeforeSendHeaders', 'requestHeaders'],
        ['onHeadersReceived', 'responseHeaders'],
      ] as const) {
        const line = new RegExp(`add\\(wr\\.${event}, (guard\\([^)]*\\)), filter, [^\\n]*\\);`);
        edit(
          bg,
          line,
          `add(wr.${event}, $1, { urls: ["<all_urls>"], types: ${others} }, ["${spec}", "extraHeaders"]); ` +
            `add(wr.${event}, $1, { urls: ["<all_urls>"], types: ${statics} }, ["${spec}"]);`,
        );
      }
      return;
    }
    case 'empty':
      editManifest(dir, (m) => delete m['content_scripts']);
      writeFileSync(
        bg,
        // Just enough for launchWithExtension's ping handshake.
        "chrome.runtime.onMessage.addListener((m, s, reply) => { reply({ ok: true, value: { ready: true, bootId: 'empty' } }); });\n",
      );
      return;
  }
}
