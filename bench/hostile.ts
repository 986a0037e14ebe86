// Hostile input through the whole analysis: requests crafted the way a page could make
// them (64 KB bodies of every shape, 16 KB URLs, nested encodings, a hundred 4 KB cookies,
// 200 Set-Cookie headers), on a page that has set 300 first-party cookies, the most a page
// keeps. The corpus rows cannot show a path that is superlinear in a request's size: real
// requests are rarely that large (a quadratic dedupe of repeated values was found only
// through one 26 KB beacon body). Info: the slowest case is the row, every case in its note.
import type { RequestRecord } from '../src/core/model.ts';
import { cookie as cookieEvent, request as record } from '../test/unit/helpers/records.ts';
import { bundleEntry } from './bundle.ts';
import { registerCanaries } from './core.ts';
import { median, seededRandom } from './stats.ts';
import type { Row } from './table.ts';

type Core = typeof import('./core-entry.ts');

const NOW = Date.parse('2025-01-15T12:00:00Z');
const PAGE = 'https://www.site.example/article/1?ref=home';
const TRACKER = 'https://t.tracker.example';

/** The same pseudo-random text on every run (stats.ts seededRandom), so runs compare. */
function texts(seed: number): (n: number) => string {
  const next = seededRandom(seed);
  const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return (n) => {
    let out = '';
    for (let i = 0; i < n; i++) out += abc[Math.floor(next() * 36)];
    return out;
  };
}

function request(url: string, over: Partial<RequestRecord> = {}): RequestRecord {
  return record({
    id: 'hostile',
    url,
    type: 'xmlhttprequest',
    initiator: 'https://www.site.example',
    documentUrl: PAGE,
    time: NOW,
    ...over,
  });
}

const post = (url: string, text: string, headers: RequestRecord['requestHeaders'] = []) =>
  request(url, {
    method: 'POST',
    body: { kind: 'text', text, truncated: false, binary: false },
    requestHeaders: headers,
  });

/** Each case builds a fresh request (per-request caches must not hit). */
export function hostileCases(): [string, () => RequestRecord][] {
  const rnd = texts(20251207);
  const list = <T>(n: number, f: (i: number) => T): T[] =>
    Array.from({ length: n }, (_, i) => f(i));
  const cookies = (n: number, size: number) => list(n, (i) => `c${i}=${rnd(size)}`).join('; ');
  return [
    ['64 KB body of random text', () => post(`${TRACKER}/c`, rnd(65_000))],
    [
      'JSON body, 3,000 random strings',
      () => post(`${TRACKER}/c`, JSON.stringify(list(3000, () => rnd(18)))),
    ],
    [
      'JSON body, 300 nested objects',
      () =>
        post(
          `${TRACKER}/c`,
          JSON.stringify(list(300, () => ({ a: { b: { c: { d: rnd(8), e: [1, 2, 3] } } } }))),
        ),
    ],
    [
      'JSON body, 500 long keys',
      () =>
        post(
          `${TRACKER}/c`,
          JSON.stringify(Object.fromEntries(list(500, (i) => [`${rnd(100)}${i}`, rnd(20)]))),
        ),
    ],
    ['JSON body, one 64 KB string', () => post(`${TRACKER}/c`, JSON.stringify({ a: rnd(65_000) }))],
    [
      'form body, 6,000 keys, one value',
      () => post(`${TRACKER}/c`, list(6000, (i) => `k${i}=0`).join('&')),
    ],
    [
      'form body, 6,000 keys, random values',
      () => post(`${TRACKER}/c`, list(6000, (i) => `k${i}=${rnd(10)}`).join('&')),
    ],
    [
      'newline batch, 2,000 hits',
      () => post(`${TRACKER}/b`, list(2000, (i) => `en=e${i}&ep.v=${rnd(20)}`).join('\n')),
    ],
    [
      'multipart body, 400 fields',
      () =>
        post(
          `${TRACKER}/u`,
          `${list(400, (i) => `--XX\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n${rnd(120)}\r\n`).join('')}--XX--`,
          [{ name: 'Content-Type', value: 'multipart/form-data; boundary=XX' }],
        ),
    ],
    [
      '16 KB URL, 800 parameters',
      () => request(`${TRACKER}/p?${list(800, (i) => `p${i}=${rnd(12)}`).join('&')}`),
    ],
    [
      '16 KB URL, one dotted value',
      () => request(`${TRACKER}/p?v=${list(1600, () => rnd(9)).join('.')}`),
    ],
    [
      'URL nested in URLs, 7 deep',
      () => {
        let v = `https://a.example/?u=${rnd(20)}&e=jane.canary%40leakwatch-bench.example`;
        for (let i = 0; i < 6; i++) v = `https://x${i}.example/r?next=${encodeURIComponent(v)}`;
        return request(`${TRACKER}/p?u=${encodeURIComponent(v)}`);
      },
    ],
    [
      'base64 in base64, 5 deep',
      () => {
        let v = JSON.stringify({ id: rnd(22), em: 'jane.canary@leakwatch-bench.example' });
        for (let i = 0; i < 5; i++) v = Buffer.from(v).toString('base64');
        return request(`${TRACKER}/p?d=${v}`);
      },
    ],
    [
      'Cookie header to a tracker, 100 x 4 KB',
      () =>
        request(`${TRACKER}/p`, {
          requestHeaders: [{ name: 'Cookie', value: cookies(100, 4000) }],
        }),
    ],
    [
      'Cookie header to the site, 100 x 4 KB',
      () =>
        request('https://www.site.example/a.js', {
          requestHeaders: [{ name: 'Cookie', value: cookies(100, 4000) }],
        }),
    ],
    [
      '200 Set-Cookie headers',
      () =>
        request(`${TRACKER}/p`, {
          responseHeaders: list(200, (i) => ({
            name: 'Set-Cookie',
            value: `id${i}=${rnd(30)}; Path=/; Max-Age=999999; SameSite=None; Secure`,
          })),
        }),
    ],
    [
      '500 request headers',
      () =>
        request(`${TRACKER}/p`, {
          requestHeaders: list(500, (i) => ({ name: `X-H${i}`, value: rnd(100) })),
        }),
    ],
  ];
}

