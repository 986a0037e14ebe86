// `npm run demo`: audits the fixture publisher page with the built extension in headless
// Chromium and prints what the extension stored: a parties table and the findings.
// Nothing leaves the machine: every host resolves to the local fixture server.
import { resolve } from 'node:path';
import type { FindingRow, PartyRow } from '../storage/db.ts';
import {
  FIXTURE_HOST_RULES,
  PUBLISHER,
  PUBLISHER_PAGE_DONE,
  startFixtureSite,
} from '../../test/fixtures/site/server.ts';
import { quietOnBrokenPipe } from './broken-pipe.ts';
import { chromiumPath, isExecutable, launchWithExtension } from './chromium.ts';
import { settleStore } from './settle.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const color = process.stdout.isTTY === true && !process.env['NO_COLOR'];
const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[22m` : s);

/**
 * Aligned text columns: numbers right-aligned, long cells cut with an ellipsis, except the
 * last column, which wraps (indented under itself) to fit `width`.
 */
function table(headers: string[], rows: (string | number)[][], maxCell = 40): string {
  const cut = (s: string) => (s.length > maxCell ? `${s.slice(0, maxCell - 1)}…` : s);
  const last = headers.length - 1;
  const cells = rows.map((r) => r.map((v, i) => (i === last ? String(v) : cut(String(v)))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const numeric = headers.map((_, i) => rows.every((r) => typeof r[i] === 'number'));
  const indent = widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
  const lastWidth = Math.max(30, (process.stdout.columns || 160) - indent - 1);
  const line = (r: string[]) => {
    const head = r
      .slice(0, last)
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ');
    const [first = '', ...more] = wrap(r[last]!, lastWidth);
    return [`${head}  ${first}`.trimEnd(), ...more.map((m) => ' '.repeat(indent) + m)].join('\n');
  };
  const rule = widths.map((w, i) => '-'.repeat(i === last ? Math.min(w, lastWidth) : w));
  return [bold(line(headers)), dim(rule.join('  ')), ...cells.map(line)].join('\n');
}

/** Greedy word wrap; a word longer than the width gets a line of its own. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  return [...lines, current];
}

function why(p: PartyRow): string {
  if (p.firstParty) return 'first party';
  if (p.trackerName) return `${p.trackerName} (${p.rule ?? p.list ?? 'tracker list'})`;
  return 'third party, not a known tracker';
}

/** First party first, then known trackers, then the rest; busiest first within each. */
function partyOrder(a: PartyRow, b: PartyRow): number {
  const rank = (p: PartyRow) => (p.firstParty ? 0 : p.trackerName ? 1 : 2);
  return rank(a) - rank(b) || b.requests - a.requests || a.domain.localeCompare(b.domain);
}

function printReport(url: string, parties: PartyRow[], findings: FindingRow[]): void {
  console.log(`${bold('Leakwatch demo')}: ${url}\n`);
  console.log(bold(`Parties (${parties.length})`));
  console.log(
    table(
      [
        'party',
        'organization',
        'category',
        'tracker / why',
        'requests',
        'pixels',
        'cookies',
        'loaded by',
        'findings',
      ],
      [...parties]
        .sort(partyOrder)
        .map((p) => [
          p.domain,
          p.organization,
          p.category ?? '-',
          why(p),
          p.requests,
          p.pixels,
          p.cookiesSet,
          p.loadedBy ?? '-',
          p.kinds.join(', ') || '-',
        ]),
    ),
  );
  // One line per (kind, party, explanation): repeated pixels say the same thing.
  const seen = new Map<string, { f: FindingRow; n: number }>();
  for (const f of findings) {
    const key = `${f.kind}|${f.party}|${f.explanation}`;
    const entry = seen.get(key);
    if (entry) entry.n += 1;
    else seen.set(key, { f, n: 1 });
  }
  const lines = [...seen.values()].sort(
    (a, b) => a.f.party.localeCompare(b.f.party) || a.f.kind.localeCompare(b.f.kind),
  );
  console.log(`\n${bold(`Findings (${findings.length}, ${lines.length} distinct)`)}`);
  console.log(
    table(
      ['kind', 'party', 'explanation'],
      lines.map(({ f, n }) => [
        f.kind,
        f.party,
        n > 1 ? `${f.explanation} (x${n})` : f.explanation,
      ]),
      120,
    ),
  );
}

/** Says what to do when there is no browser, instead of Playwright's launch error. */
function checkChromium(): void {
  const chromium = chromiumPath();
  if (!isExecutable(chromium))
    throw new Error(
      `no Chromium at ${chromium}: install it (apt-get install chromium) or set LEAKWATCH_CHROMIUM to one`,
    );
}

async function main(): Promise<void> {
  checkChromium();
  const site = await startFixtureSite();
  const browser = await launchWithExtension({
    extensionDir: resolve(ROOT, 'dist/chrome'),
    hostRules: FIXTURE_HOST_RULES,
  }).catch(async (error: unknown) => {
    await site.close();
    throw error;
  });
  try {
    const url = `${site.origin(PUBLISHER)}/`;
    const from = site.hits.length;
    const page = await browser.context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await Promise.all(
      PUBLISHER_PAGE_DONE.map((match) =>
        site.waitForHit((h) => site.hits.indexOf(h) >= from && match(h)),
      ),
    );
    const store = await settleStore(browser);
    const visit = store.pages.find((p) => p.url === url);
    if (!visit) throw new Error(`The extension recorded no visit of ${url}.`);
    printReport(
      url,
      store.parties.filter((p) => p.pageId === visit.id),
      store.findings.filter((f) => f.pageId === visit.id),
    );
  } finally {
    await browser.close();
    await site.close();
  }
}

quietOnBrokenPipe();
main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
