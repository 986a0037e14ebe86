// URLs and query strings come from pages and trackers: every request URL, Referer, initiator
// and redirect target goes through these parsers first.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_URL_CHARS } from '../../src/core/model.ts';
import { hostOf, MAX_PARAMS, normalizeHost, parseQuery, parseUrl } from '../../src/core/url.ts';
import {
  bounded,
  CATASTROPHIC,
  hostileString,
  params,
  timeout,
  tricky,
  urlish,
} from './support.ts';

/** What the WHATWG URL parser says, in ParsedUrl terms: the oracle for parseUrl's fast path. */
function viaUrlParser(raw: string) {
  const capped = raw.slice(0, MAX_URL_CHARS);
  let u: URL;
  try {
    u = new URL(capped);
  } catch {
    return null;
  }
  return {
    href: u.href,
    protocol: u.protocol,
    host: u.hostname && /^(https?|wss?|ftp):$/.test(u.protocol) ? normalizeHost(u.hostname) : '',
    pathname: u.pathname,
    search: u.search.replace(/^\?/, ''),
    hash: u.hash,
  };
}

describe('parseUrl', () => {
  it(
    'never throws and returns a well-formed ParsedUrl',
    () => {
      fc.assert(
        fc.property(fc.oneof(urlish(), hostileString(300)), (raw) => {
          const u = bounded('parseUrl', () => parseUrl(raw));
          for (const s of [u.href, u.protocol, u.host, u.pathname, u.search, u.hash]) {
            expect(typeof s).toBe('string');
          }
          // The input is cut at MAX_URL_CHARS before parsing; the parser's percent-encoding can
          // still grow it, at most ninefold (one UTF-16 unit → up to `%XX%XX%XX`).
          expect(u.href.length).toBeLessThanOrEqual(9 * MAX_URL_CHARS + 1);
          expect(u.host).toBe(normalizeHost(u.host));
          if (u.host) expect(u.protocol).toMatch(/^(https?|wss?|ftp):$/);
          expect(u.params.length).toBeLessThanOrEqual(MAX_PARAMS);
          for (const [k, v] of u.params) {
            expect(typeof k).toBe('string');
            expect(typeof v).toBe('string');
            expect(k.length).toBeLessThanOrEqual(4_096);
            expect(v.length).toBeLessThanOrEqual(4_096);
          }
        }),
        params(600),
      );
    },
    timeout(),
  );

  it(
    'agrees with the WHATWG URL parser (the fast path is only a shortcut)',
    () => {
      fc.assert(
        fc.property(urlish(), (raw) => {
          if (raw.slice(0, 16).trimStart().toLowerCase().startsWith('data:')) return;
          const want = viaUrlParser(raw);
          const got = parseUrl(raw);
          if (!want) {
            expect(got.host).toBe('');
            return;
          }
          expect({
            href: got.href,
            protocol: got.protocol,
            host: got.host,
            pathname: got.pathname,
            search: got.search,
            hash: got.hash,
          }).toEqual(want);
        }),
        params(800),
      );
    },
    timeout(),
  );

  it('hostOf agrees with parseUrl on any input', () => {
    fc.assert(
      fc.property(fc.oneof(urlish(), fc.constant('null'), hostileString(80)), (raw) => {
        expect(hostOf(raw)).toBe(raw === 'null' || raw === '' ? '' : parseUrl(raw).host);
      }),
      params(600),
    );
  });

  it(
    'stays linear on catastrophic inputs in every part of a URL',
    () => {
      for (const s of CATASTROPHIC) {
        for (const raw of [
          s,
          `https://${s}`,
          `https://a.test/${s}`,
          `https://a.test/?${s}`,
          `https://a.test/#${s}`,
          `data:${s}`,
          `https://a.test/?q=${s}&${s}=1`,
        ]) {
          bounded(`parseUrl(${JSON.stringify(raw.slice(0, 24))}…)`, () => parseUrl(raw));
          bounded('hostOf', () => hostOf(raw));
        }
      }
    },
    timeout(),
  );
});

describe('parseQuery', () => {
  it('never throws, caps pairs and lengths, and keeps one pair per non-empty part', () => {
    fc.assert(
      fc.property(tricky(200), fc.integer({ min: 0, max: 600 }), (q, max) => {
        const pairs = bounded('parseQuery', () => parseQuery(q, max));
        const parts = q.split('&').filter((p) => p.length > 0).length;
        expect(pairs.length).toBe(Math.min(parts, max));
        for (const [k, v] of pairs) {
          expect(k.length).toBeLessThanOrEqual(4_096);
          expect(v.length).toBeLessThanOrEqual(4_096);
        }
      }),
      params(600),
    );
  });

  it('decodes what encodeURIComponent encoded', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 40 })),
          {
            maxLength: 20,
          },
        ),
        (pairs) => {
          // Lone surrogates cannot be percent-encoded at all; they are not a query a browser sends.
          const wellFormed = pairs.filter(([k, v]) => k.isWellFormed() && v.isWellFormed());
          const q = wellFormed
            .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
            .join('&');
          expect(parseQuery(q)).toEqual(wellFormed.map(([k, v]) => [k, v]));
        },
      ),
      params(400),
    );
  });

  it(
    'stays linear on catastrophic query strings',
    () => {
      for (const s of CATASTROPHIC) bounded('parseQuery', () => parseQuery(s));
    },
    timeout(),
  );
});
