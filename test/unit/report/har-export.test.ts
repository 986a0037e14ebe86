import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/report/build.ts';
import { reportToHar } from '../../../src/report/har-export.ts';
import { META, sampleInput } from './rows.fixture.ts';

describe('HAR export', () => {
  it('has the HAR 1.2 shape, one entry per request, no bodies or cookie values', () => {
    const report = buildReport(sampleInput(), META);
    const har = reportToHar(report);
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'leakwatch', version: '0.1.0' });
    expect(har.log.pages).toEqual([
      {
        id: 'page_1',
        title: report.pages[0]!.url,
        startedDateTime: report.pages[0]!.visitedAt,
        pageTimings: {},
      },
    ]);
    expect(har.log.entries).toHaveLength(report.requests.length);
    for (const e of har.log.entries) {
      expect(e.pageref).toBe('page_1');
      expect(Number.isNaN(Date.parse(e.startedDateTime))).toBe(false);
      expect(e.request).toMatchObject({
        httpVersion: '',
        cookies: [],
        headers: [],
        headersSize: -1,
        bodySize: -1,
      });
      expect(e.request).not.toHaveProperty('postData');
      expect(e.response.cookies).toEqual([]);
      expect(typeof e.response.status).toBe('number');
      expect(e.timings).toEqual({ send: 0, wait: 0, receive: 0 });
    }
    expect(har.log.entries[0]?.request.queryString).toEqual([{ name: 'n', value: '1' }]);
    expect(har.log.entries[3]?._tracker).toBe('pixel');
  });

  it('puts each request on its own visit when a URL was visited twice', () => {
    const input = sampleInput();
    const first = input.pages[0]!;
    const later = first.visitedAt + 60_000;
    input.pages.push({ ...first, id: 'p2', visitedAt: later });
    const again = input.requests.map((q, i) => ({
      ...q,
      id: `again${i}`,
      pageId: 'p2',
      time: later + i,
    }));
    input.requests.push(...again);
    const har = reportToHar(buildReport(input, META));
    expect(har.log.pages.map((p) => p.title)).toEqual([first.url, first.url]);
    const refs = har.log.entries.map((e) => e.pageref);
    const n = again.length;
    expect(refs).toEqual([...Array<string>(n).fill('page_1'), ...Array<string>(n).fill('page_2')]);
  });
});
