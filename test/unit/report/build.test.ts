import { describe, expect, it } from 'vitest';
import { parseAuthorizedList } from '../../../src/report/authorized.ts';
import { parseBaseline } from '../../../src/report/baseline.ts';
import { buildReport } from '../../../src/report/build.ts';
import { summaryLine } from '../../../src/report/summary.ts';
import { META, sampleInput } from './rows.fixture.ts';

describe('buildReport', () => {
  it('writes the contract: version, generator, ISO dates', () => {
    const r = buildReport(sampleInput(), META);
    expect(r.schemaVersion).toBe(1);
    expect(r.generator).toEqual({
      name: 'leakwatch',
      version: '0.1.0',
      trackerData: { source: 'Test list', version: '1' },
    });
    expect(r.createdAt).toBe('2025-01-02T10:00:01.000Z');
    expect(r.pages[0]?.visitedAt).toBe('2025-01-02T10:00:00.000Z');
    expect(r.cookies[0]?.expires).toMatch(/^2026-01-02T/);
    expect(r.requests.map((q) => q.time)).toEqual([...r.requests.map((q) => q.time)].sort());
  });

  it('aggregates parties per site across pages and follows the loader chain', () => {
    const input = sampleInput();
    const page2 = { ...input.pages[0]!, id: 'p2', url: 'https://news.test/2', visitedAt: 5e12 };
    input.pages.push(page2);
    input.parties.push(
      ...input.parties.map((p) => ({
        ...p,
        id: `p2|${p.domain}`,
        pageId: 'p2',
        requests: 3,
        hosts: [`cdn.${p.domain}`],
      })),
    );
    const r = buildReport(input, META);
    const pixel = r.parties.find((p) => p.domain === 'pixel.test');
    expect(r.parties).toHaveLength(3);
    expect(pixel).toMatchObject({
      site: 'news.test',
      requests: 4,
      pages: 2,
      loadedBy: 'tagvendor.test',
      loadedByChain: ['tagvendor.test', 'page'],
      kinds: ['pixel', 'page-url-leak'],
      hosts: ['cdn.pixel.test', 'www.pixel.test'],
    });
    expect(r.parties[0]?.firstParty).toBe(true);
  });

  it('keeps requests of a party that has no party row', () => {
    const input = sampleInput();
    input.requests.push({
      ...input.requests[3]!,
      id: 'r9',
      host: 'orphan.test',
      party: 'orphan.test',
    });
    const r = buildReport(input, META);
    expect(r.parties.find((p) => p.domain === 'orphan.test')).toMatchObject({
      requests: 1,
      hosts: ['orphan.test'],
    });
  });

  it('marks authorized parties and explains the uninvited ones with their chain', () => {
    const r = buildReport(sampleInput(), META, {
      authorized: parseAuthorizedList('["tagvendor.test"]'),
    });
    expect(r.parties.map((p) => [p.domain, p.authorized])).toEqual([
      ['news.test', true],
      ['pixel.test', false],
      ['tagvendor.test', true],
    ]);
    const f = r.findings.filter((x) => x.kind === 'unauthorized-party');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ party: 'pixel.test', site: 'news.test', host: 'www.pixel.test' });
    expect(f[0]?.explanation).toContain('brought in by tagvendor.test (authorized)');
    expect(f[0]?.evidence.details).toMatchObject({ firstAuthorizedAncestor: 'tagvendor.test' });
    expect(r.parties.find((p) => p.domain === 'pixel.test')?.kinds).toContain('unauthorized-party');
    expect(r.sites[0]?.shareUnauthorized).toBe(1);
  });

  it("names the host of the unauthorized party's first request, the one its requestUrl is", () => {
    const input = sampleInput();
    // A later page reaches the party on a host that sorts first among its hosts.
    const page2 = { ...input.pages[0]!, id: 'p2', url: 'https://news.test/2', visitedAt: 5e12 };
    input.pages.push(page2);
    const later = input.requests.filter((q) => q.party === 'pixel.test');
    input.requests.push(
      ...later.map((q, i) => ({
        ...q,
        id: `late${i}`,
        pageId: 'p2',
        time: 5e12 + i,
        host: 'cdn.pixel.test',
        url: q.url.replace('www.pixel.test', 'cdn.pixel.test'),
      })),
    );
    const r = buildReport(input, META, { authorized: parseAuthorizedList('["tagvendor.test"]') });
    expect(r.parties.find((p) => p.domain === 'pixel.test')?.hosts).toEqual([
      'cdn.pixel.test',
      'www.pixel.test',
    ]);
    const f = r.findings.find((x) => x.kind === 'unauthorized-party');
    expect(f?.requestUrl).toMatch(/^https:\/\/www\.pixel\.test\//);
    expect(f?.host).toBe('www.pixel.test');
  });

  it('parses authorized lists in JSON, {parties}, plain text and by organization', () => {
    expect(
      parseAuthorizedList('{"parties": ["https://*.A.test/x", {"organization": "Org"}]}'),
    ).toEqual({
      domains: ['a.test'],
      organizations: ['org'],
    });
    expect(parseAuthorizedList('# c\nb.test, pub-1, DIRECT\n\nTag Vendor Inc\n')).toEqual({
      domains: ['b.test'],
      organizations: ['tag vendor inc'],
    });
    expect(() => parseAuthorizedList('{"x": 1}')).toThrow(/parties/);
    const r = buildReport(sampleInput(), META, {
      authorized: parseAuthorizedList('Tag Vendor Inc'),
    });
    expect(r.parties.find((p) => p.domain === 'tagvendor.test')?.authorized).toBe(true);
  });

  it('diffs against a baseline: new, gone (only for audited sites) and new kinds', () => {
    const baseline = parseBaseline(
      JSON.stringify({
        schemaVersion: 1,
        createdAt: '2024-01-01T00:00:00.000Z',
        parties: [
          { site: 'news.test', domain: 'news.test', kinds: [] },
          { site: 'news.test', domain: 'pixel.test', kinds: ['pixel'] },
          { site: 'news.test', domain: 'gone.test', kinds: [] },
          { site: 'other.test', domain: 'elsewhere.test', kinds: [] },
        ],
      }),
    );
    const r = buildReport(sampleInput(), META, { baseline });
    expect(r.diff).toEqual({
      baselineCreatedAt: '2024-01-01T00:00:00.000Z',
      newParties: [{ site: 'news.test', domain: 'tagvendor.test' }],
      goneParties: [{ site: 'news.test', domain: 'gone.test' }],
      newKinds: [{ site: 'news.test', domain: 'pixel.test', kinds: ['page-url-leak'] }],
    });
    expect(summaryLine(r)).toContain('since baseline: 1 new, 1 gone, 1 with new kinds');
    expect(() => parseBaseline('{"schemaVersion": 2}')).toThrow(/schemaVersion 1/);
  });

  it('computes Krux-style metrics', () => {
    const r = buildReport(sampleInput(), META);
    expect(r.sites).toEqual([
      {
        site: 'news.test',
        pageViews: 1,
        thirdParties: 2,
        thirdPartiesPerPageView: 2,
        cookieWritesPerPageView: 1,
        cookieWritesBySetter: { header: 1, script: 0, api: 0 },
        dataCollectors: 1,
        shareNotLoadedByPage: 1,
        shareLoadedByThirdParty: 1,
        shareUnauthorized: null,
      },
    ]);
  });

  it('records failed pages once, with their error', () => {
    const input = sampleInput();
    input.failedPages = [
      {
        url: input.pages[0]!.url,
        site: 'news.test',
        visitedAt: 0,
        error: 'Timeout 30000ms exceeded',
      },
      {
        url: 'https://down.test/',
        site: 'down.test',
        visitedAt: 0,
        error: 'net::ERR_NAME_NOT_RESOLVED',
      },
    ];
    const r = buildReport(input, META);
    expect(r.pages.map((p) => [p.site, p.error])).toEqual([
      ['down.test', 'net::ERR_NAME_NOT_RESOLVED'],
      ['news.test', 'Timeout 30000ms exceeded'],
    ]);
    expect(summaryLine(r)).toMatch(
      /^2 pages \(2 failed\), 3 parties, 2 third parties, 2 trackers, 1 finding \(page-url-leak 1\)$/,
    );
  });
});
