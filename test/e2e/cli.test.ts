// The audit CLI against the fixture site, as a publisher would run it in CI: real Chromium
// with the built extension, --resolve rules for the fixture hosts, an authorized list that
// names only the first vendor, a baseline, a page that cannot load, and --fail-on.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.ts';
import {
  FIXTURE_HOST_RULES,
  PUBLISHER,
  startFixtureSite,
  type FixtureSite,
} from '../fixtures/site/server.ts';
import { runCli, stderrLines } from '../cli/run-cli.ts';
import { validator } from '../unit/report/schema-check.ts';
import { requireBuiltExtension } from './support.ts';

/** "MAP *.test 127.0.0.1" → "--resolve *.test=127.0.0.1". */
const resolveArgs = FIXTURE_HOST_RULES.flatMap((rule) => {
  const [, pattern, target] = rule.split(' ');
  return ['--resolve', `${pattern}=${target}`];
});

describe('leakwatch audit of the fixture site', () => {
  let site: FixtureSite;
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-e2e-cli-'));
  const read = (out: string) =>
    JSON.parse(readFileSync(join(dir, out, 'report.json'), 'utf8')) as Report;

  beforeAll(async () => {
    requireBuiltExtension();
    site = await startFixtureSite();
  });
  afterAll(async () => {
    await site?.close();
  });

  it('baselines the clean page, then flags uninvited parties, chains and new parties', async () => {
    const origin = site.origin(PUBLISHER);
    const base = await runCli([
      ...resolveArgs,
      '--wait',
      '500',
      '--out',
      join(dir, 'base'),
      '--format',
      'json',
      `${origin}/clean.html`,
    ]);
    expect(base.code, base.stderr).toBe(0);

    const authorized = join(dir, 'authorized.txt');
    writeFileSync(authorized, '# the only vendor we signed\ntagvendor.test\n');
    const gone = `https://unreachable.invalid:${site.port}/`;
    const r = await runCli([
      ...resolveArgs,
      '--insecure',
      '--wait',
      '1500',
      '--authorized',
      authorized,
      '--baseline',
      join(dir, 'base', 'report.json'),
      '--fail-on',
      'unauthorized-party',
      '--format',
      'json,csv,html,har',
      '--out',
      join(dir, 'audit'),
      `${origin}/`,
      gone,
    ]);
    expect(r.code, r.stderr).toBe(3);
    expect(stderrLines(r).at(-1)).toMatch(/--fail-on matched \d+ finding\(s\): unauthorized-party/);
    expect(r.stdout).toMatch(
      /^leakwatch: 2 pages \(1 failed\), .*unauthorized-party \d+.*since baseline: [1-9]\d* new/,
    );

    const report = read('audit');
    expect(validator(true)(report)).toEqual([]);
    expect(report.pages.find((p) => p.url === gone)?.error).toMatch(/ERR_NAME_NOT_RESOLVED/);

    const parties = report.parties.filter((p) => p.site === 'news-publisher.test');
    expect(parties.find((p) => p.domain === 'tagvendor.test')?.authorized).toBe(true);
    expect(parties.find((p) => p.domain === 'news-publisher.test')?.authorized).toBe(true);
    const uninvited = parties.filter((p) => p.authorized === false).map((p) => p.domain);
    expect(uninvited).toEqual(
      expect.arrayContaining(['krxd.net', 'adnetwork.test', 'facebook.com']),
    );
    for (const p of parties.filter((q) => q.authorized === false)) {
      expect(p.kinds).toContain('unauthorized-party');
      expect(p.loadedByChain.length).toBeGreaterThan(0);
    }
    const findings = report.findings.filter((f) => f.kind === 'unauthorized-party');
    expect(findings.map((f) => f.party).sort()).toEqual([...uninvited].sort());
    expect(findings.every((f) => /not on the authorized list/.test(f.explanation))).toBe(true);

    expect(report.sites.find((m) => m.site === 'news-publisher.test')).toMatchObject({
      pageViews: 1,
      shareUnauthorized: expect.any(Number),
    });
    expect(report.diff?.newParties.map((p) => p.domain)).toEqual(
      expect.arrayContaining(['krxd.net']),
    );
    expect(readFileSync(join(dir, 'audit', 'findings.csv'), 'utf8')).toContain(
      'unauthorized-party',
    );
  });
});
