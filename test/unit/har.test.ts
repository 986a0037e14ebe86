// HAR conversion, and offline replay of the real captures in ../shared/bench-data/hars
// through the full analyzer. Expected findings were established by reading the HAR files
// (see the comment on each), not by recording the output.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/core/analyzer.ts';
import { HarError, convertHar, replayHar } from '../../src/core/har.ts';
import type { Finding } from '../../src/core/model.ts';

const HARS = resolve(import.meta.dirname, '../../../shared/bench-data/hars');
const cache = new Map<string, Finding[]>();
function findingsOf(file: string): Finding[] {
  let f = cache.get(file);
  if (!f) {
    f = replayHar(createAnalyzer(), convertHar(readFileSync(resolve(HARS, file), 'utf8')));
    cache.set(file, f);
  }
  return f;
}
const ofKind = (fs: Finding[], kind: string) => fs.filter((f) => f.kind === kind);
const sync = (fs: Finding[], from: string, to: string, key: string) =>
  ofKind(fs, 'id-sync').find(
    (f) => f.party === to && f.evidence.key === key && f.evidence.details?.['from'] === from,
  );

describe('HAR conversion', () => {
  it('rejects what is not a HAR with a HarError', () => {
    expect(() => convertHar('{not json')).toThrow(HarError);
    expect(() => convertHar('{"log":{}}')).toThrow(/no log.entries/);
    expect(() => convertHar(42)).toThrow(HarError);
  });

  it('skips malformed entries, keeps the rest, and reads bodies, cookies and redirects', () => {
    const har = {
      log: {
        pages: [{ id: 'p', title: 'T', startedDateTime: '2024-01-01T00:00:00Z' }],
        entries: [
          null,
          { request: {} },
          // No URL at all: not the page's first document, and not a request.
          { pageref: 'p', request: { method: 'GET', url: 'not a url', headers: [] } },
          {
            pageref: 'p',
            startedDateTime: '2024-01-01T00:00:00Z',
            request: { method: 'get', url: 'https://a.example/', headers: [] },
            response: {
              status: 302,
              redirectURL: '/home',
              headers: [{ name: 'Location', value: '/home' }],
              content: { mimeType: 'text/html' },
            },
          },
          {
            pageref: 'p',
            startedDateTime: '2024-01-01T00:00:01Z',
            request: { method: 'GET', url: 'https://a.example/home', headers: [] },
            response: { status: 200, headers: [], content: { mimeType: 'text/html' } },
          },
          {
            pageref: 'p',
            startedDateTime: '2024-01-01T00:00:02Z',
            request: {
              method: 'POST',
              url: 'https://t.example/c',
              headers: [{ name: 7, value: 'bad' }],
              cookies: [{ name: 'id', value: 'x1' }],
              postData: {
                mimeType: 'application/x-www-form-urlencoded',
                params: [{ name: 'a', value: 'b' }],
              },
            },
            response: { status: 0, headers: [] },
          },
        ],
      },
    };
    const c = convertHar(JSON.stringify(har));
    expect(c.warnings).toEqual([
      'entry 0 skipped: no request URL',
      'entry 1 skipped: no request URL',
      'entry 2 skipped: its request URL is not a URL',
    ]);
    expect(c.requests).toHaveLength(3);
    expect(c.pages).toEqual([
      {
        id: 'har-p',
        url: 'https://a.example/home',
        title: 'T',
        startedAt: Date.parse('2024-01-01T00:00:00Z'),
      },
    ]);
    const [first, , post] = c.requests.map((r) => r.record);
    expect(first?.redirectUrl).toBe('https://a.example/home');
    expect(first?.type).toBe('main_frame');
    expect(post?.body).toEqual({ kind: 'form', fields: { a: ['b'] }, truncated: false });
    expect(post?.requestHeaders).toEqual([{ name: 'Cookie', value: 'id=x1' }]);
    expect(post?.error).toBe('request failed');
  });

  it('reads every bench HAR', () => {
    for (const f of [
      'www.nytimes.com.har',
      'ferguson.har',
      'assa.har',
      'walmart.com.har',
      'mytoys.de.har',
      'aftonbladet.se.har',
      'en.wikipedia.org.spdy-wpt.har',
    ]) {
      const c = convertHar(readFileSync(resolve(HARS, f), 'utf8'));
      expect(c.requests.length).toBeGreaterThan(40);
      expect(c.pages.length).toBeGreaterThan(0);
    }
  });
});

