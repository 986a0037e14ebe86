// The badge keeps its number and turns orange on a site whose authorized list leaves a
// party uninvited (issue 5).
import { describe, expect, it } from 'vitest';
import {
  BADGE_COLOR,
  BADGE_COLOR_UNAUTHORIZED,
  createBadge,
} from '../../../src/background/badge.ts';

function harness(count: number, unauthorized: boolean) {
  const calls: string[] = [];
  const badge = createBadge({
    tracker: { tabsShowing: () => [3], currentPageId: () => 'p1' },
    countTrackingParties: async () => ({ count, unauthorized }),
    setBadgeText: async (tabId, text) => void calls.push(`text ${tabId} ${text}`),
    setBadgeColor: async (tabId, color) => void calls.push(`color ${tabId} ${color}`),
  });
  return { badge, calls };
}

describe('badge colour', () => {
  it('is orange with the count kept when an unauthorized party is present', async () => {
    const { badge, calls } = harness(4, true);
    await badge.refresh(new Set(['p1']));
    expect(calls).toEqual([`color 3 ${BADGE_COLOR_UNAUTHORIZED}`, 'text 3 4']);
  });

  it('is the default colour otherwise', async () => {
    const { badge, calls } = harness(2, false);
    await badge.refresh(new Set(['p1']));
    expect(calls).toEqual([`color 3 ${BADGE_COLOR}`, 'text 3 2']);
  });
});

describe('badge recounts', () => {
  it('gathers the flushes of a busy page into one recount per interval, and skips unchanged badges', async () => {
    let counts = 0;
    const calls: string[] = [];
    const badge = createBadge({
      tracker: { tabsShowing: (ids) => (ids.size > 0 ? [3] : []), currentPageId: () => 'p1' },
      countTrackingParties: async () => {
        counts++;
        return { count: 2, unauthorized: false };
      },
      setBadgeText: async (tabId, text) => void calls.push(`text ${tabId} ${text}`),
      setBadgeColor: async (tabId, color) => void calls.push(`color ${tabId} ${color}`),
    });
    await badge.refresh(new Set(['p1']));
    expect(counts).toBe(1);
    // Ten flushes in quick succession: one recount, after the interval.
    const all = Array.from({ length: 10 }, () => badge.refresh(new Set(['p1'])));
    await Promise.all(all);
    expect(counts).toBe(2);
    // The count did not change: no second badge call.
    expect(calls).toEqual([`color 3 ${BADGE_COLOR}`, 'text 3 2']);
  });
});
