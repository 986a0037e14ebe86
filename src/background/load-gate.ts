// Keeps the background's work out of the way of loading pages.
//
// An auditing extension competes with the page for the same CPU: on a 2-core machine the
// analysis and the IndexedDB writes of a page's 300 requests, done as they arrive, made its
// load event 1.2–1.4x later (bench/README.md, "Where the page-load overhead goes"). Capture
// itself is cheap; so while any tab's top document is loading, the pipeline's work is held
// here, in arrival order, and runs as one batch when the last loading tab fires its load
// event (webNavigation.onCompleted), which also means one write transaction instead of dozens.
//
// Bounds, so holding never costs a finding: at most MAX_HOLD_MS of waiting (a page whose load
// never ends still gets its findings stored every few seconds), at most MAX_HELD items
// (memory), and a loading mark older than STALE_LOADING_MS is forgotten (a load whose
// completion event never came). Anything that must see every event so far (the popup, the
// report page, `flush`) releases the hold at once. What is held is lost if the worker is
// stopped meanwhile, like the writer's unflushed rows: the page's Resource Timing ledger
// recovers those requests (./reconcile.ts).

export const MAX_HOLD_MS = 3_000;
export const MAX_HELD = 20_000;
export const STALE_LOADING_MS = 30_000;

export interface LoadGateOptions {
  maxHoldMs?: number;
  maxHeld?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export interface LoadGate {
  /** Runs `work` now, or in order with the rest once no page is loading. */
  pass(work: () => void): void;
  /** A tab's top document started loading (its commit). */
  loading(tabId: number): void;
  /** A tab's top document finished loading, failed, or the tab closed. */
  loaded(tabId: number): void;
  /** Runs everything held now (callers that need every event so far). */
  release(): void;
  /** Resolves once what is held now has run, without hurrying it. */
  settled(): Promise<void>;
}

export function createLoadGate(opts: LoadGateOptions = {}): LoadGate {
  const maxHoldMs = opts.maxHoldMs ?? MAX_HOLD_MS;
  const maxHeld = opts.maxHeld ?? MAX_HELD;
  const now = opts.now ?? Date.now;
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  /** Tabs loading now, with the time their load started. */
  const loadingTabs = new Map<number, number>();
  let held: (() => void)[] = [];
  let waiters: (() => void)[] = [];
  let timer: unknown = null;

  function forgetStale(): void {
    const t = now();
    for (const [tab, since] of loadingTabs)
      if (t - since > STALE_LOADING_MS) loadingTabs.delete(tab);
  }

  function release(): void {
    if (timer !== null) {
      clearTimer(timer);
      timer = null;
    }
    const work = held;
    const done = waiters;
    held = [];
    waiters = [];
    // Each item only chains a promise (the pipeline's), so one throwing is a bug; still, one
    // item's failure must not strand the rest.
    for (const w of work) {
      try {
        w();
      } catch (error) {
        console.error('leakwatch: held work failed', error);
      }
    }
    for (const resolve of done) resolve();
  }

  return {
    pass(work) {
      if (loadingTabs.size > 0) forgetStale();
      if (loadingTabs.size === 0) {
        // Whatever is still held (its tab's mark just went stale) goes first: order is kept.
        if (held.length > 0) release();
        work();
        return;
      }
      held.push(work);
      // The first item held starts the clock: a page loading for long still gets its rows.
      if (timer === null) timer = setTimer(release, maxHoldMs);
      if (held.length >= maxHeld) release();
    },
    loading(tabId) {
      if (tabId >= 0) loadingTabs.set(tabId, now());
    },
    loaded(tabId) {
      if (!loadingTabs.delete(tabId)) return;
      forgetStale();
      if (loadingTabs.size === 0) release();
    },
    release,
    settled() {
      if (held.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}
