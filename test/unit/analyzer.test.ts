import { describe, expect, it } from 'vitest';
import { MAX_PAGES, createAnalyzer } from '../../src/core/analyzer.ts';
import { REQUEST_DETECTORS } from '../../src/core/detectors/index.ts';
import type { RequestDetector } from '../../src/core/detectors/types.ts';
import type { Finding, RequestRecord } from '../../src/core/model.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { convertHar } from '../../src/core/har.ts';
import { HAR_DIR } from './helpers/har.ts';
import { T0, cookie, request } from './helpers/records.ts';

function analyzeHar(name: string) {
  // The same HAR conversion the CLI's --har and the report page's import use.
  const har = convertHar(readFileSync(resolve(HAR_DIR, name), 'utf8'));
  const a = createAnalyzer();
  const pages = new Map(har.pages.map((p) => [p.id, a.pageContext(p.id, p.url, 1, T0)]));
  const page = pages.get(har.pages[0]!.id)!;
  const results = har.requests.map(({ pageId, record: req }) => ({
    req,
    result: a.analyzeRequest(pages.get(pageId)!, req),
  }));
  const findings = results.flatMap((r) => r.result.findings);
  return { page, results, findings };
}
const hostsOf = (fs: Finding[], kind: string) =>
  new Set(fs.filter((f) => f.kind === kind).map((f) => f.host));

describe('analyzer on real HARs', () => {
  // Expectations read from the HAR files (see test/fixtures/events/requests.json for copies).
  it('ferguson.com: the Meta pixel, LinkedIn, Google Analytics', () => {
    const { page, findings, results } = analyzeHar('ferguson.har');
    expect(page.site).toBe('ferguson.com');
    const trackers = hostsOf(findings, 'tracker-request');
    for (const h of [
      'www.facebook.com',
      'px.ads.linkedin.com',
      'www.google-analytics.com',
      'connect.facebook.net',
    ]) {
      expect(trackers).toContain(h);
    }
    const pixels = findings.filter((f) => f.kind === 'pixel');
    const fbPixel = pixels.find((f) => f.requestUrl?.startsWith('https://www.facebook.com/tr/'));
    expect(fbPixel?.evidence.rule).toBe('pixel:tiny-response');
    expect(hostsOf(findings, 'pixel')).toContain('analytics.google.com'); // GA4 ping
    // The site's own images and scripts are neither trackers nor pixels.
    const own = results.filter((r) => r.req.url.startsWith('https://www.ferguson.com/wwwstatic/'));
    expect(own.length).toBeGreaterThan(0);
    for (const r of own) {
      expect(r.result.party.firstParty).toBe(true);
      expect(r.result.isPixel).toBe(false);
      expect(r.result.findings.filter((f) => f.kind !== 'identifier-cookie')).toEqual([]);
    }
    // Third-party cookies from LinkedIn's sync redirect (Set-Cookie in the HAR).
    expect(hostsOf(findings, 'third-party-cookie')).toContain('linkedin.com');
    expect(
      findings.some((f) => f.kind === 'identifier-cookie' && f.evidence.cookieName === 'guid'),
    ).toBe(true);
  });

  it('nytimes.com: Krux (krxd.net) and DoubleClick Floodlight', () => {
    const { findings, results } = analyzeHar('www.nytimes.com.har');
    const trackers = hostsOf(findings, 'tracker-request');
    expect(trackers).toContain('cdn.krxd.net');
    expect(trackers).toContain('beacon.krxd.net');
    const krux = findings.find((f) => f.kind === 'tracker-request' && f.host === 'cdn.krxd.net');
    expect(krux?.explanation).toContain('Salesforce');
    expect(hostsOf(findings, 'pixel')).toContain('beacon.krxd.net');
    const fls = results.find((r) => r.req.url.includes('.fls.doubleclick.net/activityi'));
    expect(fls?.result.isPixel).toBe(true);
    // Large editorial images from the site's own CDN are not pixels.
    const jpegs = results.filter((r) => r.req.url.includes('static01.nyt.com/images/'));
    expect(jpegs.length).toBeGreaterThan(0);
    expect(jpegs.every((r) => !r.result.isPixel)).toBe(true);
    expect(jpegs[0]?.result.party.sameOrganization).toBe(true);
  });
});

