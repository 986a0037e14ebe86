import { describe, expect, it } from 'vitest';
import {
  assessIdentifierValue,
  identifierCookie,
  isConsentCookie,
} from '../../../src/core/detectors/identifier-cookie.ts';
import type { CookieEvent } from '../../../src/core/model.ts';
import { cookieContext, cookieFixtures, page } from '../helpers/context.ts';
import { DAY, T0, cookie } from '../helpers/records.ts';

const P = page('https://www.ferguson.com/');
const run = (c: CookieEvent) => identifierCookie.detectCookie(c, cookieContext(P, c));

describe('identifier-cookie: recorded cookie shapes', () => {
  it.each(cookieFixtures.cookies.map((x) => [x.label, x] as const))('%s', (_, x) => {
    const c = cookie({ name: '', domain: '', ...x.cookie, time: cookieFixtures.time });
    expect(run(c).length > 0).toBe(x.expect.identifier);
  });
});

describe('identifier-cookie: evidence', () => {
  it('gives name, lifetime, length, entropy and a masked preview, never the value', () => {
    const value = 'AHWqTUnQ0vZ3x8GkQe2xRzL1pYbM7sT4cVfKjD9wNhE';
    const c = cookie({ name: 'IDE', domain: 'doubleclick.net', value, expires: T0 + 395 * DAY });
    const [f] = run(c);
    expect(f?.evidence).toMatchObject({
      cookieName: 'IDE',
      preview: 'AHWq…',
      details: { lifetimeDays: 395, length: value.length, part: 'whole' },
    });
    expect(Number(f?.evidence.details?.entropyBits)).toBeGreaterThan(200);
    expect(JSON.stringify(f)).not.toContain(value);
    expect(f?.dataTypes).toEqual(['cookie-id']);
    expect(f?.explanation).toContain('395 days');
  });

  it('finds the id inside a composite value', () => {
    const a = assessIdentifierValue('{"id":"Zk3pQ9rT2vX8","ts":1709294399}', T0);
    expect(a).toMatchObject({ identifierLike: true, part: 'part', candidate: 'Zk3pQ9rT2vX8' });
  });
});

describe('identifier-cookie: value vectors', () => {
  it.each([
    ['f47ac10b-58cc-4372-a567-0e02b2c3d479', true], // UUID
    ['GA1.2.1393271424.1709294399', true],
    ['3f9a1c7e5b2d', true], // 48 bits of hex
    ['abcdef12', false], // 32 bits: at the threshold, not above
    ['1709294399', false], // now, in seconds
    ['true', false],
    ['homepage', false], // a word
    ['dismissed_cookie_banner', false], // words
    ['en-US', false],
    ['x'.repeat(150), false], // too long to be an id, and no part qualifies
    ['', false],
  ])('%j → %s', (v, expected) => {
    expect(assessIdentifierValue(v, T0).identifierLike).toBe(expected);
  });
});

describe('identifier-cookie: lifetime and name rules', () => {
  const id = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
  it.each([
    [
      'session cookie',
      cookie({ name: 'uid', domain: 'ferguson.com', value: id, expires: null }),
      0,
    ],
    [
      '7 days',
      cookie({ name: 'uid', domain: 'ferguson.com', value: id, expires: T0 + 7 * DAY }),
      0,
    ],
    [
      '30 days',
      cookie({ name: 'uid', domain: 'ferguson.com', value: id, expires: T0 + 30 * DAY }),
      1,
    ],
    ['removed', cookie({ name: 'uid', domain: 'ferguson.com', value: id, removed: true }), 0],
    ['consent', cookie({ name: 'OptanonConsent', domain: 'ferguson.com', value: id }), 0],
  ])('%s', (_, c, n) => {
    expect(run(c)).toHaveLength(n);
  });

  it.each([
    'euconsent-v2',
    'usprivacy',
    '__gpp',
    'OptanonConsent',
    'CookieConsent',
    'addtl_consent',
  ])('%s is a consent cookie', (name) => expect(isConsentCookie(name)).toBe(true));
});
