import { describe, expect, it } from 'vitest';
import { MAX_URL_CHARS } from '../../src/core/model.ts';
import { MAX_PARAMS, hostOf, normalizeHost, parseQuery, parseUrl } from '../../src/core/url.ts';

describe('parseUrl', () => {
  it('parses a tracker URL once, with decoded params', () => {
    const u = parseUrl(
      'https://WWW.Facebook.com./tr/?id=6087&ev=PageView&dl=https%3A%2F%2Fwww.ferguson.com%2F#x',
    );
    expect(u.host).toBe('www.facebook.com');
    expect(u.pathname).toBe('/tr/');
    expect(u.search).toBe('id=6087&ev=PageView&dl=https%3A%2F%2Fwww.ferguson.com%2F');
    expect(u.params).toEqual([
      ['id', '6087'],
      ['ev', 'PageView'],
      ['dl', 'https://www.ferguson.com/'],
    ]);
    expect(u.hash).toBe('#x');
  });

  it.each([
    ['not a url', ''],
    ['http://', ''],
    ['https://exa mple.com/', ''],
    ['about:blank', ''],
    ['javascript:alert(1)', ''],
    ['blob:https://example.com/1234', ''],
    ['chrome-extension://abcdef/popup.html', ''],
    ['', ''],
    ['http://[::1]:8080/x', '::1'],
    ['http://192.168.0.1/x', '192.168.0.1'],
  ])('never throws: %s → host %j', (raw, host) => {
    expect(parseUrl(raw).host).toBe(host);
  });

  it('tolerates non-string input from hostile callers', () => {
    expect(parseUrl(undefined as unknown as string).host).toBe('');
  });

  it('does not parse a 2 MB data: URL', () => {
    const big = `data:image/png;base64,${'A'.repeat(2 * 1024 * 1024)}`;
    const u = parseUrl(big);
    expect(u.protocol).toBe('data:');
    expect(u.host).toBe('');
    expect(u.href.length).toBeLessThan(100);
  });

  it('caps a 100 KB query string', () => {
    const q = Array.from({ length: 10_000 }, (_, i) => `k${i}=v${i}`).join('&');
    const u = parseUrl(`https://t.example/p?${q}`);
    expect(u.href.length).toBeLessThanOrEqual(MAX_URL_CHARS + 10);
    expect(u.params.length).toBeLessThanOrEqual(MAX_PARAMS);
    expect(u.host).toBe('t.example');
  });

  it('keeps malformed escapes instead of throwing', () => {
    expect(parseQuery('a=%E0%A4%A&b=%zz&c=1+2')).toEqual([
      ['a', '%E0%A4%A'],
      ['b', '%zz'],
      ['c', '1 2'],
    ]);
  });
});

describe('helpers', () => {
  it('normalizes hosts', () => {
    expect(normalizeHost('Example.COM.')).toBe('example.com');
    expect(normalizeHost('[::1]')).toBe('::1');
  });
  it('reads hosts of origins', () => {
    expect(hostOf('https://www.ferguson.com')).toBe('www.ferguson.com');
    expect(hostOf('null')).toBe('');
    expect(hostOf(null)).toBe('');
  });
});
