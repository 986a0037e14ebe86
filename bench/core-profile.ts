// Profiling aid for core speed work (not part of `npm run bench`, prints no budget row):
// replays the corpus the way bench/core.ts does through the bundled core, several rounds,
// keeps each request's fastest round (a GC pause or the other core's load lands on one
// round only) and prints the median/p90/p99 of that, then where the time goes per detector,
// with the token extraction as its own row, over all requests and over the slowest 2%.
//
//   npx tsx bench/core-profile.ts [rounds]            per-detector breakdown
//   npx tsx bench/core-profile.ts [rounds] --plain    the registered detectors unwrapped
//                                                     (A/B of a change: compare its first line)
//   node --cpu-prof --cpu-prof-dir=DIR --import tsx bench/core-profile.ts 4 --plain
import type { PageContext, RequestRecord } from '../src/core/model.ts';
import { bundleEntry } from './bundle.ts';
import { pageTitle, registerCanaries, seedCookies } from './core.ts';
import { loadCorpus } from './corpus.ts';

type Core = typeof import('./core-entry.ts');

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const corpus = loadCorpus();
  const core = (await import(await bundleEntry('bench/core-entry.ts', 'core'))) as Core;
  registerCanaries(core.registerSecret);
  const kb = core.defaultKnowledge();
  let current: number[] = [];
  // A first pseudo-detector makes the token extraction, so that its time is its own row.
  const extract = {
    id: 'extraction',
    kinds: [],
    detectRequest: (
      req: RequestRecord,
      ctx: { url: never; extraction?: unknown; party: { firstParty: boolean } },
    ) => {
      // The leak detectors ask for tokens on third-party requests only.
      if (!ctx.party.firstParty) ctx.extraction = core.extractRequest(req, ctx.url);
      return [];
    },
  } as unknown as (typeof core.REQUEST_DETECTORS)[number];
  const detectors = [extract, ...core.REQUEST_DETECTORS];
  const ids = detectors.map((d) => d.id);
  const wrapped = detectors.map((d, i) => ({
    ...d,
    detectRequest: (req: RequestRecord, ctx: Parameters<typeof d.detectRequest>[1]) => {
      const t0 = performance.now();
      const out = d.detectRequest(req, ctx);
      const dt = performance.now() - t0;
      current[i] = (current[i] ?? 0) + dt;
      return out;
    },
  }));
  const plain = process.argv.includes('--plain');
  const analyzer = core.createAnalyzer(kb, plain ? {} : { requestDetectors: wrapped });
  const rows: { us: number; parts: number[]; url: string; body: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    let k = 0;
    corpus.pages.forEach((page, p) => {
      const now = page.requests[0]?.time ?? Date.now();
      const ctx: PageContext = analyzer.pageContext(`p-${round}-${p}`, page.url, 1, now);
      analyzer.setPageTitle(`p-${round}-${p}`, pageTitle(page));
      for (const c of seedCookies(core.parseUrl, page, now)) analyzer.analyzeCookie(ctx, c);
      for (const r of page.requests) {
        const req: RequestRecord = { ...r };
        current = [];
        const t0 = performance.now();
        analyzer.analyzeRequest(ctx, req);
        const us = (performance.now() - t0) * 1000;
        const parts = current.slice(0, ids.length).map((x) => x * 1000);
        const row = rows[k];
        if (row === undefined) {
          const body = r.body?.kind === 'text' ? r.body.text.length : r.body ? 1 : 0;
          rows[k] = { us, parts, url: r.url, body };
        } else if (us < row.us) {
          // The fastest of the rounds: a GC pause or a busy core lands on one round only.
          row.us = us;
          row.parts = parts;
        }
        k++;
      }
      analyzer.endPage(`p-${round}-${p}`);
    });
  }
  rows.sort((a, b) => a.us - b.us);
  const pick = (q: number) => rows[Math.floor(q * (rows.length - 1))]?.us.toFixed(1);
  console.log(`median ${pick(0.5)} µs, p90 ${pick(0.9)}, p99 ${pick(0.99)}`);
  const tail = rows.slice(Math.floor(rows.length * 0.98));
  const sum = (f: (r: (typeof rows)[0]) => number, set = rows) =>
    set.reduce((s, r) => s + f(r), 0) / set.length;
  const med = (i: number) => {
    const v = rows.map((r) => r.parts[i] ?? 0).sort((a, b) => a - b);
    return `${(v[Math.floor(v.length / 2)] ?? 0).toFixed(2)} p90 ${(v[Math.floor(v.length * 0.9)] ?? 0).toFixed(2)}`;
  };
  ids.forEach((id, i) => console.log(`median ${id.padEnd(18)} ${med(i)}`));
  console.log('detector       mean(all)  mean(top 2%)');
  ids.forEach((id, i) =>
    console.log(
      `${id.padEnd(18)} ${sum((r) => r.parts[i] ?? 0)
        .toFixed(2)
        .padStart(7)} ${sum((r) => r.parts[i] ?? 0, tail)
        .toFixed(2)
        .padStart(9)}`,
    ),
  );
  console.log(
    `total              ${sum((r) => r.us)
      .toFixed(2)
      .padStart(7)} ${sum((r) => r.us, tail)
      .toFixed(2)
      .padStart(9)}`,
  );
  console.log(
    `url length         ${sum((r) => r.url.length)
      .toFixed(0)
      .padStart(7)} ${sum((r) => r.url.length, tail)
      .toFixed(0)
      .padStart(9)}`,
  );
  console.log(
    `body chars         ${sum((r) => r.body)
      .toFixed(0)
      .padStart(7)} ${sum((r) => r.body, tail)
      .toFixed(0)
      .padStart(9)}`,
  );
  for (const r of tail.slice(-15))
    console.log(r.us.toFixed(0), r.parts.map((x) => x.toFixed(0)).join(' '), r.url.slice(0, 120));
}
void main();
