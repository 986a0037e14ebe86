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
