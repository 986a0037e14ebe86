// Set-Cookie lines are written by the parties under audit. The parser must read them the way
// a browser does (lenient) and never throw, whatever the header holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Header } from '../../src/core/model.ts';
import {
  cookiesFromHeaders,
  MAX_COOKIES_PER_HEADER,
  parseSetCookie,
} from '../../src/core/set-cookie.ts';
import {
  bounded,
  CATASTROPHIC,
  hostileString,
  params,
  timeout,
  tricky,
  urlish,
} from './support.ts';

const T = Date.parse('2024-03-01T12:00:00Z');
const MAX_LIFETIME = 400 * 864e5;

const attribute = fc.oneof(
  fc.constantFrom(
    'Secure',
    'HttpOnly',
    'Partitioned',
    'SameSite=None',
    'SameSite=lax',
    'SameSite=bogus',
    'Path=/',
    'Path=x',
    'Max-Age=0',
    'Max-Age=-1',
    'Max-Age=99999999999999999999',
    'Max-Age=1e3',
    'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    'Expires=Wed, 01 Jan 2098 00:00:00 GMT',
    'Expires=never',
    'Domain=.a.test',
    'Domain=a.test.',
    'Domain=test',
    'Domain=evil.example',
    'Domain=',
  ),
  tricky(20).map((s) => `Domain=${s}`),
  tricky(20),
);

const setCookieLine = fc
  .tuple(tricky(20), tricky(40), fc.array(attribute, { maxLength: 8 }))
  .map(([n, v, attrs]) => [`${n}=${v}`, ...attrs].join('; '));

const header = fc.oneof(
  setCookieLine,
  fc.array(setCookieLine, { maxLength: 5 }).map((lines) => lines.join('\n')),
  hostileString(200),
);

describe('parseSetCookie', () => {
  it(
    'never throws and only yields cookies a browser would keep',
    () => {
      fc.assert(
        fc.property(header, fc.oneof(urlish(), fc.constant('https://www.a.test/x/y')), (h, url) => {
          const cookies = bounded('parseSetCookie', () =>
            parseSetCookie(h, { requestUrl: url, time: T }),
          );
          expect(cookies.length).toBeLessThanOrEqual(MAX_COOKIES_PER_HEADER);
          for (const c of cookies) {
            expect(c.name.length + c.value.length).toBeGreaterThan(0);
            expect(c.name.length).toBeLessThanOrEqual(4_096);
            expect(c.value.length).toBeLessThanOrEqual(4_096);
            // Browsers drop lines with control characters; so must we.
            // eslint-disable-next-line no-control-regex
            expect(`${c.name}${c.value}`).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f]/);
            expect(c.domain).toBe(c.domain.toLowerCase());
            expect(c.path.startsWith('/')).toBe(true);
            expect(['no_restriction', 'lax', 'strict', 'unspecified']).toContain(c.sameSite);
            if (c.expires !== null) {
              expect(Number.isNaN(c.expires)).toBe(false);
              expect(c.expires).toBeLessThanOrEqual(T + MAX_LIFETIME);
              expect(c.removed).toBe(c.expires <= T);
            } else expect(c.removed).toBe(false);
            // A Domain attribute must cover the host that set the cookie.
            if (!c.hostOnly && url === 'https://www.a.test/x/y') {
              expect('www.a.test' === c.domain || 'www.a.test'.endsWith(`.${c.domain}`)).toBe(true);
            }
          }
        }),
        params(800),
      );
    },
    timeout(),
  );

  it('stays linear on catastrophic header values', () => {
    for (const s of CATASTROPHIC) {
      for (const h of [
        s,
        `a=${s}`,
        `${s}=b`,
        `a=b; ${s}`,
        `a=b; Domain=${s}`,
        `a=b; Expires=${s}`,
      ]) {
        bounded('parseSetCookie', () =>
          parseSetCookie(h, { requestUrl: 'https://a.test/', time: T }),
        );
      }
    }
    // 100,000 cookies in one header (Firefox joins them with newlines): capped, not all parsed.
    const many = Array.from({ length: 100_000 }, (_, i) => `c${i}=v`).join('\n');
    const out = bounded('parseSetCookie', () =>
      parseSetCookie(many, { requestUrl: 'https://a.test/', time: T }),
    );
    expect(out).toHaveLength(MAX_COOKIES_PER_HEADER);
  });
});

describe('cookiesFromHeaders', () => {
  it('ignores malformed header objects instead of throwing', () => {
    const junk = fc.oneof(
      fc.record({ name: fc.constantFrom('Set-Cookie', 'set-cookie'), value: header }),
      fc.anything(),
    );
    fc.assert(
      fc.property(fc.array(junk, { maxLength: 8 }), (headers) => {
        // Wrong types on purpose: HAR files and other browsers hand us what they like.
        const out = bounded('cookiesFromHeaders', () =>
          cookiesFromHeaders(headers as Header[], { requestUrl: 'https://a.test/', time: T }),
        );
        expect(out.length).toBeLessThanOrEqual(MAX_COOKIES_PER_HEADER);
      }),
      params(500),
    );
  });
});
