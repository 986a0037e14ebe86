// Drives Debian's Chromium with the built extension loaded: shared by the e2e tests, the
// demo and the audit CLI. What each piece is for (tested on Chromium 156, see test/README.md):
// - the unpacked extension loads with --load-extension (+ --disable-extensions-except);
// - third-party cookies need the profile pref `profile.cookie_controls_mode: 0` AND https
//   (self-signed, hence --ignore-certificate-errors);
// - the worker's listeners go live a moment after it appears, so `launchWithExtension`
//   only returns after a `ping` handshake has been answered;
// - the worker never idles out while Playwright is attached, so tests stop it via CDP.
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import type { MessageName, Reply, RequestOf, ResponseOf } from '../messaging/protocol.ts';
import { readStoreInPage, type StoreSnapshot } from './store-reader.ts';

export type { StoreSnapshot } from './store-reader.ts';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export interface LaunchOptions {
  /** The unpacked extension (e.g. dist/chrome). */
  extensionDir: string;
  /** Chromium host resolver rules, e.g. ['MAP *.test 127.0.0.1']. */
  hostRules?: readonly string[];
  /** Profile directory; a fresh temporary one (removed on close) when omitted. */
  userDataDir?: string;
  headless?: boolean;
  /** How long the readiness handshake may take. */
  readyTimeoutMs?: number;
}

/** The background's `ping` answer; `bootId` changes each time the worker starts. */
export type PingReply = ResponseOf<'ping'>;

export interface TabInfo {
  id: number;
  url: string;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** Playwright's handle on the extension worker (keeps working across worker restarts). */
  worker: Worker;
  /** The answer to the handshake that made `launchWithExtension` return. */
  boot: PingReply;
  /** `chrome-extension://<id>/<path>`. */
  extensionUrl(path: string): string;
  /** The popup page for a tab, opened as a normal tab (`popup.html?tabId=N`). */
  popupUrl(tabId: number): string;
  /** Sends `ping` until the background answers (retrying while it starts). */
  ping(timeoutMs?: number): Promise<PingReply>;
  /** Sends one protocol message from an extension page; rejects when the background refuses. */
  send<K extends MessageName>(type: K, payload: RequestOf<K>): Promise<ResponseOf<K>>;
  /** Resolves once the background's pending writes are in IndexedDB. */
  flush(): Promise<void>;
  /** Every table of the extension's IndexedDB, read raw from an extension page. */
  readStore(): Promise<StoreSnapshot>;
  /** Open tabs as the extension sees them (ids for `popupUrl`). */
  tabs(): Promise<TabInfo[]>;
  /** The extension's tab id of the tab showing `url` (exact match, fragment ignored). */
  tabIdFor(url: string): Promise<number>;
  /** Stops the extension's service worker (CDP), as Chrome does when it idles out. */
  stopServiceWorker(): Promise<void>;
  close(): Promise<void>;
}

/** Minimal typing of the extension APIs used inside `page.evaluate` (node types lack them). */
interface ChromeApi {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  tabs: { query(query: object): Promise<{ id?: number; url?: string }[]> };
}

/** The Chromium every launch here runs: LEAKWATCH_CHROMIUM, else Debian's. */
export function chromiumPath(): string {
  return process.env['LEAKWATCH_CHROMIUM'] || DEFAULT_CHROMIUM;
}

/** Whether `path` is an executable file: checked first, so a missing browser gets our words. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Seeds (or patches) the profile so third-party cookies are allowed, like a user opting in. */
function allowThirdPartyCookies(userDataDir: string): void {
  const dir = join(userDataDir, 'Default');
  const file = join(dir, 'Preferences');
  mkdirSync(dir, { recursive: true });
  let prefs: { profile?: Record<string, unknown> } = {};
  if (existsSync(file)) {
    try {
      prefs = JSON.parse(readFileSync(file, 'utf8')) as typeof prefs;
    } catch {
      prefs = {};
    }
  }
  prefs.profile = { ...prefs.profile, cookie_controls_mode: 0 };
  writeFileSync(file, JSON.stringify(prefs));
}

function chromiumArgs(extensionDir: string, hostRules: readonly string[]): string[] {
  const args = [
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    '--ignore-certificate-errors',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-gpu',
  ];
  if (hostRules.length > 0) args.push(`--host-resolver-rules=${hostRules.join(', ')}`);
  // Debugging aid, e.g. `--enable-logging=stderr` with DEBUG=pw:browser prints the
  // background's console (test/README.md).
  const extra = process.env['LEAKWATCH_CHROMIUM_ARGS']?.trim();
  if (extra) args.push(...extra.split(/\s+/));
  // Chromium refuses to start its sandbox as root (containers, CI).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries `fn` with a growing pause until it succeeds or `timeoutMs` has passed. */
async function retry<T>(what: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let pause = 50;
  let lastError: unknown;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() + pause > deadline) break;
    await sleep(pause);
    pause = Math.min(pause * 2, 1000);
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`${what} did not succeed within ${timeoutMs} ms: ${reason}`);
}

