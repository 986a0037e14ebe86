// Waiting for the extension's store to stop changing: for callers that cannot name the
// rows they expect (the demo, the audit CLI). Tests wait for named rows instead.
import type { ExtensionBrowser, StoreSnapshot } from './chromium.ts';

export interface SettleOptions {
  /** The store must be unchanged for this long. */
  quietMs?: number;
  /** Give up (returning the latest snapshot) after this long. */
  timeoutMs?: number;
}

/** Row counts, plus the merged rows' content: party and cookie rows change in place. */
function size(s: StoreSnapshot): string {
  const counts = [s.pages, s.requests, s.cookies, s.parties, s.findings].map((t) => t.length);
  return `${counts.join('/')}:${JSON.stringify(s.parties).length}:${JSON.stringify(s.cookies).length}`;
}

/** Flushes and re-reads until two reads `quietMs` apart agree. */
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
