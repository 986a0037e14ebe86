// Waiting for the extension's store to stop changing: for callers that cannot name the
// rows they expect (the demo, the audit CLI). Tests wait for named rows instead.
import type { ExtensionBrowser, StoreSnapshot } from './chromium.ts';

export interface SettleOptions {
  /** The store must be unchanged for this long. */
  quietMs?: number;
  /** Give up (returning the latest snapshot) after this long. */
  timeoutMs?: number;
}

function size(s: StoreSnapshot): string {
  return [s.pages, s.requests, s.cookies, s.parties, s.findings].map((t) => t.length).join('/');
}

/** Flushes and re-reads until two reads `quietMs` apart have the same row counts. */
export async function settleStore(
  browser: ExtensionBrowser,
  { quietMs = 500, timeoutMs = 10_000 }: SettleOptions = {},
): Promise<StoreSnapshot> {
  const deadline = Date.now() + timeoutMs;
  await browser.flush();
  let last = await browser.readStore();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, quietMs));
    await browser.flush();
    const next = await browser.readStore();
    if (size(next) === size(last)) return next;
    last = next;
  }
  return last;
}
