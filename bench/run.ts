// `npm run bench`: every performance budget of DESIGN.md measured side by side with its
// reference, printed as a table and written to bench/results.json. See bench/README.md.
//
//   npm run bench                  everything (about 5 minutes on 2 cores)
//   npm run bench -- --core        core analysis and start-up only (no browser)
//   npm run bench -- --browser     browser measurements only
//   npm run bench -- --storage     IndexedDB writes and the report query only
//   npm run bench -- --quick       fewer rounds and loads, for a smoke run
//   npm run bench -- --pageload    page-load and page-world rows only
//   npm run bench -- --pageload --variants no-content,no-extra,...
//                                  page-load rows of stripped-down builds (bench/variants.ts)
//   npm run bench -- --pageload --loads 9   loads per side
//   npm run bench -- --ui          popup and report page rows only (iterating on the UI)
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { runBrowserBench } from './browser.ts';
import { bundleEntry } from './bundle.ts';
import { LEAK_DETECTORS, runCoreBench } from './core.ts';
import { ROOT } from './corpus.ts';
import { median, p99 } from './stats.ts';
import { runStartupBench } from './startup.ts';
import { runHostileBench } from './hostile.ts';
import { fmt, renderTable, type Row } from './table.ts';
import { isVariant, VARIANTS, type Variant } from './variants.ts';

const argv = process.argv.slice(2);
const args = new Set(argv);
const valueOf = (flag: string): string | undefined => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = args.has('--quick');
const onlyCore = args.has('--core');
const pageLoadOnly = args.has('--pageload');
const onlyUi = args.has('--ui');
const onlyStorage = args.has('--storage');
const onlyBrowser = args.has('--browser') || pageLoadOnly || onlyUi || onlyStorage;
const variants = valueOf('--variants')
  ?.split(',')
  .map((v) => v.trim())
  .filter(Boolean);
for (const v of variants ?? []) {
  if (!isVariant(v))
    throw new Error(`unknown variant ${v}; known: ${Object.keys(VARIANTS).join(', ')}`);
}
const loadsArg = Number(valueOf('--loads'));
const log = (line: string) => console.error(line);

function coreRows(r: Awaited<ReturnType<typeof runCoreBench>>): Row[] {
  const what = `${r.requests.toLocaleString('en-US')} requests on ${r.pages.toLocaleString('en-US')} pages × ${r.rounds} rounds`;
  /** A median and a p99 row of `samples` against the reference's, with its ratio. */
  const againstReference = (
    samples: Float64Array,
    title: string,
    budget: { text: string; max: number } | null,
    note: string,
  ): Row[] =>
    (
      [
        ['median', median],
        ['p99', p99],
      ] as const
    ).map(([name, q]) => {
      const ours = q(samples);
      const theirs = q(r.theirs);
      return {
        group: 'core',
        name: `${title}, ${name}`,
        ours: fmt.us(ours),
        reference: fmt.us(theirs),
        ratio: fmt.x(ours / theirs),
        budget: budget?.text ?? 'info',
        ok: budget ? ours / theirs <= budget.max : null,
        note: name === 'median' ? note : undefined,
        values: { ours, theirs, ratio: ours / theirs },
      };
    });
  /** One row of a part's median / p99, for the breakdown. */
  const part = (samples: Float64Array, title: string, note?: string): Row => ({
    group: 'core',
    name: `${title} (median / p99)`,
    ours: `${fmt.us(median(samples))} / ${fmt.us(p99(samples))}`,
    reference: '',
    ratio: '',
    budget: 'info',
    ok: null,
    note,
    values: { median: median(samples), p99: p99(samples) },
  });
  return [
    ...againstReference(
      r.ours,
      'per-request analysis',
      { text: '<= 0.50x', max: 0.5 },
      `${what}; ours: createAnalyzer().analyzeRequest with every registered detector (${r.detectors.request.join(', ')}), fresh page state per page with its title (the HAR's, or one no request carries), 3 first-party cookies${r.secrets ? ' and a canary email and phone' : ''} (${r.findingsPerRound.toLocaleString('en-US')} findings per round); reference: TrackerDB matchUrl({url, type, sourceUrl}) on the same requests, the sides taking turns page by page`,
    ),
    part(r.partyOnly, 'of which URL parse + party + tracker'),
    ...againstReference(
      r.withoutLeaks,
      'what-if: no leak detectors',
      null,
      `the same analysis, pages and rounds without the detectors that tokenize requests (${LEAK_DETECTORS.join(', ')}): party, tracker, pixel and cookie work alone, the floor for any design that still tokenizes the requests where leaks are found`,
    ),
    part(
      r.extraction,
      'of which token extraction',
      `the third-party requests (${r.extraction.length.toLocaleString('en-US')}; the leak detectors tokenize those only), one round: the request's URL, headers and body into tokens (leaks/extract.ts), before any detector matches them`,
    ),
    part(
      r.glance,
      'of which request glance',
      `the same requests: the look that lets the leak detectors judge a request without its tokens (leaks/glance.ts); ${r.glanced.toLocaleString('en-US')} of ${r.glance.length.toLocaleString('en-US')} (${Math.round((100 * r.glanced) / Math.max(1, r.glance.length))}%) got one (no body, fragment, redirect, encoded or structured value), and of those a detector reads the tokens only when the glance cannot rule its known values out; the rest are tokenized`,
    ),
  ];
}

async function main(): Promise<void> {
  const started = Date.now();
  const rows: Row[] = [];
  if (!onlyBrowser) {
    // One core bundle for the corpus rows and the hostile-input row.
    const bundle = await bundleEntry('bench/core-entry.ts', 'core');
    rows.push(...coreRows(await runCoreBench({ rounds: quick ? 1 : 3, log, bundle })));
    log('startup: fresh processes');
    rows.push(...(await runStartupBench(quick ? 3 : 7)));
    log('core: hostile input');
    rows.push(...(await runHostileBench({ rounds: quick ? 3 : 9, bundle })));
  }
  if (!onlyCore) {
    rows.push(
      ...(await runBrowserBench({
        loads: Number.isInteger(loadsArg) && loadsArg > 0 ? loadsArg : quick ? 4 : 15,
        log,
        pageLoadOnly,
        onlyUi,
        storageOnly: onlyStorage,
        variants: variants as Variant[] | undefined,
      })),
    );
  }
  const table = renderTable(rows);
  console.log(`\n${table}\n`);
  const seconds = Math.round((Date.now() - started) / 1000);
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', node: process.version };
  writeFileSync(
    join(ROOT, 'bench/results.json'),
    `${JSON.stringify({ createdAt: new Date().toISOString(), seconds, machine, quick, rows, table }, null, 2)}\n`,
  );
  console.log(`bench/results.json written (${seconds} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
