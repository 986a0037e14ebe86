// The action badge: how many tracking parties (third parties that are known trackers or
// sent a pixel) the tab's current visit has. Counted from the stored party rows after each
// flush, so the number is right after a worker restart too. On a site with an authorized
// list, the badge turns orange while any party not on the list is present.
import type { PageTracker } from './page-tracker.ts';
import type { BadgeCount } from '../storage/visits.ts';

export const BADGE_COLOR = '#b3261e';
/**
 * Recounts at most this often. The writer flushes every 20 ms while a page loads, and a
 * recount per flush (a party-table read and two badge calls) was a measurable part of the
 * extension's cost to a busy page (bench/README.md, "Where the page-load overhead goes").
 */
export const BADGE_EVERY_MS = 250;
export const BADGE_COLOR_UNAUTHORIZED = '#e8710a';

export interface BadgeDeps {
  tracker: Pick<PageTracker, 'tabsShowing' | 'currentPageId'>;
  countTrackingParties(pageId: string): Promise<BadgeCount>;
  setBadgeText(tabId: number, text: string): Promise<void>;
  /** Per-tab colour; absent: the default colour only. */
  setBadgeColor?(tabId: number, color: string): Promise<void>;
  log?: (message: string, error?: unknown) => void;
  now?: () => number;
}

export function createBadge(deps: BadgeDeps) {
  const log = deps.log ?? ((m: string, e?: unknown) => console.error(m, e));
  const set = (tabId: number, text: string) =>
    deps.setBadgeText(tabId, text).catch((error: unknown) => {
      // Tabs close between the flush and this call; that is not worth a log line.
      if (!String(error).includes('tab')) log('leakwatch: badge update failed', error);
    });

  const color = (tabId: number, c: string) =>
    (deps.setBadgeColor?.(tabId, c) ?? Promise.resolve()).catch((error: unknown) => {
      if (!String(error).includes('tab')) log('leakwatch: badge colour update failed', error);
    });

  const now = deps.now ?? Date.now;
  // What each tab shows, so an unchanged count costs no badge call. Lost on restart: the
  // first recount after it sets everything again.
  const shown = new Map<number, { text: string; color: string }>();
  let pending = new Set<string>();
  let scheduled: Promise<void> | null = null;
  let lastRun = Number.NEGATIVE_INFINITY;

  async function run(): Promise<void> {
    lastRun = now();
    const pageIds = pending;
    pending = new Set();
    const tabs = deps.tracker.tabsShowing(pageIds);
    await Promise.all(
      tabs.map(async (tabId) => {
        const pageId = deps.tracker.currentPageId(tabId);
        if (!pageId) return;
        const { count: n, unauthorized } = await deps.countTrackingParties(pageId);
        const next = {
          text: n > 0 ? String(Math.min(n, 999)) : '',
          color: unauthorized ? BADGE_COLOR_UNAUTHORIZED : BADGE_COLOR,
        };
        const before = shown.get(tabId);
        shown.set(tabId, next);
        if (before?.color !== next.color) await color(tabId, next.color);
        if (before?.text !== next.text) await set(tabId, next.text);
      }),
    );
  }

  return {
    /**
     * After a flush: refresh the tabs whose current visit got new rows, at most once per
     * BADGE_EVERY_MS (visits named meanwhile are gathered). Resolves when that recount is done.
     */
    refresh(pageIds: Set<string>): Promise<void> {
      for (const id of pageIds) pending.add(id);
      if (scheduled) return scheduled;
      const wait = Math.max(0, lastRun + BADGE_EVERY_MS - now());
      scheduled = new Promise<void>((r) => setTimeout(r, wait)).then(() => {
        scheduled = null;
        return run();
      });
      return scheduled;
    },

    /** A new visit starts empty (the browser also resets a tab's badge on navigation). */
    clear(tabId: number): Promise<void> {
      shown.set(tabId, { text: '', color: '' });
      return set(tabId, '');
    },
  };
}
