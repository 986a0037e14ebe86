// The glance (src/core/leaks/glance.ts) lets the leak detectors judge a request without its
// tokens. It is only sound if, for every request it glances at, every token and haystack
// the extractor would make is plain text whose characters are in the glance's bitmap of
// the right part, with its key among the glance's keys. These tests hold it to the real
// extractor on the whole bench corpus and on generated hostile requests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../src/core/model.ts';
import { extractRequest, urlParamTokens, urlValueTokens } from '../../../src/core/leaks/extract.ts';
import {
  deepValue,
  glanceOf,
  requestGlance,
  type Glance,
  type GlancePart,
} from '../../../src/core/leaks/glance.ts';
import { foldedGramKeys, mayContainFolded } from '../../../src/core/leaks/grams.ts';
import { base64Encode } from '../../../src/core/leaks/codec.ts';
import { findEmails } from '../../../src/core/leaks/email.ts';
import { neverAPiece, TokenSink } from '../../../src/core/leaks/tokens.ts';
import { createAnalyzer } from '../../../src/core/analyzer.ts';
import { pageUrlLeak } from '../../../src/core/detectors/page-url-leak.ts';
import { requestTokens } from '../../../src/core/leaks/extract.ts';
import { buildVariants } from '../../../src/core/leaks/variants.ts';
import { VariantIndex } from '../../../src/core/leaks/match.ts';
import { parseUrl } from '../../../src/core/url.ts';
import { loadCorpus } from '../../../bench/corpus.ts';
import { cookie, harness, req } from './helpers.ts';
import { REQUEST_DETECTORS } from '../../../src/core/detectors/index.ts';
import type { RequestDetector } from '../../../src/core/detectors/types.ts';

/** Each corpus replay takes 1-5 s alone, more beside other test files on two cores. */
const CORPUS_TIMEOUT = 60_000;

const PART: Partial<Record<string, GlancePart>> = {
  path: 'url',
  query: 'url',
  'cookie-header': 'cookie',
  'referer-header': 'referer',
};

/** Why the glance of `r` would hide something from a detector, or null when it is sound. */
function unsound(r: RequestRecord): string | null {
  const g = requestGlance(r, { url: parseUrl(r.url) });
  if (g === null) return null;
  const x = extractRequest(r);
  for (const t of x.tokens) {
    const part = PART[t.location];
    if (!part) return `token at ${t.location}`;
    if (t.encoding !== 'plain') return `${t.encoding} token ${t.key}=${t.value}`;
    const bits = g.grams[part];
    if (!bits || !mayContainFolded(bits, foldedGramKeys(t.value)))
      return `token ${t.key}=${t.value} not in the ${part} bitmap`;
    if (findEmails(t.value).length > 0 && !g.email) return `address in ${t.value} missed`;
    if (part !== 'referer' && !t.key.startsWith('path[') && !g.keys.includes(t.key))
      return `key ${t.key} missed`;
  }
  for (const h of x.haystacks) {
    const part = PART[h.location];
    const bits = part ? g.grams[part] : null;
    if (!bits || !mayContainFolded(bits, foldedGramKeys(h.text)))
      return `haystack at ${h.location} not in the bitmap`;
    if (findEmails(h.text).length > 0 && !g.email) return `address in a haystack missed`;
  }
  return null;
}

