// The action badge: how many tracking parties (third parties that are known trackers or
// sent a pixel) the tab's current visit has. Counted from the stored party rows after each
// flush, so the number is right after a worker restart too.
import type { PageTracker } from './page-tracker.ts';

export interface BadgeDeps {
  tracker: Pick<PageTracker, 'tabsShowing' | 'currentPageId'>;
  countTrackingParties(pageId: string): Promise<number>;
  setBadgeText(tabId: number, text: string): Promise<void>;
  log?: (message: string, error?: unknown) => void;
}

export function createBadge(deps: BadgeDeps) {
  const log = deps.log ?? ((m: string, e?: unknown) => console.error(m, e));
  const set = (tabId: number, text: string) =>
    deps.setBadgeText(tabId, text).catch((error: unknown) => {
      // Tabs close between the flush and this call; that is not worth a log line.
      if (!String(error).includes('tab')) log('leakwatch: badge update failed', error);
    });

  return {
    /** After a flush: refresh the tabs whose current visit got new rows. */
    async refresh(pageIds: Set<string>): Promise<void> {
      const tabs = deps.tracker.tabsShowing(pageIds);
      await Promise.all(
        tabs.map(async (tabId) => {
          const pageId = deps.tracker.currentPageId(tabId);
          if (!pageId) return;
          const n = await deps.countTrackingParties(pageId);
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
