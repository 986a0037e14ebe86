// The action badge: how many tracking parties (third parties that are known trackers or
// sent a pixel) the tab's current visit has. Counted from the stored party rows after each
// flush, so the number is right after a worker restart too. On a site with an authorized
// list, the badge turns orange while any party not on the list is present.
import type { PageTracker } from './page-tracker.ts';
import type { BadgeCount } from '../storage/visits.ts';

export const BADGE_COLOR = '#b3261e';
export const BADGE_COLOR_UNAUTHORIZED = '#e8710a';

export interface BadgeDeps {
  tracker: Pick<PageTracker, 'tabsShowing' | 'currentPageId'>;
  countTrackingParties(pageId: string): Promise<BadgeCount>;
  setBadgeText(tabId: number, text: string): Promise<void>;
  /** Per-tab colour; absent: the default colour only. */
  setBadgeColor?(tabId: number, color: string): Promise<void>;
  log?: (message: string, error?: unknown) => void;
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

  return {
    /** After a flush: refresh the tabs whose current visit got new rows. */
    async refresh(pageIds: Set<string>): Promise<void> {
      const tabs = deps.tracker.tabsShowing(pageIds);
      await Promise.all(
        tabs.map(async (tabId) => {
          const pageId = deps.tracker.currentPageId(tabId);
          if (!pageId) return;
          const { count: n, unauthorized } = await deps.countTrackingParties(pageId);
          await color(tabId, unauthorized ? BADGE_COLOR_UNAUTHORIZED : BADGE_COLOR);
          await set(tabId, n > 0 ? String(Math.min(n, 999)) : '');
        }),
      );
    },

    /** A new visit starts empty. */
    clear(tabId: number): Promise<void> {
      return set(tabId, '');
    },
  };
}
