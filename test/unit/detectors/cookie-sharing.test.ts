import { describe, expect, it } from 'vitest';
import { md5 } from '@noble/hashes/legacy.js';
import { cookieSharing } from '../../../src/core/detectors/cookie-sharing.ts';
import { base64Encode, toHex } from '../../../src/core/leaks/codec.ts';
import { NOW, cookie, harness, req } from '../leaks/helpers.ts';

const ID = 'Qz81xK0aPf93LmNv';

function withCookie(value: string, name = 'uid') {
  const h = harness([cookieSharing]);
  h.cookie(cookie(name, value, 'shop.example.com'));
  return h;
}

describe('cookie-sharing', () => {
  it('flags a first-party cookie value sent to a third party, with cookie and parameter', () => {
    const h = withCookie(ID);
    const [f] = h.request(req(`https://px.tracker.example/p.gif?u=${ID}`));
    expect(f?.kind).toBe('cookie-sharing');
    expect(f?.party).toBe('tracker.example');
    expect(f?.dataTypes).toEqual(['cookie-id']);
    expect(f?.encoding).toBe('plain');
    expect(f?.evidence).toMatchObject({
      location: 'query',
      key: 'u',
      cookieName: 'uid',
      preview: 'Qz81…Nv',
    });
    expect(JSON.stringify(f)).not.toContain(`"${ID}"`);
  });

  it.each([
    ['base64', ID, (v: string) => base64Encode(v)],
    // A value with '/' url-encoded by the script, then encoded again as a parameter.
    ['url', `${ID}/x`, (v: string) => encodeURIComponent(v)],
    ['md5', ID, (v: string) => toHex(md5(new TextEncoder().encode(v)))],
  ])('finds it %s-encoded', (encoding, value, encode) => {
    const h = withCookie(value);
    const [f] = h.request(
      req(`https://px.tracker.example/p?d=${encodeURIComponent(encode(value))}`),
    );
    expect(f?.encoding).toBe(encoding);
  });

  it('learns values from the Cookie header of first-party requests and finds them in bodies', () => {
    const h = harness([cookieSharing]);
    h.request(
      req('https://shop.example.com/app.js', {
        requestHeaders: [{ name: 'Cookie', value: `sid=${ID}` }],
      }),
    );
    const body = JSON.stringify({ user: { anon: ID } });
    const [f] = h.request(
      req('https://collect.tracker.example/e', {
        method: 'POST',
        body: { kind: 'text', text: body, truncated: false, binary: false },
      }),
    );
    expect(f?.evidence).toMatchObject({ location: 'body', key: 'user.anon', cookieName: 'sid' });
  });

  it.each([
    ['true'],
    ['en'],
    ...Array.from({ length: 1000 }, (_, i) => [String(i)]),
    [String(Math.floor(NOW / 1000))],
    ['homepage'],
    ['Mozilla50'],
  ])('never fires on the low-information value %s', (value) => {
    const h = withCookie(value);
    const ua = { name: 'User-Agent', value: 'Mozilla/5.0 Mozilla50 Chrome' };
    expect(
      h.request(req(`https://px.tracker.example/p?v=${value}`, { requestHeaders: [ua] })),
    ).toEqual([]);
  });

  it("learns a cookie's new value from a later first-party request's Cookie header", () => {
    const h = harness([cookieSharing]);
    const first = (value: string) =>
      h.request(
        req('https://shop.example.com/api', {
          requestHeaders: [{ name: 'Cookie', value: `theme=dark; sid=${value}` }],
        }),
      );
    first(ID);
    first(ID); // the same header again: nothing new
    const renewed = 'Wm42pLx7Rq0sTu9V';
    first(renewed);
    const [f] = h.request(req(`https://px.tracker.example/p.gif?s=${renewed}`));
    expect(f?.evidence).toMatchObject({ key: 's', cookieName: 'sid' });
  });

  it('learns ids inside long Cookie pairs, and still learns new ones once a page has sent megabytes of them', () => {
    const h = harness([cookieSharing]);
    const send = (header: string) =>
      h.request(
        req('https://shop.example.com/api', {
          requestHeaders: [{ name: 'Cookie', value: header }],
        }),
      );
    // A 300-character state cookie, as real sites send on every request, with an id inside.
    const state = `v1|seg=${'a1b2c3'.repeat(40)}|vid=${ID}|t=${'z'.repeat(20)}`;
    for (let i = 0; i < 3; i++) send(`theme=dark; st=${state}`);
    const [f] = h.request(req(`https://px.tracker.example/p.gif?v=${ID}`));
    expect(f?.evidence).toMatchObject({ cookieName: 'st', key: 'v' });

    // A hostile page varying 4 KB cookies far past what the page's memo keeps.
    for (let i = 0; i < 300; i++) send(`junk${i}=${String(i).padStart(4, '0')}${'x'.repeat(4000)}`);
    const late = 'Wm42pLx7Rq0sTu9V';
    send(`theme=dark; late=${late}`);
    const [g] = h.request(req(`https://px.tracker.example/p.gif?l=${late}`));
    expect(g?.evidence).toMatchObject({ cookieName: 'late', key: 'l' });
  });

  it('ignores values that are pieces of the page URL, and first-party destinations', () => {
    const h = harness([cookieSharing], 'https://shop.example.com/p/Zx81Kq02Lm?x=1');
    h.cookie(cookie('last', 'Zx81Kq02Lm', 'shop.example.com'));
    expect(h.request(req('https://px.tracker.example/p?v=Zx81Kq02Lm'))).toEqual([]);
    const h2 = withCookie(ID);
    expect(h2.request(req(`https://cdn.example.com/x?u=${ID}`))).toEqual([]);
  });

  it('finds the id part of a GA-style cookie', () => {
    const h = withCookie('GA1.2.878270908.1643952222', '_ga');
    const [f] = h.request(req('https://www.google-analytics.com/collect?cid=878270908.1643952222'));
    expect(f?.evidence).toMatchObject({ cookieName: '_ga', key: 'cid' });
  });
});
