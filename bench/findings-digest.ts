// The correctness guard of core performance work: runs the whole bench corpus through
// createAnalyzer().analyzeRequest exactly as bench/core.ts does (same pages, same seeded
// first-party cookies and canaries, every detector) but with fixed cookie values, and prints
// a stable digest: findings per kind and one hash of every finding. A faster analysis must
// print the same digest, or explain each difference.
//
//   npx tsx bench/findings-digest.ts            digest of the sources
//   npx tsx bench/findings-digest.ts --list F   also write every finding, one per line, to F
//                                               (diff two lists to see what changed)
//
// Each finding is hashed as canonical JSON (keys sorted) of everything but its time, with the
// index of the request that produced it, and the sorted list of those is hashed: the digest
// does not depend on the order detectors run in, but does on which request a once-per-page
// finding lands on. A second hash covers the rest of each RequestAnalysis (party, isPixel,
// loadedBy, cookies parsed).
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createAnalyzer } from '../src/core/analyzer.ts';
import { registerSecret } from '../src/core/leaks/secrets.ts';
import { defaultKnowledge } from '../src/core/trackers.ts';
import { parseUrl } from '../src/core/url.ts';
import { pageTitle, registerCanaries, seedCookies } from './core.ts';
import { loadCorpus } from './corpus.ts';
import { seededRandom } from './stats.ts';

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function main(): void {
  const args = process.argv.slice(2);
  const listAt = args.indexOf('--list');
  const listFile = listAt >= 0 ? args[listAt + 1] : undefined;

  const corpus = loadCorpus();
  registerCanaries(registerSecret);
  const analyzer = createAnalyzer(defaultKnowledge(), {
    onDetectorError: (id, e) => console.error(`detector ${id} threw:`, e),
  });
  const random = seededRandom(7);
  const id = () => {
    let s = '';
    for (let i = 0; i < 22; i++) s += ID_CHARS[Math.floor(random() * ID_CHARS.length)];
    return s;
  };

  const lines: string[] = [];
  const analyses = createHash('sha256');
  const kinds = new Map<string, number>();
  let requestFindings = 0;
  let cookieFindings = 0;
  let n = 0;
  corpus.pages.forEach((page, i) => {
    const pageId = `digest-${i}`;
    const now = page.requests[0]?.time ?? 0;
    const ctx = analyzer.pageContext(pageId, page.url, 1, now);
    analyzer.setPageTitle(pageId, pageTitle(page));
    for (const c of seedCookies(parseUrl, page, now, random, id)) {
      for (const f of analyzer.analyzeCookie(ctx, c).findings) {
        cookieFindings++;
        kinds.set(`${f.kind} (seeded cookie)`, (kinds.get(`${f.kind} (seeded cookie)`) ?? 0) + 1);
        lines.push(`${n}\tcookie\t${canonical({ ...f, time: undefined })}`);
      }
    }
    for (const r of page.requests) {
      const a = analyzer.analyzeRequest(ctx, { ...r });
      for (const f of a.findings) {
        requestFindings++;
        kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
        lines.push(`${n}\t${canonical({ ...f, time: undefined })}`);
      }
      analyses.update(
        `${n}|${a.party.domain}|${a.party.host}|${a.party.tracker?.key ?? ''}|${a.isPixel}|${a.loadedBy}|${a.cookies.length}\n`,
      );
      n++;
    }
    analyzer.endPage(pageId);
  });
  lines.sort();
  const findings = createHash('sha256').update(lines.join('\n')).digest('hex');

  console.log(`requests: ${n} on ${corpus.pages.length} pages`);
  console.log(`findings from requests: ${requestFindings}`);
  console.log(`findings from seeded cookies: ${cookieFindings}`);
  for (const [k, c] of [...kinds].sort(([a], [b]) => (a < b ? -1 : 1))) console.log(`  ${k}: ${c}`);
  console.log(`findings digest: ${findings}`);
  console.log(`analyses digest: ${analyses.digest('hex')}`);
  if (listFile) {
    writeFileSync(listFile, `${lines.join('\n')}\n`);
    console.log(`findings written to ${listFile}`);
  }
}

main();
