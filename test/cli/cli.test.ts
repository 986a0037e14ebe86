// The CLI as a process: exit codes, one-line errors, and the offline --har audit on a real
// capture (no browser involved).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.ts';
import { validator } from '../unit/report/schema-check.ts';
import { main } from '../../src/cli/main.ts';
import { NYTIMES_HAR, ROOT, runCli, stderrLines } from './run-cli.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'leakwatch-cli-'));

// Run in-process through main(): the same code path as the process minus a tsx start-up
// per case, which on a loaded two-core machine takes seconds.
async function runInProcess(args: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (c: string) => (stdout += c) },
    stderr: { write: (c: string) => (stderr += c), isTTY: false },
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

describe('leakwatch CLI usage errors', () => {
  const dir = tmp();
  const notAHar = join(dir, 'x.har');
  writeFileSync(notAHar, '{"hello": 1}');
  const badAuth = join(dir, 'auth.json');
  writeFileSync(badAuth, '{"vendors": 3}');

  it.each([
    [['--bogus', 'https://a.test/'], /unknown option/],
    [['--har', join(dir, 'missing.har')], /--har: cannot read .*no such file/],
    [['--har', notAHar], /--har: not a HAR file/],
    [['--authorized', join(dir, 'missing.txt'), 'https://a.test/'], /--authorized: cannot read/],
    [['--authorized', badAuth, 'https://a.test/'], /--authorized: expected a JSON array/],
    [['--urls', join(dir, 'missing.txt')], /--urls: cannot read/],
    [['--baseline', notAHar, 'https://a.test/'], /--baseline: not a schemaVersion 1 report/],
    [['--resolve', 'nonsense', 'https://a.test/'], /--resolve expects PATTERN=IP/],
    [['--format', 'json,pdf', 'https://a.test/'], /--format: unknown format "pdf"/],
    [['--out', notAHar, 'https://a.test/'], /--out: ".*x\.har" is a file, not a directory$/],
    [
      ['--out', join(notAHar, 'sub'), 'https://a.test/'],
      /--out: ".*x\.har" is a file, not a directory$/,
    ],
    [['http//missing-colon'], /not a valid URL/],
    [[], /no URL to audit/],
  ])('%j exits 2 with one line', async (args, message) => {
    const r = await runInProcess(args);
    const lines = stderrLines(r);
    expect(r.code).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^leakwatch: /);
    expect(lines[0]).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('as a real process: exit code 2 and one stderr line', { timeout: 60_000 }, async () => {
    const r = await runCli(['--bogus', 'https://a.test/']);
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toEqual(['leakwatch: unknown option "--bogus" (see --help)']);
  });

  it('a run that fails leaves no output directory of its own behind', async () => {
    const out = join(tmp(), 'reports', 'today');
    const r = await runInProcess(['--har', join(dir, 'missing.har'), '--out', out]);
    expect(r.code).toBe(2);
    expect(existsSync(dirname(out))).toBe(false);
  });

  // Node's recursive mkdir never returns for a directory under /proc: a real process, killed
  // if it hangs, so that a regression fails this test instead of stalling the run.
  it.runIf(existsSync('/proc/self'))(
    '--out where no directory can be made: exit 2 in one line, before any audit',
    { timeout: 60_000 },
    async () => {
      const r = await runCli(['--out', '/proc/leakwatch-out', 'https://a.test/'], ROOT, {
        killAfterMs: 30_000,
      });
      expect(r.code).toBe(2);
      expect(stderrLines(r)).toEqual([
        'leakwatch: --out: cannot create "/proc/leakwatch-out" (the file system takes no new directory there)',
      ]);
    },
  );

  it('prints usage on --help and the version on --version', { timeout: 60_000 }, async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: leakwatch');
    for (const opt of [
      '--out',
      '--format',
      '--resolve',
      '--insecure',
      '--wait',
      '--interact',
      '--canary',
      '--authorized',
      '--baseline',
      '--fail-on',
      '--pages',
      '--urls',
      '--sitemap',
      '--concurrency',
      '--chromium',
      '--har',
    ]) {
      expect(help.stdout).toContain(opt);
    }
    const version = await runCli(['--version']);
    expect(version.stdout).toMatch(/^leakwatch \d+\.\d+\.\d+\n$/);
  });

  it(
    'npm run demo without Chromium says what to install, in one line',
    { timeout: 60_000 },
    async () => {
      const r = await runCli([], undefined, {
        script: 'src/cli/demo.ts',
        env: { LEAKWATCH_CHROMIUM: '/nonexistent/chromium' },
      });
      expect(r.code).toBe(1);
      expect(stderrLines(r)).toEqual([
        'demo failed: no Chromium at /nonexistent/chromium: install it (apt-get install chromium) or set LEAKWATCH_CHROMIUM to one',
      ]);
      expect(r.stdout).toBe('');
    },
  );
});

