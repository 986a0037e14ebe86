// Start-up cost of the tracker knowledge in a fresh process, where a woken MV3 worker pays
// it: import the bundled module (tracker index + Public Suffix List), build the index and
// answer a first lookup. Reference: TrackerDB's engine read from disk and deserialized
// (loadTrackerDBEngine), also to a first answer. Each run is its own `node` process, timed
// inside it; the two sides alternate. Heap is measured after a forced GC, before and after.
// Both children first import an empty module file, untimed: Node's ES module loader spends
// 5-9 ms on its first import of a file, a cost of the Node process that the extension's
// worker, whose modules the browser loads, does not have. A second empty file then takes
// 1.0-1.9 ms, another directory's 0.6-1.7 ms. (Until 2026-12-06 the warm-up imported a
// `data:` URL, which left the loader's first-file cost, about 4 ms of it, in both sides.)
// That warm-up is reported in the note, apart.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleEntry } from './bundle.ts';
import { ROOT } from './corpus.ts';
import { median } from './stats.ts';
import { fmt, type Row } from './table.ts';

interface ChildResult {
  ms: number;
  heapBytes: number;
  /** The untimed first import (see above). */
  warmMs: number;
}

/** Run first in both children: Node's module loader's one-off start-up, timed apart. */
function warmUp(emptyModule: string): string {
  return `
    const w0 = performance.now();
    await import(${JSON.stringify(emptyModule)});
    const warmMs = performance.now() - w0;`;
}

function child(code: string): ChildResult {
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(`startup child failed: ${r.stderr.trim().split('\n').slice(0, 6).join(' | ')}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
}

export async function runStartupBench(runs = 7): Promise<Row[]> {
  const bundle = pathToFileURL(await bundleEntry('bench/knowledge-entry.ts', 'knowledge')).href;
  const require = createRequire(join(ROOT, 'package.json'));
  const engine = join(require.resolve('@ghostery/trackerdb'), '../../trackerdb.engine');
  // In a directory of its own: neither side's package lookups are warmed by it.
  const warmDir = mkdtempSync(join(tmpdir(), 'leakwatch-bench-warm-'));
  const emptyModule = join(warmDir, 'empty.mjs');
  writeFileSync(emptyModule, 'export default 1;\n');
  const WARM_UP = warmUp(pathToFileURL(emptyModule).href);
  const ours = `${WARM_UP}
    globalThis.gc(); const h0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const m = await import(${JSON.stringify(bundle)});
    const kb = m.defaultKnowledge();
    const hit = kb.match('www.google-analytics.com', '/g/collect') && kb.organizationOfDomain('youtube.com') && m.registrableDomain('a.b.example.co.uk');
    const ms = performance.now() - t0;
    globalThis.gc(); const heapBytes = process.memoryUsage().heapUsed - h0;
    if (!hit) throw new Error('no match');
    console.log(JSON.stringify({ ms, heapBytes, warmMs }));`;
  const theirs = `${WARM_UP}
    const { readFileSync } = await import('node:fs');
    globalThis.gc(); const h0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const { default: load } = await import('@ghostery/trackerdb');
    const db = await load(readFileSync(${JSON.stringify(engine)}));
    const hit = db.matchUrl({ url: 'https://www.google-analytics.com/g/collect', type: 'xhr', sourceUrl: 'https://example.com/' });
    const ms = performance.now() - t0;
    globalThis.gc(); const heapBytes = process.memoryUsage().heapUsed - h0;
    if (!hit) throw new Error('no match');
    console.log(JSON.stringify({ ms, heapBytes, warmMs }));`;
  const a: ChildResult[] = [];
  const b: ChildResult[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        a.push(child(ours));
        b.push(child(theirs));
      } else {
        b.push(child(theirs));
        a.push(child(ours));
      }
    }
  } finally {
    rmSync(warmDir, { recursive: true, force: true });
  }
  const ms = median(a.map((r) => r.ms));
  const refMs = median(b.map((r) => r.ms));
  const warm = median([...a, ...b].map((r) => r.warmMs));
  const heap = median(a.map((r) => r.heapBytes));
  const refHeap = median(b.map((r) => r.heapBytes));
  return [
    {
      group: 'startup',
      name: `tracker knowledge start-up, fresh process (median of ${runs})`,
      ours: fmt.ms(ms),
      reference: fmt.ms(refMs),
      ratio: fmt.x(ms / refMs),
      budget: '< 30 ms',
      ok: ms < 30,
      note: `ours: import of the bundled index + Public Suffix List (packed tables read in place, nothing built), first lookup; reference: import of @ghostery/trackerdb, engine file read and deserialize, first matchUrl; both after an untimed first import of an empty module file, Node's module loader start-up (${fmt.ms(warm)} median), which the browser-loaded worker does not pay`,
      values: { ms, refMs, loaderWarmUpMs: warm },
    },
    {
      group: 'startup',
      name: 'tracker knowledge heap after start-up',
      ours: fmt.mb(heap),
      reference: fmt.mb(refHeap),
      ratio: fmt.x(heap / refHeap),
      budget: 'info',
      ok: null,
      note: 'process.memoryUsage().heapUsed after a forced GC, minus the same before the import (ArrayBuffers outside the V8 heap are not counted)',
      values: { heapBytes: heap, refHeapBytes: refHeap },
    },
  ];
}