describe('offline replay of real HARs', () => {
  it('nytimes: the first-party RMID cookie goes to Krux (krxd.net) in _kua_cookie_rmid', () => {
    // Entry 0 sets RMID=007f0101480b55e20bb8000c on .nytimes.com; entry 147 requests
    // beacon.krxd.net/pixel.gif?...&_kua_cookie_rmid=007f0101480b55e20bb8000c.
    const f = ofKind(findingsOf('www.nytimes.com.har'), 'cookie-sharing').filter(
      (x) => x.party === 'krxd.net',
    );
    expect(f.map((x) => x.pageId)).toEqual(['har-page_1_0', 'har-page_1_1']);
    expect(f[0]?.evidence).toMatchObject({
      location: 'query',
      key: '_kua_cookie_rmid',
      cookieName: 'RMID',
      preview: '007f…0c',
    });
  });

  it('nytimes: the Rocket Fuel id fanned out from the p.rfihub.com frame to the exchanges, Rubicon included', () => {
    // Entries 192-223 (Referer p.rfihub.com/ca.html) send 786792932447527911 to openx (val),
    // casalemedia (external_user_id), rubiconproject (put, later its put_2596 cookie),
    // demdex (dpuuid) and, base64 as Nzg2NzkyOTMyNDQ3NTI3OTEx, to doubleclick (google_hm).
    const fs = findingsOf('www.nytimes.com.har').filter((f) => f.pageId === 'har-page_1_0');
    for (const [to, key] of [
      ['rubiconproject.com', 'put'],
      ['casalemedia.com', 'external_user_id'],
      ['demdex.net', 'dpuuid'],
      ['openx.net', 'val'],
      ['pubmatic.com', 'piggybackCookie'],
    ]) {
      const f = sync(fs, 'rfihub.com', to as string, key as string);
      expect(f, `${to} ${key}`).toBeDefined();
      expect(f?.evidence.preview).toBe('7867…11');
    }
    expect(sync(fs, 'rfihub.com', 'doubleclick.net', 'google_hm')?.encoding).toBe('base64');
  });

  it("nytimes repeat view: Krux's _kuid_ cookie id synced to LiveRamp, Twitter, eXelate and Google", () => {
    // Entries 259-274: Cookie _kuid_=KBj6rbe8 to krxd.net, then partner_uid / p_user_id /
    // buid=KBj6rbe8, and a krxd redirect to cm.g.doubleclick.net with google_hm=S0JqNnJiZTg=.
    const fs = findingsOf('www.nytimes.com.har').filter((f) => f.pageId === 'har-page_1_1');
    expect(sync(fs, 'krxd.net', 'rlcdn.com', 'partner_uid')?.evidence.cookieName).toBe('_kuid_');
    expect(sync(fs, 'krxd.net', 'twitter.com', 'p_user_id')).toBeDefined();
    expect(sync(fs, 'krxd.net', 'exelator.com', 'buid')).toBeDefined();
    expect(sync(fs, 'krxd.net', 'doubleclick.net', 'google_hm')?.encoding).toBe('base64');
    // Entry 272: i.w55c.net with cookie wfivefivec=CHUz7sBf1zvM3H2 redirects to Krux with uid=.
    expect(sync(fs, 'w55c.net', 'krxd.net', 'uid')?.evidence.cookieName).toBe('wfivefivec');
  });

  it('ferguson: the Facebook pixel takes the page URL in dl= and the _fbp cookie in fbp=', () => {
    // Entry 112: facebook.com/tr/?...&dl=https%3A%2F%2Fwww.ferguson.com%2F&...&fbp=fb.1.1643952222064.1428071586,
    // and _fbp=fb.1.1643952222064.1428071586 is in the Cookie header of first-party requests (39).
    const fs = findingsOf('ferguson.har').filter((f) => f.party === 'facebook.com');
    const url = ofKind(fs, 'page-url-leak').find((f) => f.evidence.key === 'dl');
    expect(url).toMatchObject({
      dataTypes: ['page-url'],
      encoding: 'plain',
      evidence: { location: 'query' },
    });
    expect(
      ofKind(fs, 'cookie-sharing').find((f) => f.evidence.cookieName === '_fbp')?.evidence.key,
    ).toBe('fbp');
  });

  it('assa: the page URL after its redirect reaches Google Analytics in dl=, and Referers carry the path', () => {
    // https://www.assa.se/ redirects to /sv/site/assa/; google-analytics.com/r/collect?...&dl=https%3A%2F%2Fwww.assa.se%2Fsv%2Fsite%2Fassa%2F
    const fs = ofKind(findingsOf('assa.har'), 'page-url-leak');
    expect(fs.some((f) => f.party === 'google-analytics.com' && f.evidence.key === 'dl')).toBe(
      true,
    );
    expect(
      fs.some((f) => f.dataTypes[0] === 'referrer' && f.evidence.location === 'referer-header'),
    ).toBe(true);
  });

  it('no email or order data in any bench HAR, so none is reported', () => {
    // grep finds no address pattern nor purchase pixel in these captures.
    for (const f of [
      'www.nytimes.com.har',
      'ferguson.har',
      'assa.har',
      'walmart.com.har',
      'mytoys.de.har',
      'aftonbladet.se.har',
      'en.wikipedia.org.spdy-wpt.har',
    ]) {
      const fs = findingsOf(f);
      expect(ofKind(fs, 'pii-leak'), f).toEqual([]);
      expect(ofKind(fs, 'ecommerce-leak'), f).toEqual([]);
    }
  });

  it('wikipedia (first-party only) leaks nothing to anyone', () => {
    const fs = findingsOf('en.wikipedia.org.spdy-wpt.har');
    for (const k of ['cookie-sharing', 'id-sync', 'page-url-leak'])
      expect(ofKind(fs, k)).toEqual([]);
  });
});