describe('leakwatch --har (offline)', { timeout: 120_000 }, () => {
  it('audits the nytimes capture: parties and findings without a browser, valid report', async () => {
    const out = tmp();
    const r = await runCli(['--har', NYTIMES_HAR, '--out', out, '--format', 'json,csv,html,har']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^leakwatch: \d+ pages?, \d+ parties, \d+ third parties, \d+ trackers, \d+ findings \(/,
    );
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(validator(true)(report)).toEqual([]);
    expect(report.pages.every((p) => p.imported && p.site === 'nytimes.com')).toBe(true);
    const krux = report.parties.find((p) => p.domain === 'krxd.net');
    expect(krux).toMatchObject({ site: 'nytimes.com', firstParty: false });
    expect(krux?.category).not.toBeNull();
    expect(krux?.kinds).toContain('tracker-request');
    const dc = report.parties.find((p) => p.domain === 'doubleclick.net');
    expect(dc?.firstParty).toBe(false);
    expect(dc?.trackerName).not.toBeNull();
    expect(
      report.findings.some((f) => f.kind === 'tracker-request' && f.party === 'krxd.net'),
    ).toBe(true);
    expect(report.requests.length).toBeGreaterThan(100);
    const csv = readFileSync(join(out, 'findings.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^kind,page,site,party,host,requestUrl,/);
    const har = JSON.parse(readFileSync(join(out, 'requests.har'), 'utf8')) as {
      log: { version: string; entries: unknown[] };
    };
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries).toHaveLength(report.requests.length);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('krxd.net');
  });

  it('requests.har keeps each request on its own load when one URL was loaded three times (assa)', async () => {
    const source = resolve(ROOT, '../shared/bench-data/hars/assa.har');
    const out = tmp();
    const r = await runCli(['--har', source, '--out', out, '--format', 'har']);
    expect(r.code).toBe(0);
    type Log = {
      log: {
        pages: { id: string; startedDateTime: string }[];
        entries: { pageref?: string; startedDateTime: string }[];
      };
    };
    const perLoad = (har: Log) => {
      const started = new Map(har.log.pages.map((p) => [p.id, p.startedDateTime]));
      const counts = new Map<string, number>();
      for (const e of har.log.entries) {
        const at = started.get(e.pageref ?? '') ?? 'none';
        counts.set(at, (counts.get(at) ?? 0) + 1);
      }
      return [...counts].sort();
    };
    const exported = JSON.parse(readFileSync(join(out, 'requests.har'), 'utf8')) as Log;
    const original = JSON.parse(readFileSync(source, 'utf8')) as Log;
    // Three loads of https://www.assa.se/sv/site/assa/ with 42, 42 and 43 requests.
    expect(new Set(exported.log.pages.map((p) => p.startedDateTime)).size).toBe(3);
    expect(perLoad(exported)).toEqual(perLoad(original));
  });

  // Found by a hostile-input review: each of these lost the whole report (exit 1, "Invalid
  // time value") or wrote a report.json the schema rejects.
  it.each([
    ['a cookie deleted with Max-Age=-9000000000000', {}, 'id=abc; Max-Age=-9000000000000'],
    ['an entry dated in year 275760', { t: '+275760-09-13T00:00:00.000Z' }, 'id=abc; Max-Age=1'],
    ['an entry dated in year 10000', { t: '+010000-01-01T00:00:00.000Z' }, 'id=abc; Max-Age=99'],
    ['a status of 200.5', { status: 200.5 }, 'id=abc; Max-Age=99'],
  ])('keeps every finding and a valid report with %s', async (_, odd, setCookie) => {
    const entry = (url: string, o: { t?: string; status?: number; setCookie?: string }) => ({
      startedDateTime: o.t ?? '2024-01-01T00:00:00.000Z',
      request: { method: 'GET', url, headers: [] },
      response: {
        status: o.status ?? 200,
        headers: o.setCookie ? [{ name: 'Set-Cookie', value: o.setCookie }] : [],
      },
    });
    const har = join(tmp(), 'odd.har');
    writeFileSync(
      har,
      JSON.stringify({
        log: {
          entries: [
            entry('https://shop.example/', {}),
            entry('https://t.example/px', { ...odd, setCookie }),
            // A finding that must survive: the page address sent to a third party.
            entry('https://www.google-analytics.com/collect?dl=https%3A%2F%2Fshop.example%2F', {}),
          ],
        },
      }),
    );
    const out = tmp();
    const r = await runInProcess(['--har', har, '--out', out, '--format', 'json,html']);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(validator(true)(report)).toEqual([]);
    expect(report.findings.map((f) => f.kind)).toContain('page-url-leak');
  });

  it('a reader that stops early (| head) ends the output, not the run: exit 0, no stack trace', async () => {
    const out = tmp();
    const r = await runCli(['--har', NYTIMES_HAR, '--out', out], ROOT, { closeStdout: true });
    expect(stderrLines(r).filter((l) => !l.startsWith('leakwatch: '))).toEqual([]);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it('exits 3 with --fail-on tracker-request, and applies --authorized and --baseline', async () => {
    const dir = tmp();
    const auth = join(dir, 'authorized.txt');
    writeFileSync(auth, '# our vendors\nnyt.com\ndoubleclick.net\n');
    const baseline = join(dir, 'baseline.json');
    writeFileSync(
      baseline,
      JSON.stringify({
        schemaVersion: 1,
        createdAt: '2015-01-01T00:00:00.000Z',
        parties: [
          { site: 'nytimes.com', domain: 'nytimes.com', kinds: [] },
          { site: 'nytimes.com', domain: 'krxd.net', kinds: [] },
          { site: 'nytimes.com', domain: 'gone-vendor.com', kinds: [] },
        ],
      }),
    );
    const r = await runCli([
      '--har',
      NYTIMES_HAR,
      '--out',
      join(dir, 'out'),
      '--format',
      'json',
      '--authorized',
      auth,
      '--baseline',
      baseline,
      '--fail-on',
      'tracker-request',
    ]);
    expect(r.code).toBe(3);
    expect(stderrLines(r).at(-1)).toMatch(/--fail-on matched \d+ finding\(s\): tracker-request/);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(validator(true)(report)).toEqual([]);
    expect(report.parties.find((p) => p.domain === 'doubleclick.net')?.authorized).toBe(true);
    expect(report.parties.find((p) => p.domain === 'krxd.net')?.authorized).toBe(false);
    expect(
      report.findings.some((f) => f.kind === 'unauthorized-party' && f.party === 'krxd.net'),
    ).toBe(true);
    expect(report.diff?.goneParties).toEqual([{ site: 'nytimes.com', domain: 'gone-vendor.com' }]);
    expect(report.diff?.newParties.some((p) => p.domain === 'doubleclick.net')).toBe(true);
    expect(report.diff?.newKinds.find((p) => p.domain === 'krxd.net')?.kinds).toContain(
      'tracker-request',
    );
    expect(r.stdout).toMatch(/since baseline: \d+ new, 1 gone/);
  });
});
