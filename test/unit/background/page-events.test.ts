// A document's last page-world batch (sent at pagehide) is filed under that document's own
// visit, even when the tab already shows the next page.
import { describe, expect, it } from 'vitest';
import { createPageEventSink } from '../../../src/background/page-events.ts';
import { createPageWorldAnalyzer } from '../../../src/core/pageworld/analyze.ts';
import type { PageContext } from '../../../src/core/model.ts';

const visit = (pageId: string, url: string): PageContext => ({
  pageId,
  url,
  site: 'news.test',
  organization: null,
  tabId: 4,
  visitedAt: 1,
});
const FIRST = visit('first', 'https://news.test/');
const SECOND = visit('second', 'https://news.test/second.html');

function sink() {
  const titles: [string, string][] = [];
  const s = createPageEventSink({
    pageWorld: createPageWorldAnalyzer(),
    analyzer: {
      analyzeCookie: () => {
        throw new Error('not used');
      },
      setPageTitle: (pageId, title) => void titles.push([pageId, title]),
    },
    tracker: {
      pageOfTab: async () => SECOND,
      pageOfDocument: (id) => (id === 'doc-1' ? FIRST : null),
    },
    writer: { findings: () => undefined, cookie: () => undefined, party: () => undefined },
    privacy: { allowTabEvent: async () => true },
    drain: async () => undefined,
    registerTyped: () => undefined,
  });
  return { s, titles };
}

describe('page events', () => {
  it("go to the sending document's visit, else to the tab's current one", async () => {
    const { s, titles } = sink();
    const batch = { events: [], typed: [], dropped: 0, title: 'Flood warning' };
    const sender = { tabId: 4, frameId: 0, url: FIRST.url, incognito: false };
    await s.pageEvents(batch, { ...sender, documentId: 'doc-1' });
    await s.pageEvents(batch, { ...sender, documentId: null });
    await s.pageEvents(batch, { ...sender, documentId: 'unknown' });
    expect(titles).toEqual([
      ['first', 'Flood warning'],
      ['second', 'Flood warning'],
      ['second', 'Flood warning'],
    ]);
  });
});
