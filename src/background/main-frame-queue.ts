// Top-level document requests arrive before the visit they start: onBeforeRequest (and any
// redirect hops) happen before webNavigation.onCommitted creates the visit. Such records
// wait here, per tab, until the commit, so the page's own document counts for the new
// visit and not for the page the user is leaving.
//
// MV3 lifetime: losing this queue loses at most a few document records of a navigation
// that was in progress while the worker stopped.
import type { CapturedRequest } from '../platform/request-assembler.ts';

const MAX_PER_TAB = 20;

export function createMainFrameQueue(maxAgeMs = 10_000) {
  const held = new Map<number, CapturedRequest[]>();

  return {
    hold(c: CapturedRequest): void {
      const list = held.get(c.record.tabId) ?? [];
      list.push(c);
      if (list.length > MAX_PER_TAB) list.shift();
      held.set(c.record.tabId, list);
    },

    /** Records of `tabId` started before the commit at `time`. */
    takeFor(tabId: number, time: number): CapturedRequest[] {
      const list = held.get(tabId);
      if (!list) return [];
      const taken = list.filter((c) => c.record.time <= time);
      const rest = list.filter((c) => c.record.time > time);
      if (rest.length) held.set(tabId, rest);
      else held.delete(tabId);
      return taken;
    },

    /** Records no commit claimed (downloads, 204s, aborted navigations). */
    expired(now: number): CapturedRequest[] {
      const out: CapturedRequest[] = [];
      for (const [tabId, list] of held) {
        const keep = list.filter((c) => now - c.record.time <= maxAgeMs);
        for (const c of list) if (now - c.record.time > maxAgeMs) out.push(c);
        if (keep.length) held.set(tabId, keep);
        else held.delete(tabId);
      }
      return out;
    },

    dropTab(tabId: number): CapturedRequest[] {
      const list = held.get(tabId) ?? [];
      held.delete(tabId);
      return list;
    },
  };
}

export type MainFrameQueue = ReturnType<typeof createMainFrameQueue>;