export async function runHostileBench(
  opts: { rounds?: number; bundle?: string } = {},
): Promise<Row[]> {
  const rounds = opts.rounds ?? 9;
  const core = (await import(
    opts.bundle ?? (await bundleEntry('bench/core-entry.ts', 'core'))
  )) as Core;
  registerCanaries(core.registerSecret); // idempotent: the core rows' bundle has them already
  const analyzer = core.createAnalyzer(core.defaultKnowledge());
  const page = analyzer.pageContext('hostile', PAGE, 1, NOW);
  analyzer.setPageTitle('hostile', 'Hostile input bench: an article page');
  const rnd = texts(7);
  for (let i = 0; i < 300; i++) {
    const c = cookieEvent({
      name: `c${i}`,
      value: rnd(24),
      domain: 'site.example',
      expires: NOW + 365 * 864e5,
      sameSite: 'lax',
      time: NOW,
    });
    analyzer.analyzeCookie(page, c);
  }
  const results = hostileCases().map(([name, make]) => {
    for (let i = 0; i < 3; i++) analyzer.analyzeRequest(page, make());
    const ms: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const req = make();
      const t0 = performance.now();
      analyzer.analyzeRequest(page, req);
      ms.push(performance.now() - t0);
    }
    return { name, ms: median(Float64Array.from(ms)) };
  });
  const worst = results.reduce((a, b) => (b.ms > a.ms ? b : a));
  return [
    {
      group: 'core',
      name: `hostile input, slowest of ${results.length} crafted requests (median of ${rounds})`,
      ours: `${worst.ms.toFixed(1)} ms`,
      reference: '',
      ratio: '',
      budget: 'info',
      ok: null,
      note: `createAnalyzer().analyzeRequest on a page with 300 first-party cookies and the core rows' canary email and phone; slowest: ${worst.name}; each: ${results.map((r) => `${r.name} ${r.ms.toFixed(2)} ms`).join(', ')}`,
      values: Object.fromEntries(results.map((r) => [r.name, r.ms])),
    },
  ];
}

// Alone: npx tsx bench/hostile.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  void runHostileBench().then((rows) => {
    for (const r of rows) console.log(`${r.name}: ${r.ours}\n${r.note ?? ''}`);
  });
}
