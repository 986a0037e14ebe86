// Pure helpers of the report page, table-driven.
import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from '../../src/ui/report/route.ts';
import { filterSites, sortSites, summarizeSites } from '../../src/ui/report/logic/sites.ts';
import { timeline } from '../../src/ui/report/logic/timeline.ts';
import { layoutGraph, partyGraph, tagTree, PAGE_NODE } from '../../src/ui/report/logic/graph.ts';
import {
  matchRequest,
  previewMatches,
  valueForms,
} from '../../src/ui/report/logic/value-search.ts';
import { crossSiteParties } from '../../src/ui/report/logic/cross-site.ts';
import { searchRows, matchKinds } from '../../src/ui/report/logic/search.ts';
import { mergeCookies, siteDetail } from '../../src/ui/report/logic/site-detail.ts';
import { exportFileName } from '../../src/ui/report/logic/exports.ts';
import type { Report } from '../../src/report/types.ts';
import { STORED } from '../../src/ui/report/logic/inventory.ts';
import { visibleRange } from '../../src/ui/shared/VirtualList.tsx';
import { lifetime } from '../../src/ui/report/views/site/CookiesPanel.tsx';
import type { ReportParty } from '../../src/report/types.ts';
import type { CookieRow, PageRow, RequestRow } from '../../src/storage/db.ts';
import { finding, nytFindings, nytPage, nytParties, party, reportParty } from './helpers.ts';

const page = (id: string, site: string, visitedAt: number, imported = false): PageRow => ({
  id,
  tabId: 1,
  url: `https://${site}/`,
  site,
  visitedAt,
  imported,
});

function cookie(name: string, fields: Partial<CookieRow> = {}): CookieRow {
  return {
    id: `${nytPage.id}|t.test|${name}|/`,
    pageId: nytPage.id,
    site: 'nytimes.com',
    name,
    domain: 't.test',
    path: '/',
    party: 't.test',
    firstParty: false,
    setBy: 'header',
    requestUrl: null,
    scriptUrl: null,
    expires: null,
    secure: true,
    httpOnly: false,
    sameSite: 'no_restriction',
    identifierLike: false,
    valueLength: 10,
    entropyBits: 40,
    time: 1,
    ...fields,
  };
}