describe('analyzer', () => {
  it('builds page contexts', () => {
    const a = createAnalyzer();
    expect(a.pageContext('p', 'https://www.youtube.com/watch?v=1', 3, T0)).toEqual({
      pageId: 'p',
      url: 'https://www.youtube.com/watch?v=1',
      site: 'youtube.com',
      organization: 'Google',
      tabId: 3,
      visitedAt: T0,
    });
    expect(a.pageContext('q', 'chrome-extension://abcdef/report.html', 1, T0).site).toBe('abcdef');
    expect(a.pageContext('r', 'about:blank', 1, T0).site).toBe('');
    expect(a.trackerData.source).toBe('Ghostery TrackerDB');
    expect(a.trackerData.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('computes loadedBy from initiator or document', () => {
    const a = createAnalyzer();
    const page = a.pageContext('p', 'https://www.ferguson.com/', 1, T0);
    const by = (over: Partial<RequestRecord>) =>
      a.analyzeRequest(page, request({ url: 'https://px.ads.linkedin.com/collect?v=2', ...over }))
        .loadedBy;
    expect(by({ initiator: 'https://www.ferguson.com' })).toBe('page');
    expect(by({ initiator: 'https://www.googletagmanager.com' })).toBe('googletagmanager.com');
    expect(by({ documentUrl: 'https://ads.iframe.example/frame.html' })).toBe('iframe.example');
    expect(by({ initiator: 'null' })).toBeNull();
    expect(by({})).toBeNull();
  });

  it('parses Set-Cookie headers and runs cookie detectors on them', () => {
    const a = createAnalyzer();
    const page = a.pageContext('p', 'https://www.ferguson.com/', 1, T0);
    const r = a.analyzeRequest(
      page,
      request({
        url: 'https://px.steelhousemedia.com/st?ga_client_id=1',
        type: 'script',
        responseHeaders: [
          {
            name: 'Set-Cookie',
            value:
              'guid=9e998c6e-857a-11ec-891a-37575b18646c;Domain=steelhousemedia.com;Max-Age=63113852;Path=/;SameSite=None;Secure',
          },
        ],
      }),
    );
    expect(r.cookies).toHaveLength(1);
    expect(r.cookies[0]).toMatchObject({
      source: 'header',
      requestUrl: 'https://px.steelhousemedia.com/st?ga_client_id=1',
    });
    // steelhousemedia.com is in TrackerDB too, hence the tracker-request.
    expect(r.findings.map((f) => f.kind).sort()).toEqual([
      'identifier-cookie',
      'third-party-cookie',
      'tracker-request',
    ]);
  });

  it('analyzes cookies-API events', () => {
    const a = createAnalyzer();
    const page = a.pageContext('p', 'https://www.ferguson.com/', 1, T0);
    const r = a.analyzeCookie(
      page,
      cookie({ name: '_ga', domain: 'ferguson.com', value: 'GA1.1.1393271424.1709294399' }),
    );
    expect(r.party.firstParty).toBe(true);
    expect(r.identifierLike).toBe(true);
    expect(r.entropyBits).toBeGreaterThan(33);
    expect(r.findings.map((f) => f.kind)).toEqual(['identifier-cookie']);
    const lang = a.analyzeCookie(
      page,
      cookie({ name: 'lang', domain: 'linkedin.com', value: 'v=2&lang=en-us' }),
    );
    expect(lang.identifierLike).toBe(false);
    expect(lang.findings.map((f) => f.kind)).toEqual(['third-party-cookie']);
  });

  it('keeps the page title per visit, for page-url-leak only on known pages', () => {
    const a = createAnalyzer();
    const page = a.pageContext('p', 'https://www.ferguson.com/', 1, T0);
    const title = 'Kohler Memoirs toilet, 1.28 gpf, white | Ferguson';
    const gaHit = () =>
      a
        .analyzeRequest(
          page,
          request({
            url: `https://www.google-analytics.com/g/collect?v=2&dt=${encodeURIComponent(title)}`,
          }),
        )
        .findings.filter((f) => f.kind === 'page-url-leak');
    expect(gaHit()).toEqual([]);
    a.setPageTitle('p', title);
    expect(gaHit()).toEqual([
      expect.objectContaining({
        evidence: expect.objectContaining({ rule: 'page-title-in-parameter', key: 'dt' }),
      }),
    ]);
    // A batch for a visit that already ended does not bring its state back.
    a.endPage('p');
    a.setPageTitle('p', title);
    const other = a.pageContext('q', 'https://www.ferguson.com/', 1, T0);
    a.setPageTitle('q', 'x'.repeat(1_000));
    expect(other.pageId).toBe('q');
  });

  it('bounds per-page state', () => {
    const a = createAnalyzer();
    const first = a.pageContext('p0', 'https://a.example/', 1, T0);
    const hit = () =>
      a.analyzeRequest(first, request({ url: 'http://cdn.krxd.net/x' })).findings.length;
    expect(hit()).toBe(1);
    expect(hit()).toBe(0); // reported once per page
    for (let i = 1; i <= MAX_PAGES; i++) a.pageContext(`p${i}`, 'https://a.example/', 1, T0);
    expect(hit()).toBe(1); // p0's state was dropped: fresh again
    a.endPage('p0');
    expect(hit()).toBe(1);
  });
});

describe('analyzer: hostile input never throws and keeps other findings', () => {
  const a = createAnalyzer();
  const page = a.pageContext('bad', 'https://www.ferguson.com/', 1, T0);
  const tracker = () =>
    a.analyzeRequest(
      page,
      request({
        url: 'https://www.facebook.com/tr/?id=1&ev=PageView',
        responseHeaders: [
          { name: 'content-type', value: 'image/gif' },
          { name: 'content-length', value: '44' },
        ],
      }),
    );

  it.each<[string, Partial<RequestRecord>]>([
    ['malformed URL', { url: 'ht!tp://exa mple.com:99999/%%%' }],
    ['empty URL', { url: '' }],
    ['2 MB data: URL', { url: `data:image/png;base64,${'A'.repeat(2 * 1024 * 1024)}` }],
    ['100 KB query string', { url: `https://t.tracker.example/p?${'a=b&'.repeat(25_000)}` }],
    [
      'binary body',
      {
        url: 'https://t.tracker.example/e',
        method: 'POST',
        type: 'beacon',
        body: { kind: 'text', text: '\u0000\u0001\uFFFD\uD800', truncated: true, binary: true },
      },
    ],
    [
      'odd Set-Cookie',
      {
        url: 'https://t.tracker.example/x',
        responseHeaders: [
          {
            name: 'set-cookie',
            value: '=\n;;\nq="x\nbad\u0001=1\nd=1; Expires=never; Max-Age=-x; Domain=..',
          },
        ],
      },
    ],
    ['chrome-extension request', { url: 'chrome-extension://abcdef/icon.png' }],
    ['about:blank frame', { url: 'about:blank', type: 'sub_frame' }],
    [
      'missing headers',
      {
        url: 'https://t.tracker.example/x',
        responseHeaders: undefined as unknown as [],
        requestHeaders: undefined as unknown as [],
      },
    ],
    [
      'garbage initiator',
      { url: 'https://t.tracker.example/x', initiator: '::::', documentUrl: '\u0000' },
    ],
  ])('%s', (_, over) => {
    const before = tracker().findings.length; // dedupe: 0 after the first call
    expect(() => a.analyzeRequest(page, request({ url: '', ...over }))).not.toThrow();
    const r = a.analyzeRequest(page, request({ url: '', ...over }));
    expect(Array.isArray(r.findings)).toBe(true);
    // The page's earlier findings are untouched and the next request still works.
    const pixelAgain = tracker().findings.filter((f) => f.kind === 'pixel');
    expect(pixelAgain).toHaveLength(1);
    expect(before).toBeGreaterThanOrEqual(1);
  });

  it('about:blank and chrome-extension pages', () => {
    for (const url of ['about:blank', 'chrome-extension://abcdef/popup.html', 'not a url']) {
      const p = a.pageContext(`x-${url}`, url, 1, T0);
      const r = a.analyzeRequest(
        p,
        request({ url: 'https://www.facebook.com/tr/?id=1', status: 204 }),
      );
      expect(r.party.firstParty).toBe(false);
      expect(r.isPixel).toBe(true);
      expect(() =>
        a.analyzeCookie(p, cookie({ name: 'x', domain: '', value: '\u0000' })),
      ).not.toThrow();
    }
  });

  it('hostile cookie events', () => {
    const weird = cookie({
      name: 'x',
      domain: 'Ex..ample..',
      value: null as unknown as string,
      time: NaN,
    });
    expect(() => a.analyzeCookie(page, weird)).not.toThrow();
  });
});

describe('analyzer: a throwing detector does not drop the others', () => {
  it('keeps the other detectors’ findings and reports the error', () => {
    const boom: RequestDetector = {
      id: 'boom',
      kinds: ['pii-leak'],
      detectRequest() {
        throw new Error('boom');
      },
    };
    const errors: string[] = [];
    const a = createAnalyzer(undefined, {
      requestDetectors: [boom, ...REQUEST_DETECTORS, boom],
      onDetectorError: (id) => errors.push(id),
    });
    const page = a.pageContext('p', 'https://www.ferguson.com/', 1, T0);
    const r = a.analyzeRequest(
      page,
      request({ url: 'https://www.facebook.com/tr/?id=1&ev=PageView', status: 204 }),
    );
    expect(r.findings.map((f) => f.kind).sort()).toEqual(['pixel', 'tracker-request']);
    expect(r.isPixel).toBe(true);
    expect(errors).toEqual(['boom', 'boom']);
  });
});
