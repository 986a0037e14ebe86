// The relay's Resource Timing ledger (src/content/ledger.ts) over a scripted timeline: what
// it sends when the background asks, on a page that fetched more than the browser's
// 250-entry timeline buffer before anyone asked, and how it stays bounded meanwhile.
import { describe, expect, it } from 'vitest';
import { createLedger, KEEP_UNASKED_MS, type Timeline } from '../../../src/content/ledger.ts';
import { LEDGER_REQUEST, MAX_LEDGER_ENTRIES } from '../../../src/core/resource-ledger.ts';
import type { ResourceLedger } from '../../../src/core/resource-ledger.ts';

const ORIGIN = 1_800_000_000_000;

/** A page's timeline: `fetch` adds a finished entry, delivered like Chrome does (batched). */
function scriptedTimeline(opts: { observers?: boolean; bufferSize?: number } = {}) {
  const bufferSize = opts.bufferSize ?? 250;
  let clock = 0;
  const buffer: PerformanceEntry[] = [];
  const pending: PerformanceEntry[] = [];
  let deliver: ((e: readonly PerformanceEntry[]) => void) | null = null;
  let hide: (() => void) | null = null;
  const timeline: Timeline = {
    timeOrigin: ORIGIN,
    now: () => clock,
    observe(onEntries) {
      if (opts.observers === false) return null;
      deliver = onEntries;
      pending.push(...buffer);
      return { take: () => onEntries(pending.splice(0)) };
    },
    buffered: () => buffer.slice(),
    onPageHide: (l) => void (hide = l),
  };
  return {
    timeline,
    /** A fetch of `url` that started now; the observer sees it at the next `deliver()`. */
    fetch(url: string, kind = 'img') {
      const entry = { name: url, initiatorType: kind, startTime: clock } as unknown;
      if (buffer.length < bufferSize) buffer.push(entry as PerformanceEntry);
      if (deliver) pending.push(entry as PerformanceEntry);
    },
    deliver() {
      deliver?.(pending.splice(0));
    },
    advance(ms: number) {
      clock += ms;
    },
    hide() {
      hide?.();
    },
  };
}

function ask(ledger: ReturnType<typeof createLedger>, pageId = 'visit-1'): boolean {
  return ledger.onRequest({ type: LEDGER_REQUEST, pageId });
}

function setup(opts?: Parameters<typeof scriptedTimeline>[0]) {
  const page = scriptedTimeline(opts);
  const sent: ResourceLedger[] = [];
  const ledger = createLedger({ send: (l) => sent.push(l), timeline: page.timeline });
  return { page, sent, ledger };
}

describe('resource ledger', () => {
  it('sends nothing until asked, then every fetch, past the 250-entry timeline buffer', () => {
    const { page, sent, ledger } = setup();
    for (let i = 0; i < 400; i++) {
      page.fetch(`https://t.test/r/${i}.gif`);
      page.advance(10);
      if (i % 7 === 0) page.deliver();
    }
    page.hide(); // a page hidden before any ask says nothing
    expect(sent).toEqual([]);

    expect(ask(ledger)).toBe(true);
    expect(sent).toHaveLength(1);
    const urls = sent[0]!.entries.map((e) => e.url);
    expect(urls).toHaveLength(400);
    expect(urls[399]).toBe('https://t.test/r/399.gif');
    expect(sent[0]!.pageId).toBe('visit-1');
    expect(sent[0]!.entries[1]).toEqual({
      url: 'https://t.test/r/1.gif',
      kind: 'img',
      start: ORIGIN + 10,
    });
  });

  it('sends again when the document goes away, with what came after the ask', () => {
    const { page, sent, ledger } = setup();
    page.fetch('https://t.test/a.js', 'script');
    ask(ledger);
    page.fetch('https://t.test/late.gif');
    page.hide();
    expect(sent.map((l) => l.entries.map((e) => e.url))).toEqual([
      ['https://t.test/a.js'],
      ['https://t.test/a.js', 'https://t.test/late.gif'],
    ]);
  });

  it('ignores other messages and caps a forged visit id', () => {
    const { sent, ledger } = setup();
    expect(ledger.onRequest({ type: 'something else', pageId: 'x' })).toBe(false);
    expect(ledger.onRequest(null)).toBe(false);
    expect(ledger.onRequest({ type: LEDGER_REQUEST, pageId: 42 })).toBe(false);
    expect(sent).toEqual([]);
    expect(ask(ledger, 'v'.repeat(5_000))).toBe(true);
    expect(sent[0]!.pageId).toHaveLength(200);
  });

  it('while nobody asks, keeps the last minute of fetches and forgets older ones', () => {
    const { page, sent, ledger } = setup();
    // Ten minutes of a page fetching twice a second.
    for (let i = 0; i < 1_200; i++) {
      page.fetch(`https://t.test/poll/${i}`, 'fetch');
      page.deliver();
      page.advance(500);
    }
    ask(ledger);
    const entries = sent[0]!.entries;
    const now = ORIGIN + 1_200 * 500;
    // Every fetch of the last minute is there; nothing much older is kept.
    const lastMinute = 1_200 - KEEP_UNASKED_MS / 500;
    const urls = new Set(entries.map((e) => e.url));
    for (let i = lastMinute; i < 1_200; i++)
      expect(urls.has(`https://t.test/poll/${i}`)).toBe(true);
    // Pruned when the list reaches 500: bounded, and the first minutes are long gone.
    expect(entries.length).toBeLessThanOrEqual(500);
    expect(Math.min(...entries.map((e) => e.start))).toBeGreaterThan(now - 5 * KEEP_UNASKED_MS);
  });

  it('keeps a burst of more than the pruning threshold whole: those are what a stop loses', () => {
    const { page, sent, ledger } = setup();
    for (let i = 0; i < 5_000; i++) {
      page.fetch(`https://t.test/burst/${i}`);
      if (i % 50 === 0) page.deliver();
      page.advance(1);
    }
    ask(ledger);
    expect(new Set(sent[0]!.entries.map((e) => e.url)).size).toBe(5_000);
  });

  it('at the cap, keeps the newest fetches of a runaway page', () => {
    const { page, sent, ledger } = setup();
    const n = MAX_LEDGER_ENTRIES * 3;
    for (let i = 0; i < n; i++) page.fetch(`https://t.test/flood/${i}`);
    ask(ledger);
    const entries = sent[0]!.entries;
    expect(entries.length).toBeLessThanOrEqual(MAX_LEDGER_ENTRIES);
    expect(entries.length).toBeGreaterThan(MAX_LEDGER_ENTRIES / 2);
    expect(entries.at(-1)!.url).toBe(`https://t.test/flood/${n - 1}`);
  });

  it('without PerformanceObserver, sends the timeline buffer once asked', () => {
    const { page, sent, ledger } = setup({ observers: false });
    for (let i = 0; i < 300; i++) page.fetch(`https://t.test/r/${i}.gif`);
    ask(ledger);
    ask(ledger);
    expect(sent.map((l) => l.entries.length)).toEqual([250, 250]);
  });
});
