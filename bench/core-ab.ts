// A/B aid for core speed work (not part of `npm run bench`, prints no budget row): the
// working tree's core against a git revision's, both bundled and loaded in one process,
// replaying the corpus page by page with the two sides taking turns (each goes first on
// every other page). Machine noise on this 2-core box moves whole processes by 10-20%
// from one run to the next, so alternating separate runs (core-profile.ts) needs many
// pairs to see a 3% change; here both sides share every slow or fast moment. Each request
// keeps its fastest round per side, as core-profile.ts does.
//
//   npx tsx bench/core-ab.ts [revision=HEAD] [rounds=4]
//   LEAKWATCH_AB_DROP=page-url-leak npx tsx bench/core-ab.ts same   one bundle; side B without
//                                                                   those request detectors
//   LEAKWATCH_AB_PAGES=har npx tsx bench/core-ab.ts                 the HAR pages only (real
//                                                                   Cookie and Set-Cookie headers)
//
// An A/A run (the revision is the working tree) read 1.003x at the median, and repeated
// runs of one comparison agree within about 2%: smaller differences are noise.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PageContext, RequestRecord } from '../src/core/model.ts';
import { bundleEntry } from './bundle.ts';
import { pageTitle, registerCanaries, seedCookies } from './core.ts';
import { loadCorpus, ROOT } from './corpus.ts';

type Core = typeof import('./core-entry.ts');

/** The core bundle of `revision`, built in a temporary export of it (node_modules linked). */
async function bundleAt(revision: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-ab-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const archive = execFileSync('git', ['archive', '--format=tar', revision], {
    cwd: ROOT,
    maxBuffer: 1 << 30,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // The revision's own bundler, so that it is built the way it was measured then.
  const theirs = (await import(join(dir, 'bench/bundle.ts'))) as typeof import('./bundle.ts');
  return theirs.bundleEntry('bench/core-entry.ts', 'core');
}

interface Side {
  core: Core;
  analyzer: ReturnType<Core['createAnalyzer']>;
  best: Float64Array;
}

function stats(best: Float64Array) {
  const v = [...best].sort((a, b) => a - b);
  const at = (q: number) => v[Math.min(v.length - 1, Math.floor(q * v.length))] as number;
  return {
    median: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    mean: v.reduce((s, x) => s + x, 0) / v.length,
  };
}

async function main(): Promise<void> {
  const revision = process.argv[2] ?? 'HEAD';
  const rounds = Number(process.argv[3] ?? 4);
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error('core-ab: rounds must be a positive whole number');
    process.exit(2);
  }
  const same = revision === 'same';
  const drop = (process.env.LEAKWATCH_AB_DROP ?? '').split(',').filter(Boolean);
  const all = loadCorpus();
  const only = process.env.LEAKWATCH_AB_PAGES;
  if (only !== undefined && only !== 'har') {
    console.error('core-ab: LEAKWATCH_AB_PAGES can only be "har"');
    process.exit(2);
  }
  const pages =
    only === 'har' ? all.pages.filter((p) => p.source !== 'privacy-pioneer') : all.pages;
  const corpus = { pages, requests: pages.reduce((n, p) => n + p.requests.length, 0) };
  const b = (await import(await bundleEntry('bench/core-entry.ts', 'core'))) as Core;
  const a = same ? b : ((await import(await bundleAt(revision))) as Core);
  const sides: Side[] = [a, b].map((core, i) => {
    // One bundle registers its canaries once (the registry is module state).
    if (i === 0 || !same) registerCanaries(core.registerSecret);
    const requestDetectors =
      same && i === 1 ? core.REQUEST_DETECTORS.filter((d) => !drop.includes(d.id)) : undefined;
    return {
      core,
      analyzer: core.createAnalyzer(core.defaultKnowledge(), { requestDetectors }),
      best: new Float64Array(corpus.requests).fill(Infinity),
    };
  });
  for (let round = 0; round < rounds; round++) {
    let first = 0;
    corpus.pages.forEach((page, p) => {
      const now = page.requests[0]?.time ?? Date.now();
      // The same cookie values for both sides.
      const seeded = seedCookies(b.parseUrl, page, now);
      for (const s of (p + round) % 2 === 0 ? [0, 1] : [1, 0]) {
        const side = sides[s] as Side;
        const pageId = `ab-${round}-${p}`;
        const ctx: PageContext = side.analyzer.pageContext(pageId, page.url, 1, now);
        side.analyzer.setPageTitle(pageId, pageTitle(page));
        for (const c of seeded) side.analyzer.analyzeCookie(ctx, { ...c });
        let k = first;
        for (const r of page.requests) {
          const req: RequestRecord = { ...r };
          const t0 = performance.now();
          side.analyzer.analyzeRequest(ctx, req);
          const us = (performance.now() - t0) * 1000;
          if (us < (side.best[k] as number)) side.best[k] = us;
          k++;
        }
        side.analyzer.endPage(pageId);
      }
      first += page.requests.length;
    });
  }
  const [sa, sb] = sides.map((s) => stats(s.best)) as [
    ReturnType<typeof stats>,
    ReturnType<typeof stats>,
  ];
  const row = (name: string, s: typeof sa) =>
    `${name} median ${s.median.toFixed(2)} µs, p90 ${s.p90.toFixed(1)}, p99 ${s.p99.toFixed(1)}, mean ${s.mean.toFixed(2)}`;
  console.log(row(same ? 'A (all detectors)' : `A (${revision})`, sa));
  console.log(row(same ? `B (without ${drop.join(', ') || 'nothing'})` : 'B (working tree)', sb));
  const ratio = (k: keyof typeof sa) => (sb[k] / sa[k]).toFixed(3);
  console.log(
    `B/A median ${ratio('median')}, p90 ${ratio('p90')}, p99 ${ratio('p99')}, mean ${ratio('mean')}`,
  );
}

void main();
