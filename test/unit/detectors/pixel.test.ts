import { describe, expect, it } from 'vitest';
import { pixel } from '../../../src/core/detectors/pixel.ts';
import type { RequestRecord } from '../../../src/core/model.ts';
import { page, recorded, requestContext } from '../helpers/context.ts';
import { request } from '../helpers/records.ts';

const run = (pageUrl: string, req: RequestRecord) =>
  pixel.detectRequest(req, requestContext(page(pageUrl), req));
const ruleOf = (pageUrl: string, req: RequestRecord) => run(pageUrl, req)[0]?.evidence.rule ?? null;
const gif = (len: number) => [
  { name: 'Content-Type', value: 'image/gif' },
  { name: 'Content-Length', value: String(len) },
];

describe('pixel: recorded requests', () => {
  it.each([
    ['facebook-pixel-pageview', 'pixel:tiny-response'], // 44-byte GIF, query with dl=
    ['krux-data-gif-204', 'pixel:tiny-response'], // 204 from beacon.krxd.net
    ['ga4-ping', 'pixel:ping'], // sendBeacon in Chrome
    ['linkedin-collect-302', 'pixel:pixel-endpoint'], // /collect, answered by a redirect
    ['floodlight-activityi', 'pixel:pixel-endpoint'], // ;src=...;cat=... path parameters
    ['ga-analytics-js', null], // a script, not a pixel
    ['krux-controltag', null],
    ['first-party-webp-image', null], // the site’s own 31 KB image
    ['nyt-large-image', null], // a 24 KB JPEG
  ])('%s → %s', (label, rule) => {
    const { page: p, req } = recorded(label);
    expect(pixel.detectRequest(req, requestContext(p, req))[0]?.evidence.rule ?? null).toBe(rule);
  });

  it('explains what was sent and why', () => {
    const { page: p, req } = recorded('facebook-pixel-pageview');
    const [f] = pixel.detectRequest(req, requestContext(p, req));
    expect(f?.explanation).toContain('www.facebook.com (Meta)');
    expect(f?.explanation).toContain('query parameters');
    expect(f?.explanation).toContain('44-byte image');
    expect(f?.evidence.location).toBe('query');
  });
});

describe('pixel: vectors', () => {
  const P = 'https://shop.example/';
  it.each<[string, Partial<RequestRecord> & { url: string }, string | null]>([
    [
      'beacon with body',
      { url: 'https://t.tracker.example/e', type: 'beacon', method: 'POST' },
      'pixel:beacon',
    ],
    [
      'tiny gif with query',
      { url: 'https://t.tracker.example/i?uid=42', responseHeaders: gif(43) },
      'pixel:tiny-response',
    ],
    [
      'tiny png with cookie only',
      {
        url: 'https://t.tracker.example/i',
        requestHeaders: [{ name: 'Cookie', value: 'uid=1' }],
        responseHeaders: [
          { name: 'content-type', value: 'image/png' },
          { name: 'content-length', value: '67' },
        ],
      },
      'pixel:tiny-response',
    ],
    [
      '204 image',
      { url: 'https://t.tracker.example/i?e=view', status: 204 },
      'pixel:tiny-response',
    ],
    [
      'X /i/adsct',
      { url: 'https://t.co/i/adsct?p_id=Twitter&txn_id=o1', responseHeaders: [] },
      'pixel:pixel-endpoint',
    ],
    [
      '__utm.gif',
      { url: 'https://www.google-analytics.com/__utm.gif?utmac=UA-1', responseHeaders: [] },
      'pixel:pixel-endpoint',
    ],
    [
      'xhr GET to /collect',
      { url: 'https://www.google-analytics.com/j/collect?v=1&t=pageview', type: 'xmlhttprequest' },
      'pixel:pixel-endpoint',
    ],
    [
      'known tracker image, size unknown',
      { url: 'https://cm.g.doubleclick.net/pixel2?google_nid=x', responseHeaders: [] },
      'pixel:tracker-image',
    ],
    [
      'known tracker image redirect',
      { url: 'https://ib.adnxs.com/getuid?https://x', status: 302 },
      'pixel:tracker-image',
    ],
    // negatives
    [
      'large jpeg from a CDN',
      {
        url: 'https://cdn.images.example/photo.jpg?w=800',
        responseHeaders: [
          { name: 'content-type', value: 'image/jpeg' },
          { name: 'content-length', value: '48213' },
        ],
      },
      null,
    ],
    [
      'tiny gif without data',
      { url: 'https://t.tracker.example/spacer.gif', responseHeaders: gif(43) },
      null,
    ],
    [
      'first-party tiny gif',
      { url: 'https://shop.example/px.gif?e=1', responseHeaders: gif(43) },
      null,
    ],
    [
      'tiny jpeg thumbnail-size check',
      {
        url: 'https://cdn.images.example/a.jpg?v=2',
        responseHeaders: [
          { name: 'content-type', value: 'image/svg+xml' },
          { name: 'content-length', value: '90' },
        ],
      },
      null,
    ],
    [
      'xhr POST to an API',
      {
        url: 'https://api.other.example/v1/items?q=1',
        type: 'xmlhttprequest',
        method: 'POST',
        responseHeaders: [{ name: 'content-length', value: '5000' }],
      },
      null,
    ],
    [
      'script from a tracker',
      { url: 'https://connect.facebook.net/en_US/fbevents.js?v=1', type: 'script' },
      null,
    ],
    ['data: image', { url: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' }, null],
  ])('%s', (_, over, rule) => {
    expect(ruleOf(P, request(over))).toBe(rule);
  });
});
