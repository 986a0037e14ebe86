import { describe, expect, it } from 'vitest';
import { checkCombination, parseArgs, resolveRule, UsageError } from '../../src/cli/args.ts';

describe('parseArgs', () => {
  it('has the documented defaults', () => {
    const o = parseArgs(['https://a.test/']);
    expect(o).toMatchObject({
      out: 'leakwatch-report',
      formats: ['json', 'html'],
      waitMs: 2000,
      pages: 1,
      concurrency: 1,
      urls: ['https://a.test/'],
      failOn: [],
    });
  });

  it('reads every option, both --opt value and --opt=value, repeatables in order', () => {
    const o = parseArgs([
      '--out=out',
      '--format',
      'csv,HAR,csv',
      '--resolve',
      '*.test=127.0.0.1',
      '--resolve=cdn.x.com=[::1]:8443',
      '--resolve',
      '*=~NOTFOUND',
      '--insecure',
      '--wait',
      '0',
      '--interact',
      '--canary',
      'a@b.test',
      '--canary=+1555',
      '--authorized',
      'auth.txt',
      '--baseline',
      'old.json',
      '--fail-on',
      'pii-leak,unauthorized-party',
      '--pages',
      '5',
      '--urls',
      'list.txt',
      '--sitemap',
      'https://a.test/sitemap.xml',
      '--concurrency',
      '2',
      '--chromium',
      '/bin/chromium',
      'http://b.test/x',
    ]);
    expect(o).toMatchObject({
      out: 'out',
      formats: ['csv', 'har'],
      hostRules: ['MAP *.test 127.0.0.1', 'MAP cdn.x.com [::1]:8443', 'MAP * ~NOTFOUND'],
      insecure: true,
      waitMs: 0,
      interact: true,
      canaries: ['a@b.test', '+1555'],
      authorizedFile: 'auth.txt',
      baselineFile: 'old.json',
      failOn: ['pii-leak', 'unauthorized-party'],
      pages: 5,
      urlsFile: 'list.txt',
      sitemap: 'https://a.test/sitemap.xml',
      concurrency: 2,
      chromium: '/bin/chromium',
      urls: ['http://b.test/x'],
    });
  });

  it.each([
    [['--nope'], /unknown option "--nope"/],
    [['-x'], /unknown option "-x"/],
    [['--format', 'pdf'], /unknown format "pdf"/],
    [['--wait', 'soon'], /--wait expects a whole number/],
    [['--pages', '0'], /--pages expects/],
    [['--concurrency', '99'], /--concurrency expects/],
    [['--fail-on', 'everything'], /unknown finding kind "everything"/],
    [['--out'], /--out needs a value/],
    [['--insecure=yes'], /takes no value/],
    [['--out', 'a', '--out', 'b'], /given twice/],
    [['ftp://a.test/'], /must be an http\(s\) URL/],
    [['not a url'], /not a valid URL/],
    [['--sitemap', 'nope'], /--sitemap is not a valid URL/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it.each([
    'a.test',
    '=1.2.3.4',
    'a.test=',
    'a.test=999.1.1.1',
    'a.test=1.2.3.4:70000',
    'a b=1.2.3.4',
    'a.test=host.name',
  ])('rejects --resolve %j', (raw) =>
    expect(() => resolveRule(raw)).toThrow(/--resolve expects PATTERN=IP\[:PORT\]/),
  );

  it('needs something to audit, and --har alone', () => {
    expect(() => checkCombination(parseArgs([]))).toThrow(/no URL to audit/);
    expect(() => checkCombination(parseArgs(['--har', 'x.har', 'https://a.test/']))).toThrow(
      /--har/,
    );
    expect(() => checkCombination(parseArgs(['--har', 'x.har']))).not.toThrow();
    expect(() => checkCombination(parseArgs(['--help']))).not.toThrow();
  });

  it('keeps hostile input short and quoted in messages', () => {
    const long = `--${'x'.repeat(500)}`;
    let message = '';
    try {
      parseArgs([long]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.length).toBeLessThan(140);
  });
});
