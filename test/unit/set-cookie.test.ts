import { describe, expect, it } from 'vitest';
import {
  MAX_COOKIES_PER_HEADER,
  cookiesFromHeaders,
  parseSetCookie,
} from '../../src/core/set-cookie.ts';
import { loadHar } from './helpers/har.ts';

const T = Date.parse('2022-02-04T05:23:42Z');
const src = { requestUrl: 'https://px.ads.linkedin.com/collect/x?v=2', time: T };

describe('parseSetCookie', () => {
  it('reads every attribute', () => {
    const [c] = parseSetCookie(
      'UserMatchHistory=AQIcBafx; Max-Age=2592000; Expires=Sun, 06 Mar 2022 05:23:42 GMT; SameSite=None; Path=/; Domain=.linkedin.com; Secure; HttpOnly; Partitioned',
      src,
    );
    expect(c).toMatchObject({
      name: 'UserMatchHistory',
      value: 'AQIcBafx',
      domain: 'linkedin.com',
      hostOnly: false,
      path: '/',
      expires: T + 2_592_000_000, // Max-Age wins over Expires
      secure: true,
      httpOnly: true,
      sameSite: 'no_restriction',
      partitioned: true,
      removed: false,
      source: 'header',
      requestUrl: src.requestUrl,
    });
  });

  it('defaults to a host-only session cookie with the default path', () => {
    const [c] = parseSetCookie('sid=abc', src);
    expect(c).toMatchObject({
      domain: 'px.ads.linkedin.com',
      hostOnly: true,
      path: '/collect',
      expires: null,
    });
  });

  it('splits Firefox-style newline-joined headers', () => {
    const cs = parseSetCookie('a=1; Path=/\nb=2; Secure\r\nc=3', src);
    expect(cs.map((c) => c.name)).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['novalue', { name: '', value: 'novalue' }],
    ['=onlyvalue', { name: '', value: 'onlyvalue' }],
    ['q="quoted value"', { name: 'q', value: '"quoted value"' }],
    ['d=1; Expires=not a date', { expires: null }],
    ['d=1; Max-Age=abc', { expires: null }],
    ['d=1; Max-Age=0', { removed: true }],
    ['d=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT', { removed: true }],
    ['d=1; Domain=a.example; Domain=.linkedin.com', { domain: 'linkedin.com' }], // last wins
    ['d=1; SameSite=Bogus', { sameSite: 'unspecified' }],
    ['d=1; samesite=LAX', { sameSite: 'lax' }],
    ['d=1; Path=relative', { path: '/collect' }],
    ['d=1; Max-Age=999999999999', { expires: T + 400 * 864e5 }], // RFC 6265bis cap
    // Before 1970, or before any time a Date can hold: a deletion, kept printable.
    ['d=1; Max-Age=-9000000000000', { removed: true, expires: 0 }],
    ['d=1; Expires=Sat, 01 Jan 1000 00:00:00 GMT', { removed: true, expires: 0 }],
  ])('odd syntax %j', (line, expected) => {
    const [c] = parseSetCookie(line, src);
    expect(c).toMatchObject(expected);
  });

  it.each([
    '',
    '=',
    ';;;',
    'a=b\u0001c',
    'd=1; Domain=evil.example', // not covering the response host: browsers drop it
  ])('drops what a browser would reject: %j', (line) => {
    expect(parseSetCookie(line, src)).toEqual([]);
  });

  it('cuts huge values and caps the cookie count', () => {
    const [c] = parseSetCookie(`big=${'x'.repeat(100_000)}`, src);
    expect(c?.value.length).toBeLessThanOrEqual(4096);
    const many = Array.from({ length: 500 }, (_, i) => `c${i}=v`).join('\n');
    expect(parseSetCookie(many, src)).toHaveLength(MAX_COOKIES_PER_HEADER);
  });

  it('never throws on a bad request URL', () => {
    expect(parseSetCookie('a=1', { requestUrl: 'not a url', time: T })[0]?.domain).toBe('');
  });
});

describe('cookiesFromHeaders on real responses (ferguson.har)', () => {
  const har = loadHar('ferguson.har');
  const entry = (prefix: string) => {
    const e = har.entries.find(
      (x) =>
        x.request.url.startsWith(prefix) &&
        x.response.headers.some((h) => h.name.toLowerCase() === 'set-cookie' && h.value),
    );
    if (!e) throw new Error(`no entry ${prefix}`);
    return e;
  };

  it('reads the LinkedIn sync cookies, newline-joined in the HAR', () => {
    const e = entry('https://www.linkedin.com/px/li_sync');
    const cs = cookiesFromHeaders(e.response.headers, {
      requestUrl: e.request.url,
      time: Date.parse(e.startedDateTime),
    });
    const names = cs.map((c) => c.name);
    expect(names).toContain('lang');
    expect(names).toContain('bscookie');
    const bs = cs.find((c) => c.name === 'bscookie');
    expect(bs?.domain).toBe('www.linkedin.com');
    expect(bs?.value.startsWith('"v=1&')).toBe(true);
  });

  it('reads first-party cookies scoped to the registrable domain', () => {
    const e = entry('https://analytics.ferguson.com/visitor/');
    const cs = cookiesFromHeaders(e.response.headers, {
      requestUrl: e.request.url,
      time: Date.parse(e.startedDateTime),
    });
    expect(cs.find((c) => c.name === 'ELOQUA')).toMatchObject({
      domain: 'ferguson.com',
      value: 'GUID=039B147782C84352B659F4ED1C53918E',
    });
  });
});
