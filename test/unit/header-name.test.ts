import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { headerIn, isHeader } from '../../src/core/header-name.ts';
import { cookiesFromHeaders } from '../../src/core/set-cookie.ts';

describe('isHeader', () => {
  it('matches a header name in any case, and only that name', () => {
    expect(isHeader('set-cookie', 'set-cookie')).toBe(true);
    expect(isHeader('Set-Cookie', 'set-cookie')).toBe(true);
    expect(isHeader('SET-COOKIE', 'set-cookie')).toBe(true);
    expect(isHeader('set-cookie2', 'set-cookie')).toBe(false);
    expect(isHeader('cookie', 'set-cookie')).toBe(false);
    expect(isHeader('', 'cookie')).toBe(false);
  });

  it('agrees with a lower-cased comparison, for other names and for the name in any case', () => {
    const names = fc.constantFrom('cookie', 'referer', 'set-cookie', 'location');
    const anyCase = names.chain((l) =>
      fc
        .array(fc.boolean(), { minLength: l.length, maxLength: l.length })
        .map((up) => [l, [...l].map((c, i) => (up[i] ? c.toUpperCase() : c)).join('')] as const),
    );
    const other = fc.tuple(names, fc.string({ unit: 'binary', maxLength: 12 }));
    fc.assert(
      fc.property(fc.oneof(anyCase, other), ([l, n]) => {
        expect(isHeader(n, l)).toBe(n.toLowerCase() === l);
      }),
    );
  });

  it('lets an HTTP/1-style Set-Cookie header through the parser', () => {
    const cookies = cookiesFromHeaders(
      [
        { name: 'Content-Type', value: 'image/gif' },
        { name: 'Set-Cookie', value: 'uid=abc123def456; Path=/' },
        { name: 'SET-COOKIE', value: 'sid=zz9; Path=/' },
      ],
      { requestUrl: 'https://px.example.com/p.gif', time: 1 },
    );
    expect(cookies.map((c) => c.name)).toEqual(['uid', 'sid']);
  });

  it('finds the first header of a name in any case, and nothing when none has it', () => {
    const headers = [
      { name: 'Referer', value: 'https://news.example/a' },
      { name: 'COOKIE', value: 'uid=1' },
      { name: 'cookie', value: 'uid=2' },
    ];
    expect(headerIn(headers, 'cookie')).toBe('uid=1');
    expect(headerIn(headers, 'referer')).toBe('https://news.example/a');
    expect(headerIn(headers, 'location')).toBeUndefined();
  });
});