function isPingReply(value: unknown): value is PingReply {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { ready?: unknown }).ready === true &&
    'bootId' in value
  );
}

/**
 * Launches Chromium with the unpacked extension and waits until its background answers
 * `ping`. The returned object owns the browser and the temporary profile.
 */
export async function launchWithExtension(options: LaunchOptions): Promise<ExtensionBrowser> {
  const extensionDir = resolve(options.extensionDir); // Chromium needs an absolute path
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension at ${extensionDir} (run \`npm run build\` first).`);
  }
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as {
    action?: { default_popup?: string };
  };
  const popupPath = manifest.action?.default_popup ?? 'src/ui/popup/popup.html';

  const ownProfile = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'leakwatch-profile-'));
  allowThirdPartyCookies(userDataDir);

  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    args: chromiumArgs(extensionDir, options.hostRules ?? []),
    viewport: { width: 1280, height: 900 },
  });

  try {
    const worker =
      context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
      (await context
        .waitForEvent('serviceworker', {
          predicate: (w) => w.url().startsWith('chrome-extension://'),
          timeout: 15_000,
        })
        .catch(() => {
          // Chromium loads an unpacked extension it cannot read silently: say what to check.
          throw new Error(
            `The extension's service worker did not start within 15 s. Is ${extensionDir} a ` +
              'complete build? (A build running at the same time empties dist/.)',
          );
        }));
    const extensionId = new URL(worker.url()).host;
    const extensionUrl = (path: string) =>
      `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`;

    // One extension page serves as the control channel: messages, IndexedDB reads, tab
    // queries and CDP all go through it, so test pages stay untouched.
    let control: Page | null = null;
    const controlPage = async (): Promise<Page> => {
      if (control && !control.isClosed()) return control;
      control = await context.newPage();
      await control.goto(extensionUrl(popupPath));
      return control;
    };

    const send = async <K extends MessageName>(
      type: K,
      payload: RequestOf<K>,
    ): Promise<ResponseOf<K>> => {
      const page = await controlPage();
      const reply = (await page.evaluate(
        (msg) => (globalThis as unknown as { chrome: ChromeApi }).chrome.runtime.sendMessage(msg),
        { type, payload },
      )) as Reply<K> | undefined;
      if (reply?.ok === true) return reply.value;
      throw new Error(`${type}: ${reply ? reply.error : 'no answer from the background'}`);
    };

    const ping = (timeoutMs = options.readyTimeoutMs ?? 10_000) =>
      // Before the worker has registered its listeners, sendMessage rejects with "Receiving
      // end does not exist" (or gets no answer): retry until a real answer comes back.
      retry('The extension ping handshake', timeoutMs, async () => {
        const reply = await send('ping', {});
        if (!isPingReply(reply)) throw new Error(`unexpected ping reply ${JSON.stringify(reply)}`);
        return reply;
      });

    const tabs = async (): Promise<TabInfo[]> => {
      const page = await controlPage();
      const all = await page.evaluate(() =>
        (globalThis as unknown as { chrome: ChromeApi }).chrome.tabs.query({}),
      );
      return all.flatMap((t) => (t.id === undefined ? [] : [{ id: t.id, url: t.url ?? '' }]));
    };

    const boot = await ping();

    return {
      context,
      extensionId,
      worker,
      boot,
      extensionUrl,
      popupUrl: (tabId) => `${extensionUrl(popupPath)}?tabId=${tabId}`,
      ping,
      send,
      async flush() {
        await send('flush', {});
      },
      async readStore() {
        return readStoreInPage(await controlPage());
      },
      tabs,
      async tabIdFor(url) {
        const wanted = url.split('#')[0];
        return retry(`Finding the tab for ${url}`, 5_000, async () => {
          const tab = (await tabs()).find((t) => t.url.split('#')[0] === wanted);
          if (!tab) throw new Error('no such tab yet');
          return tab.id;
        });
      },
      async stopServiceWorker() {
        const cdp = await context.newCDPSession(await controlPage());
        try {
          await cdp.send('ServiceWorker.enable');
          await cdp.send('ServiceWorker.stopAllWorkers');
        } finally {
          await cdp.detach().catch(() => undefined);
        }
      },
      async close() {
        await context.close();
        if (ownProfile) rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context.close().catch(() => undefined);
    if (ownProfile) rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