describe('route', () => {
  it.each([
    ['', { view: 'sites', site: null, params: {} }],
    [
      '#/sites?q=ny&sort=parties',
      { view: 'sites', site: null, params: { q: 'ny', sort: 'parties' } },
    ],
    [
      '#/site/nytimes.com?tab=cookies',
      { view: 'site', site: 'nytimes.com', params: { tab: 'cookies' } },
    ],
    ['#/site/', { view: 'sites', site: null, params: {} }],
    ['#/site/%E0%A4%A', { view: 'sites', site: null, params: {} }],
    ['#/nonsense', { view: 'sites', site: null, params: {} }],
    ['#/search?value=a%26b%3Dc', { view: 'search', site: null, params: { value: 'a&b=c' } }],
  ])('parses %j', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it.each([
    '#/site/a.com?tab=cookies',
    '#/search?q=x+y&value=%3Cscript%3E',
    '#/data',
    '#/site/%3Cb%3E.com',
  ])('round-trips %s', (hash) => {
    expect(formatRoute(parseRoute(hash))).toBe(hash);
  });
});

describe('sites', () => {
  const data = {
    pages: [page('1', 'a.com', 10), page('2', 'a.com', 30), page('3', 'b.com', 20, true)],
    parties: [
      party('t.com', { pageId: '1', site: 'a.com', pixels: 1, kinds: ['pixel'] }),
      party('t.com', { pageId: '2', site: 'a.com', kinds: ['pixel', 'pii-leak'] }),
      party('cdn.com', { pageId: '2', site: 'a.com', category: 'cdn' }),
      party('a.com', { pageId: '2', site: 'a.com', firstParty: true, kinds: ['pixel'] }),
      party('x.com', { pageId: '3', site: 'b.com', pixels: 2, kinds: ['pixel'] }),
    ],
  };
  const counts = new Map([
    ['a.com', { requests: 5, findings: 0 }],
    ['b.com', { requests: 0, findings: 2 }],
  ]);
  const rows = summarizeSites(data, counts);

  it('adds up visits, third parties, collectors and kinds per site', () => {
    expect(rows.find((r) => r.site === 'a.com')).toMatchObject({
      visits: 2,
      lastVisit: 30,
      parties: 2,
      trackers: 1,
      requests: 5,
      findings: 0,
      imported: false,
      kinds: { pixel: 1, 'pii-leak': 1 },
    });
    expect(rows.find((r) => r.site === 'b.com')).toMatchObject({ imported: true, findings: 2 });
  });

  it.each([
    ['site', 'asc', ['a.com', 'b.com']],
    ['site', 'desc', ['b.com', 'a.com']],
    ['lastVisit', 'desc', ['a.com', 'b.com']],
    ['findings', 'desc', ['b.com', 'a.com']],
  ] as const)('sorts by %s %s', (key, dir, order) => {
    expect(sortSites(rows, key, dir).map((r) => r.site)).toEqual(order);
  });

  it('lists sites before their stored counts are known, with null counts', () => {
    const early = summarizeSites(data);
    expect(early.map((r) => [r.site, r.visits, r.requests, r.findings])).toEqual([
      ['a.com', 2, null, null],
      ['b.com', 1, null, null],
    ]);
    expect(sortSites(early, 'requests', 'desc').map((r) => r.site)).toEqual(['a.com', 'b.com']);
  });

  it('filters case-insensitively', () => {
    expect(filterSites(rows, ' B.C ').map((r) => r.site)).toEqual(['b.com']);
    expect(filterSites(rows, '')).toHaveLength(2);
  });
});

describe('timeline', () => {
  it('says what appeared and disappeared between visits, in time order', () => {
    const pages = [page('2', 'a.com', 20), page('1', 'a.com', 10), page('3', 'a.com', 30)];
    const parties = [
      party('x.com', { pageId: '1' }),
      party('y.com', { pageId: '1' }),
      party('y.com', { pageId: '2' }),
      party('z.com', { pageId: '2' }),
      party('a.com', { pageId: '2', firstParty: true }),
    ];
    const t = timeline(pages, parties);
    expect(t.map((v) => [v.page.id, v.appeared, v.disappeared])).toEqual([
      ['1', [], []],
      ['2', ['z.com'], ['x.com']],
      ['3', [], ['y.com', 'z.com']],
    ]);
  });

  it('marks visits after a saved baseline with what is new since it and what is missing', () => {
    const pages = [page('1', 'a.com', 10), page('2', 'a.com', 20), page('3', 'a.com', 30)];
    const parties = [
      party('x.com', { pageId: '1' }),
      party('y.com', { pageId: '1' }),
      party('y.com', { pageId: '2' }),
      party('z.com', { pageId: '2' }),
      party('x.com', { pageId: '3' }),
      party('y.com', { pageId: '3' }),
    ];
    const t = timeline(pages, parties, { savedAt: 15, domains: ['x.com', 'y.com'] });
    expect(t.map((v) => [v.page.id, v.baseline])).toEqual([
      ['1', null], // made before the baseline: what it was built from
      ['2', { added: ['z.com'], missing: ['x.com'] }],
      ['3', { added: [], missing: [] }],
    ]);
    expect(timeline(pages, parties).every((v) => v.baseline === null)).toBe(true);
  });
});

const rp = (domain: string, fields: Partial<ReportParty> = {}): ReportParty =>
  reportParty(domain, { site: 'pub.com', ...fields });

describe('tag tree', () => {
  it('lays out publisher → tag → piggybacked tag → pixel in columns', () => {
    const g = tagTree('pub.com', [
      rp('pub.com', { firstParty: true, loadedBy: null }),
      rp('gtm.com', { loadedBy: 'pub.com' }),
      rp('krxd.net', { loadedBy: 'gtm.com' }),
      rp('pixel.com', { loadedBy: 'krxd.net', pixels: 3 }),
      rp('lost.com', { loadedBy: null }),
    ]);
    const layer = Object.fromEntries(g.nodes.map((n) => [n.id, [n.layer, n.kind]]));
    expect(layer).toEqual({
      [PAGE_NODE]: [0, 'page'],
      'gtm.com': [1, 'tag'],
      'krxd.net': [2, 'tag'],
      'pixel.com': [3, 'pixel'],
      'lost.com': [1, 'party'],
    });
    expect(g.edges).toContainEqual({ from: PAGE_NODE, to: 'lost.com', unknown: true });
    const l = layoutGraph(g);
    const x = Object.fromEntries(l.nodes.map((n) => [n.id, n.x]));
    expect(x['pixel.com']).toBeGreaterThan(x['krxd.net']!);
    expect(l.width).toBeGreaterThan(3 * 200);
  });

  it('cuts loops instead of recursing forever', () => {
    const g = tagTree('pub.com', [
      rp('a.com', { loadedBy: 'b.com' }),
      rp('b.com', { loadedBy: 'a.com' }),
    ]);
    expect(g.nodes.every((n) => Number.isFinite(n.layer))).toBe(true);
  });

  it('stays bounded in height at 100 nodes in one column', () => {
    const parties = Array.from({ length: 100 }, (_, i) => rp(`p${i}.com`));
    const l = layoutGraph(tagTree('pub.com', parties));
    expect(l.nodes).toHaveLength(101);
    expect(new Set(l.nodes.map((n) => `${n.x},${n.y}`)).size).toBe(101); // no overlaps
    expect(l.height).toBeLessThan(100 * 30);
  });

  it('party graph: sites left, the parties on most sites first', () => {
    const g = partyGraph(
      [
        { site: 'a.com', domain: 'x.com', tracking: true },
        { site: 'b.com', domain: 'x.com', tracking: false },
        { site: 'a.com', domain: 'y.com', tracking: false },
      ],
      1,
    );
    expect(g.nodes.map((n) => n.id)).toEqual(['site:a.com', 'site:b.com', 'party:x.com']);
    expect(g.nodes[2]!.tracking).toBe(true);
    expect(g.edges).toHaveLength(2);
  });
});

describe('where did this value go', () => {
  const req = (url: string): RequestRow => ({
    id: url,
    pageId: 'p',
    site: 'a.com',
    url,
    host: 'h',
    party: 'h',
    type: 'image',
    method: 'GET',
    initiator: null,
    status: 200,
    firstParty: false,
    tracker: null,
    time: 0,
  });
  const value = 'Ab3dE5fG7h/+x';
  const forms = valueForms(value);

  it.each([
    [`https://t.com/p?id=${value}`, 'plain'],
    [`https://t.com/p?id=${encodeURIComponent(value)}`, 'plain'],
    [`https://t.com/p?id=${btoa(value).replace(/=+$/, '')}`, 'base64'],
    // sha256("Ab3dE5fG7h/+x"), upper-cased: hex is compared without case.
    [
      `https://t.com/p?h=${forms.find((f) => f.encoding === 'sha256')!.text.toUpperCase()}`,
      'sha256',
    ],
    ['https://t.com/p?id=other', null],
  ])('%s → %s', (url, encoding) => {
    expect(matchRequest(req(url), forms)?.encoding ?? null).toBe(encoding);
  });

  it('refuses values too short to mean anything', () => {
    expect(valueForms('12345')).toEqual([]);
  });

  it('treats a masked preview as a possible match only when its visible part matches', () => {
    expect(
      previewMatches(finding('x.com', { evidence: { rule: 'r', preview: 'Ab3d…' } }), value),
    ).toBe(true);
    expect(
      previewMatches(finding('x.com', { evidence: { rule: 'r', preview: 'Zzzz…' } }), value),
    ).toBe(false);
    expect(
      previewMatches(
        finding('x.com', { evidence: { rule: 'r', preview: 'j***@e***.com' } }),
        'j@e.com',
      ),
    ).toBe(false);
  });
});

describe('cross-site parties, search, cookies', () => {
  it('lists each third party once with the sites it was on', () => {
    const rows = crossSiteParties([
      ...nytParties,
      party('doubleclick.net', { pageId: 'other', site: 'bbc.co.uk', kinds: ['pixel'] }),
    ]);
    const dc = rows.find((p) => p.domain === 'doubleclick.net')!;
    expect(rows[0]!.domain).toBe('doubleclick.net');
    expect(dc.sites.map((s) => s.site).sort()).toEqual(['bbc.co.uk', 'nytimes.com']);
    expect(rows.some((p) => p.domain === 'nytimes.com' || p.domain === 'nyt.com')).toBe(false);
  });

  it('searches hosts, organizations, cookie names and kinds', () => {
    const r = searchRows('google', nytParties, [cookie('_ga')]);
    expect(r.organizations.map((o) => o.organization)).toEqual(['Google']);
    expect(r.hosts.map((h) => h.host)).toContain('www.google-analytics.com');
    expect(searchRows('_g', [], [cookie('_ga')]).cookies).toEqual([
      { name: '_ga', domain: 't.test', sites: ['nytimes.com'] },
    ]);
    expect(matchKinds('personal')).toEqual(['pii-leak']);
    expect(matchKinds('cookie')).toEqual(
      expect.arrayContaining(['third-party-cookie', 'cookie-sharing']),
    );
  });

  it('merges a cookie seen on several visits', () => {
    const merged = mergeCookies([
      cookie('id', { pageId: 'a', expires: 100, setBy: 'header' }),
      cookie('id', {
        pageId: 'b',
        expires: 200,
        setBy: 'script',
        scriptUrl: 'https://s/x.js',
        identifierLike: true,
      }),
    ]);
    expect(merged).toEqual([
      expect.objectContaining({
        name: 'id',
        visits: 2,
        expires: 200,
        setBy: ['header', 'script'],
        identifierLike: true,
        scriptUrl: 'https://s/x.js',
      }),
    ]);
  });

  it('site detail reuses the report aggregation and metrics', () => {
    const d = siteDetail({
      site: 'nytimes.com',
      pages: [nytPage],
      parties: nytParties,
      cookies: [cookie('id', { setBy: 'script' })],
    });
    expect(d.metrics).toMatchObject({
      site: 'nytimes.com',
      pageViews: 1,
      cookieWritesBySetter: { header: 0, script: 1, api: 0 },
    });
    expect(d.groups[0]!.section).toBe('tracking');
    expect(d.groups.at(-1)!.section).toBe('first-party');
  });
});

describe('small helpers', () => {
  it.each([
    [0, 500, 20, 1000, { start: 0, end: 31 }],
    [10_000, 500, 20, 100_000, { start: 494, end: 531 }],
    [99_990 * 20, 500, 20, 100_000, { start: 99_984, end: 100_000 }],
  ])('visibleRange(%i, %i, %i, %i)', (top, vp, h, n, range) => {
    expect(visibleRange(top, vp, h, n)).toEqual(range);
  });

  it.each([
    [null, 'session'],
    [-1, 'expired'],
    [3_600_000, 'under a day'],
    [30 * 86_400_000, '30 days'],
    [365 * 86_400_000, '1 year'],
    [548 * 86_400_000, '1.5 years'],
  ])('lifetime(%s) is %s', (delta, text) => {
    expect(lifetime(delta === null ? null : 1_000 + delta, 1_000)).toBe(text);
  });

  it('names export files safely', () => {
    expect(exportFileName('json', null)).toBe('leakwatch-report.json');
    expect(exportFileName('csv', '../<x>.com')).toBe('leakwatch-.._x_.com-findings.csv');
  });

  it('"what is stored" names every field of every stored row', () => {
    const fields = (t: string) =>
      STORED.find((s) => s.table === t)!
        .fields.map(([f]) => f)
        .sort();
    expect(fields('pages')).toEqual(Object.keys(nytPage).sort());
    expect(fields('parties')).toEqual(Object.keys(nytParties[0]!).sort());
    expect(fields('cookies')).toEqual(Object.keys(cookie('x')).sort());
    expect(fields('findings')).toEqual(['id', ...Object.keys(nytFindings[0]!)].sort());
  });
});

describe("one site's export with its authorized list", () => {
  it('turns uninvited parties into unauthorized-party findings with their loader', async () => {
    const { renderExport } = await import('../../src/ui/report/logic/exports.ts');
    const { sampleInput, META } = await import('../unit/report/rows.fixture.ts');
    const authorized = { domains: ['tagvendor.test'], organizations: [] };
    const plain = JSON.parse(renderExport('json', sampleInput(), META).text) as Report;
    expect(plain.findings.filter((f) => f.kind === 'unauthorized-party')).toEqual([]);
    const withList = JSON.parse(
      renderExport('json', sampleInput(), META, { authorized }).text,
    ) as Report;
    const uninvited = withList.findings.filter((f) => f.kind === 'unauthorized-party');
    expect(uninvited.map((f) => f.party)).toEqual(['pixel.test']);
    expect(uninvited[0]!.explanation).toContain('tagvendor.test');
    expect(withList.parties.find((p) => p.domain === 'tagvendor.test')?.authorized).toBe(true);
  });
});
