// Shared set-up for the end-to-end tests: the built extension, the fixture site, one
// Chromium per test file, and polling helpers that wait on evidence instead of sleeping.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import {
  launchWithExtension,
  type ExtensionBrowser,
  type StoreSnapshot,
} from '../../src/cli/chromium.ts';
import {
  FIXTURE_HOST_RULES,
  PUBLISHER,
  PUBLISHER_PAGE_DONE,
  startFixtureSite,
  type FixtureSite,
  type Hit,
} from '../fixtures/site/server.ts';

import {
  HOSTILE_HOST_RULES,
  startHostileSite,
  type HostileSite,
} from '../fixtures/hostile/server.ts';

export { PUBLISHER_PAGE_DONE };

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXTENSION_DIR = resolve(ROOT, 'dist/chrome');
export const OUTPUT_DIR = resolve(ROOT, 'test-output');

/** Fails loudly (never skips) when the extension has not been built. */
export function requireBuiltExtension(): string {
  if (!existsSync(resolve(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(
      `The e2e tests need the built extension in ${EXTENSION_DIR}. ` +
        'Run `npm run build` first (`npm test` does it for you).',
    );
  }
  return EXTENSION_DIR;
}

export function outputPath(name: string): string {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return resolve(OUTPUT_DIR, name);
}

export interface E2eSession {
  site: FixtureSite;
  browser: ExtensionBrowser;
  /** `https://news-publisher.test:PORT<path>`. */
  publisherUrl(path: string): string;
  close(): Promise<void>;
}

/** Starts the fixture site and Chromium with the extension, handshake done. */
export async function startSession(): Promise<E2eSession> {
  const extensionDir = requireBuiltExtension();
  const site = await startFixtureSite();
  try {
    const browser = await launchWithExtension({ extensionDir, hostRules: FIXTURE_HOST_RULES });
    return {
      site,
      browser,
      publisherUrl: (path) => `${site.origin(PUBLISHER)}${path}`,
      async close() {
        await browser.close();
        await site.close();
      },
    };
  } catch (error) {
    await site.close();
    throw error;
  }
}

/** The hostile fixture site and a Chromium with the extension resolving its hosts. */
export async function startHostileSession(): Promise<{
  site: HostileSite;
  browser: ExtensionBrowser;
  close(): Promise<void>;
}> {
  const extensionDir = requireBuiltExtension();
  const site = await startHostileSite();
  try {
    const browser = await launchWithExtension({ extensionDir, hostRules: HOSTILE_HOST_RULES });
    return {
      site,
      browser,
      async close() {
        await browser.close();
        await site.close();
      },
    };
  } catch (error) {
    await site.close();
    throw error;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Flushes and reads the store until `ready(snapshot)` holds, then returns that snapshot.
 * On timeout it returns the last snapshot anyway, so the test's own assertions report what
 * exactly is missing (a clearer failure than "timed out").
 */
export async function waitForStore(
  browser: ExtensionBrowser,
  ready: (s: StoreSnapshot) => boolean,
  timeoutMs = 20_000,
): Promise<StoreSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let pause = 100;
  for (;;) {
    await browser.flush();
    const snapshot = await browser.readStore();
    if (ready(snapshot) || Date.now() + pause > deadline) return snapshot;
    await sleep(pause);
    pause = Math.min(pause * 2, 1000);
  }
}

/**
 * Like waitForStore, then waits until `part` of the store stops changing: two snapshots
 * `quietMs` apart that agree. For a before/after comparison whose "before" must not be
 * taken while late rows of the visit (the page world's batches, sent every 250 ms and
 * handled after the page's load) are still arriving.
 */
export async function waitForSettledStore<T>(
  browser: ExtensionBrowser,
  ready: (s: StoreSnapshot) => boolean,
  part: (s: StoreSnapshot) => T,
  quietMs = 750,
  timeoutMs = 20_000,
): Promise<StoreSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let snapshot = await waitForStore(browser, ready, timeoutMs);
  let last = JSON.stringify(part(snapshot));
  while (Date.now() + quietMs < deadline) {
    await sleep(quietMs);
    await browser.flush();
    snapshot = await browser.readStore();
    const now = JSON.stringify(part(snapshot));
    if (now === last) return snapshot;
    last = now;
  }
  return snapshot;
}

/**
 * Loads `url` in `page` and waits until the server has answered every request in `done`
 * that happened after this navigation started (beacons and fetches can outlive `load`).
 */
export async function visit(
  session: E2eSession,
  page: Page,
  url: string,
  done: readonly ((h: Hit) => boolean)[] = [],
): Promise<void> {
  const from = session.site.hits.length;
  await page.goto(url, { waitUntil: 'load' });
  await Promise.all(
    done.map((match) =>
      session.site.waitForHit((h) => session.site.hits.indexOf(h) >= from && match(h)),
    ),
  );
}

/** The page row for `url` (exactly one is expected). */
export function pagesFor(store: StoreSnapshot, url: string) {
  return store.pages.filter((p) => p.url === url);
}
