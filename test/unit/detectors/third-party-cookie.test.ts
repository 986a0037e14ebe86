import { describe, expect, it } from 'vitest';
import { thirdPartyCookie } from '../../../src/core/detectors/third-party-cookie.ts';
import { cookieContext, newState, page } from '../helpers/context.ts';
import { cookie } from '../helpers/records.ts';

const P = page('https://www.ferguson.com/');

describe('third-party-cookie', () => {
  it('flags a SameSite=None cookie of a third party (LinkedIn on ferguson.com)', () => {
    const c = cookie({
      name: 'bcookie',
      domain: 'linkedin.com',
      sameSite: 'no_restriction',
      source: 'header',
      requestUrl: 'https://www.linkedin.com/px/li_sync',
    });
    const [f] = thirdPartyCookie.detectCookie(c, cookieContext(P, c));
    expect(f).toMatchObject({
      kind: 'third-party-cookie',
      party: 'linkedin.com',
      requestUrl: 'https://www.linkedin.com/px/li_sync',
      evidence: {
        rule: 'third-party-cookie:samesite-none',
        cookieName: 'bcookie',
        location: 'set-cookie',
      },
    });
    expect(f?.explanation).toContain('SameSite=None');
    expect(f?.explanation).toContain('Microsoft');
  });

  it('notes partitioned cookies', () => {
    const c = cookie({
      name: 'chips',
      domain: 'widget.example',
      partitioned: true,
      sameSite: 'no_restriction',
    });
    const [f] = thirdPartyCookie.detectCookie(c, cookieContext(P, c));
    expect(f?.evidence.rule).toBe('third-party-cookie:partitioned');
    expect(f?.explanation).toContain('partitioned');
  });

  it('notes a cookie of the same company', () => {
    const yt = page('https://www.youtube.com/');
    const c = cookie({ name: 'IDE', domain: 'doubleclick.net' });
    const [f] = thirdPartyCookie.detectCookie(c, cookieContext(yt, c));
    expect(f?.explanation).toContain('same company');
  });

  it.each([
    cookie({ name: '_ga', domain: 'ferguson.com' }),
    cookie({ name: 'sid', domain: 'www.ferguson.com', hostOnly: true }),
    cookie({ name: 'gone', domain: 'linkedin.com', removed: true }),
    cookie({ name: 'nohost', domain: '' }),
  ])('ignores $name on $domain', (c) => {
    expect(thirdPartyCookie.detectCookie(c, cookieContext(P, c))).toEqual([]);
  });

  it('reports each cookie once per page', () => {
    const state = newState();
    const c = cookie({ name: 'uid', domain: 'tracker.example' });
    expect(thirdPartyCookie.detectCookie(c, cookieContext(P, c, state))).toHaveLength(1);
    expect(thirdPartyCookie.detectCookie(c, cookieContext(P, c, state))).toHaveLength(0);
  });
});