describe('request glance', () => {
  it(
    'is sound on every request of the bench corpus, and glances at most of them',
    () => {
      const corpus = loadCorpus();
      let glanced = 0;
      let total = 0;
      const problems: string[] = [];
      for (const page of corpus.pages) {
        for (const r of page.requests) {
          total++;
          const copy = { ...r };
          const why = unsound(copy);
          if (why) problems.push(`${r.url.slice(0, 100)}: ${why}`);
          if (glanceOf(copy) !== null) glanced++;
        }
      }
      expect(problems.slice(0, 5)).toEqual([]);
      // The point of it: most real requests need no tokens (85% get a glance on this corpus).
      expect(glanced / total).toBeGreaterThan(0.5);
    },
    CORPUS_TIMEOUT,
  );

  it('is sound on generated requests full of encodings, structure and odd bytes', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        'aGVsbG8gd29ybGQh', // base64 of text
        base64Encode('{"email":"a@b.co"}'),
        'ZXhhbXBsZS5jb20vcGF0aA', // base64url, no padding
        'dXNlcj0xMjM0NTY3ODkw',
        '%2541',
        '%7B%22a%22%3A1%7D',
        'a%40b.co',
        'https://x.example/?q=1',
        '{"k":"v"}',
        '[1,2]',
        'a=b',
        'x:y',
        'é',
        '"quoted"',
        '+',
        '..',
        '-_~',
        'GA1.2.123456789.1700000000',
        '79816aa8-435a-471a-be83-4b3e0946daf2',
        'd41d8cd98f00b204e9800998ecf8427e',
        'CKSW3JfZ3ooDFfxVDwIdASkyE',
        'pixel.gif',
        'aGVsbG8-Pj53b3JsZD8_Pw.gif', // its stem is base64url of text, its pieces are not
        'aGVsbG8gd29ybGQ=', // padded base64 of text
        'fc2aedaa0a15e2==', // padded, hex digits only, and it decodes to text
        'https://x.example/p/q',
        'http://x.example/?a=b&c=d',
        'k=v&k2=v2',
        'a=b=c',
        '?',
        '&',
      ),
      fc.stringMatching(/^[A-Za-z0-9+/_.:~-]{0,24}$/),
    );
    const value = fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
    const sep = fc.constantFrom('', '.', '-', '_', ':', '|', ',', ' ', '~', '/', '=', '&', '?');
    const joined = fc.tuple(value, sep, value).map(([a, s, b]) => `${a}${s}${b}`);
    const request = fc
      .record({
        path: fc.array(joined, { maxLength: 3 }),
        params: fc.array(fc.tuple(fc.constantFrom('id', 'u', 'em', 'data', 'x[y]'), joined), {
          maxLength: 4,
        }),
        cookie: fc.option(
          fc.array(fc.tuple(fc.constantFrom('a', 'sid'), joined), { maxLength: 3 }),
        ),
        referer: fc.option(
          fc.constantFrom(
            'https://site.example/',
            'https://site.example/aGVsbG8gd29ybGQh.html',
            'https://site.example/a?b=c',
            'https://site.example',
          ),
        ),
      })
      .map(({ path, params, cookie, referer }) => {
        const enc = (s: string) => s.replace(/[^A-Za-z0-9._~%+:-]/g, encodeURIComponent);
        const url =
          `https://t.example/${path.map(enc).join('/')}` +
          (params.length ? `?${params.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}` : '');
        const headers = [];
        if (cookie)
          headers.push({ name: 'Cookie', value: cookie.map(([k, v]) => `${k}=${v}`).join('; ') });
        if (referer) headers.push({ name: 'Referer', value: referer });
        return req(url, { requestHeaders: headers });
      });
    fc.assert(
      fc.property(request, (r) => {
        expect(unsound(r)).toBeNull();
      }),
      { numRuns: 10_000 },
    );
  });

  it('turns away what the token sink would decode or flatten', () => {
    expect(deepValue('aGVsbG8gd29ybGQh')).toBe(true); // base64 text
    expect(deepValue('v1.aGVsbG8gd29ybGQh')).toBe(true); // a piece of it
    expect(deepValue('x:aGVsbG8gd29ybGQh:y')).toBe(true); // a middle piece
    expect(deepValue('a%2541')).toBe(true); // an escape left after parsing
    expect(deepValue('{"a":1}')).toBe(true);
    expect(deepValue('naïve')).toBe(true); // non-ASCII: lower-casing may change it
    expect(deepValue('x'.repeat(5_000))).toBe(true);
    // Ids, digests, numbers and words are cut into pieces only: glanced.
    expect(deepValue('CKSW3JfZ3ooDFfxVDwIdASkyE')).toBe(false);
    expect(deepValue('79816aa8-435a-471a-be83-4b3e0946daf2')).toBe(false);
    expect(deepValue('GA1.2.123456789.1700000000')).toBe(false);
    expect(deepValue('d41d8cd98f00b204e9800998ecf8427e')).toBe(false);
    expect(deepValue('homepage')).toBe(false);
    // Structure is what the sink would read as such, not any '=' or '://'.
    expect(deepValue('https://site.example/a/b')).toBe(false); // only cut into pieces
    expect(deepValue('https://site.example/a?b=1')).toBe(true); // its query is read
    expect(deepValue('x=1')).toBe(false);
    expect(deepValue('x=1&y=2')).toBe(true); // an embedded query
    expect(deepValue('aGVsbG8gd29ybGQ=')).toBe(true); // padded base64 of text
    expect(deepValue('fc2aedaa0a15e2==')).toBe(true); // hex digits, but '=' makes it base64
    // A coarse piece keeps its padding too ('=' cuts only middle pieces).
    expect(deepValue('fc2aedaa0a15e2==/x')).toBe(true);
    expect(deepValue('x fc2aedaa0a15e2==')).toBe(true);
    // A path segment's file-extension stem is a value of its own.
    const stem = req('https://t.example/aGVsbG8-Pj53b3JsZD8_Pw.gif');
    expect(requestGlance(stem, { url: parseUrl(stem.url) })).toBeNull();
  });

  it('leaves requests with a body, a fragment or a redirect to the tokens', () => {
    const url = (u: string) => ({ url: parseUrl(u) });
    const body = req('https://t.example/c', {
      body: { kind: 'text', text: 'a=1', truncated: false, binary: false },
    });
    expect(requestGlance(body, url(body.url))).toBeNull();
    const frag = req('https://t.example/c#a=1');
    expect(requestGlance(frag, url(frag.url))).toBeNull();
    const redirect = req('https://t.example/c', { redirectUrl: 'https://u.example/?id=1' });
    expect(requestGlance(redirect, url(redirect.url))).toBeNull();
  });

  it('rules a value out only when it is absent, in any letter case', () => {
    const index = new VariantIndex<string>();
    index.add('id', buildVariants([{ value: 'Xk29fQpLm3vB', form: 'cookie' }], { hashes: true }));
    const glance = (u: string): Glance => {
      const r = req(u);
      const g = requestGlance(r, { url: parseUrl(u) });
      if (g === null) throw new Error(`no glance for ${u}`);
      return g;
    };
    expect(index.mayMatch(glance('https://t.example/p?v=1&z=2'))).toBe(false);
    expect(index.mayMatch(glance('https://t.example/p?uid=Xk29fQpLm3vB'))).toBe(true);
    expect(index.mayMatch(glance('https://t.example/p?uid=xk29fqplm3vb'))).toBe(true);
  });

  it('hands a superseded glance bitmaps that rule nothing out', () => {
    const index = new VariantIndex<string>();
    index.add('id', buildVariants([{ value: 'Xk29fQpLm3vB', form: 'cookie' }], { hashes: false }));
    const first = req('https://t.example/p?v=1');
    const g = requestGlance(first, { url: parseUrl(first.url) });
    expect(g && index.mayMatch(g)).toBe(false);
    const second = req('https://t.example/q?w=2');
    requestGlance(second, { url: parseUrl(second.url) });
    // The bitmaps are reused for the newer request: the older glance can no longer tell.
    expect(g && index.mayMatch(g)).toBe(true);
    expect(glanceOf(first)).toBeNull();
  });

  it('lets every detector judge a request that carries nothing without tokenizing it', () => {
    // A last detector that only notes whether anyone before it made the tokens.
    const tokenized: boolean[] = [];
    const spy: RequestDetector = {
      id: 'spy',
      kinds: [],
      detectRequest: (_r, ctx) => {
        tokenized.push(ctx.extraction !== undefined);
        return [];
      },
    };
    const h = harness([...REQUEST_DETECTORS, spy]);
    h.cookie(cookie('_uid', 'Xk29fQpLm3vB77', 'shop.example.com'));
    const clean = h.request(req('https://px.tracker.example/p.gif?kind=view&v=2&n=17'));
    const carrying = h.request(
      req('https://px.tracker.example/p.gif?kind=view&uid=Xk29fQpLm3vB77'),
    );
    expect(tokenized).toEqual([false, true]);
    expect(clean.filter((f) => f.kind === 'cookie-sharing')).toEqual([]);
    expect(carrying.filter((f) => f.kind === 'cookie-sharing')).toHaveLength(1);
  });

  it(
    'gives a detector the same URL tokens, of the values it keeps, as the whole extraction',
    () => {
      const corpus = loadCorpus();
      let compared = 0;
      for (const page of corpus.pages) {
        for (const r of page.requests) {
          const url = parseUrl(r.url);
          if (requestGlance({ ...r }, { url }) === null) continue;
          const fromUrl = (t: { location: string }) =>
            t.location === 'path' || t.location === 'query';
          const all = extractRequest({ ...r }).tokens;
          const whole = all.filter(fromUrl);
          expect(urlValueTokens(url, () => 'all')).toEqual(whole);
          // A glanced value has no layer to decode: its pieces are cut at the delimiters,
          // so none holds a coarse one (what page-url-leak's 'whole' use counts on).
          expect(whole.filter((t) => t.part && neverAPiece(t.value))).toEqual([]);
          // The parameters' whole values, as ecommerce-leak reads them (the sink drops a
          // repeated name=value pair, which changes nothing there).
          const params = (urlParamTokens(url) ?? []).filter(
            (t, i, list) => list.findIndex((u) => u.key === t.key && u.value === t.value) === i,
          );
          expect(params).toEqual(all.filter((t) => t.location === 'query' && !t.part));
          // Keeping only the values that hold 'id' keeps exactly their tokens.
          const some = urlValueTokens(url, (v) => (v.includes('id') ? 'all' : 'none')) ?? [];
          expect(some.every((t) => whole.some((w) => w.key === t.key && w.value === t.value))).toBe(
            true,
          );
          // Taking those values whole gives their own tokens (and path stems), no pieces. A
          // stem that is also a piece of its segment ('guide' of guide.js) comes as a piece
          // when the segment is split first, and as its own token here.
          const own = urlValueTokens(url, (v) => (v.includes('id') ? 'whole' : 'none')) ?? [];
          const sameText = (a: { key: string; value: string }, b: typeof a) =>
            a.key === b.key && a.value === b.value;
          expect(own.filter((t) => t.part)).toEqual([]);
          expect(some.filter((t) => !t.part).every((t) => own.some((o) => sameText(o, t)))).toBe(
            true,
          );
          expect(own.every((o) => some.some((t) => sameText(o, t)))).toBe(true);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(20_000);
    },
    CORPUS_TIMEOUT,
  );
  it('never gives a piece with a coarse delimiter, whatever the value', () => {
    const alphabet = fc.constantFrom(...'ab0Z=&:/._-~ ,;|()[]{}<>\'"\\%+#@'.split(''));
    const value = fc.array(alphabet, { maxLength: 60 }).map((a) => a.join(''));
    fc.assert(
      fc.property(value, (v) => {
        const sink = new TokenSink();
        sink.value('query', 'k', v);
        // Pieces of decoded layers (url, base64) are not pieces of the value's text.
        const pieces = sink.tokens.filter((t) => t.part && t.encoding === 'plain');
        expect(pieces.filter((t) => neverAPiece(t.value))).toEqual([]);
      }),
      { numRuns: 3_000 },
    );
  });

  it(
    'lets page-url-leak find on every glanced corpus request what the whole extraction finds',
    () => {
      // The same corpus replay twice: page-url-leak as it runs (partial tokens of glanced
      // requests), and behind a detector that makes every request's whole extraction first.
      const whole: RequestDetector = {
        id: 'whole-extraction',
        kinds: [],
        detectRequest: (r, ctx) => {
          requestTokens(r, ctx);
          return [];
        },
      };
      const replay = (detectors: RequestDetector[]) => {
        const analyzer = createAnalyzer(undefined, { requestDetectors: detectors });
        const out: unknown[] = [];
        loadCorpus().pages.forEach((page, i) => {
          const ctx = analyzer.pageContext(`p${i}`, page.url, 1, 0);
          for (const r of page.requests)
            for (const f of analyzer.analyzeRequest(ctx, { ...r }).findings)
              out.push([f.requestUrl, f.dataTypes, f.encoding, f.evidence]);
          analyzer.endPage(`p${i}`);
        });
        return out;
      };
      const partial = replay([pageUrlLeak]);
      expect(partial.length).toBeGreaterThan(1_000);
      expect(partial).toEqual(replay([whole, pageUrlLeak]));
    },
    CORPUS_TIMEOUT,
  );
});
