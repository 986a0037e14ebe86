// Files a user hands to Leakwatch were often written by someone else: a HAR from a colleague,
// a report.json baseline, a vendor list, a backup. Each parser either succeeds or throws its
// own documented error with one short line; never a RangeError, never a stack trace, never a
// message that smuggles line breaks or bidi controls into a terminal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertHar, HarError, MAX_HAR_ENTRIES } from '../../src/core/har.ts';
import { AuthorizedListError, parseAuthorizedList } from '../../src/report/authorized.ts';
import { BaselineError, parseBaseline } from '../../src/report/baseline.ts';
import { BackupError, parseBackup } from '../../src/storage/backup.ts';
import { checkCombination, parseArgs, UsageError } from '../../src/cli/args.ts';
import {
  bounded,
  CATASTROPHIC,
  hasControl,
  hostileString,
  params,
  timeout,
  tricky,
  urlish,
} from './support.ts';

/** JSON text of any shape: valid documents, near misses, and deep or huge ones. */
const jsonText = fc.oneof(
  fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)),
  fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v).slice(0, -1)),
  hostileString(200),
  fc.constantFrom(...CATASTROPHIC),
  fc.integer({ min: 1, max: 200_000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
);

/** A deeply nested JSON value (JSON.parse copes; recursive code on it does not). */
const DEEP = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;

/** Runs a parser: it returns, or throws exactly `Err` with a one-line message. */
function refusesCleanly(what: string, Err: new (...a: never[]) => Error, fn: () => unknown): void {
  try {
    bounded(what, fn);
  } catch (e) {
    expect(e, `${what} threw ${String(e)}`).toBeInstanceOf(Err);
    const message = (e as Error).message;
    expect(
      hasControl(message),
      `control character in ${JSON.stringify(message.slice(0, 200))}`,
    ).toBe(false);
    expect(message).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    // Bounded, not pretty: escaped invisible characters take six columns each.
    expect(message.length).toBeLessThanOrEqual(1_500);
  }
}

// ---- HAR --------------------------------------------------------------------------------

const harValue = fc.oneof(fc.anything({ maxDepth: 3 }), hostileString(80), urlish());

const harEntry = fc.oneof(
  fc.anything({ maxDepth: 4 }),
  fc.record(
    {
      pageref: harValue,
      startedDateTime: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        harValue,
      ),
      _resourceType: fc.oneof(
        fc.constantFrom('document', 'xhr', 'ping', 'Image', 'bogus'),
        harValue,
      ),
      _initiator: harValue,
      request: fc.oneof(
        harValue,
        fc.record(
          {
            url: fc.oneof(urlish(), harValue),
            method: harValue,
            headers: fc.oneof(
              harValue,
              fc.array(fc.record({ name: harValue, value: harValue }), { maxLength: 4 }),
            ),
            cookies: fc.oneof(
              harValue,
              fc.array(fc.record({ name: harValue, value: harValue }), { maxLength: 4 }),
            ),
            postData: fc.oneof(
              harValue,
              fc.record({ text: harValue }, { requiredKeys: [] }),
              fc.record({
                params: fc.array(fc.record({ name: harValue, value: harValue }), { maxLength: 4 }),
              }),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
      response: fc.oneof(
        harValue,
        fc.record(
          {
            status: harValue,
            redirectURL: fc.oneof(urlish(), harValue),
            headers: fc.oneof(
              harValue,
              fc.array(fc.record({ name: harValue, value: harValue }), { maxLength: 4 }),
            ),
            content: fc.oneof(harValue, fc.record({ mimeType: harValue })),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
);

const har = fc.record(
  {
    log: fc.oneof(
      harValue,
      fc.record(
        {
          pages: fc.oneof(
            harValue,
            fc.array(
              fc.record(
                { id: harValue, title: harValue, startedDateTime: harValue },
                { requiredKeys: [] },
              ),
              { maxLength: 3 },
            ),
          ),
          entries: fc.oneof(harValue, fc.array(harEntry, { maxLength: 8 })),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

describe('convertHar', () => {
  it(
    'converts or refuses with a HarError, for text and parsed input of any shape',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            har,
            har.map((h) => JSON.stringify(h)),
            jsonText,
          ),
          (input) => {
            refusesCleanly('convertHar', HarError, () => {
              const out = convertHar(input);
              for (const r of out.requests) {
                expect(typeof r.record.url).toBe('string');
                expect(r.record.url.length).toBeGreaterThan(0);
                expect(Number.isFinite(r.record.time)).toBe(true);
                expect(out.pages.some((p) => p.id === r.pageId)).toBe(true);
              }
            });
          },
        ),
        params(400),
      );
    },
    timeout(),
  );

  it('survives a deeply nested postData value and a huge file', () => {
    const deep = {
      log: {
        entries: [
          {
            request: { url: 'https://a.test/', postData: { params: [{ name: 'x', value: DEEP }] } },
          },
        ],
      },
    };
    refusesCleanly('convertHar(deep)', HarError, () => convertHar(deep));
    refusesCleanly('convertHar(deep text)', HarError, () =>
      convertHar(
        `{"log":{"entries":[{"request":{"url":"https://a.test/","postData":{"params":[{"name":"x","value":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}}}]}}`,
      ),
    );
    const entries = Array.from({ length: MAX_HAR_ENTRIES + 10 }, (_, i) => ({
      startedDateTime: new Date(1e12 + i).toISOString(),
      request: { url: `https://a.test/${i}`, method: 'GET', headers: [] },
      response: { status: 200, headers: [], content: { mimeType: 'image/gif' } },
    }));
    const out = convertHar({ log: { entries } });
    expect(out.requests).toHaveLength(MAX_HAR_ENTRIES);
    expect(out.warnings.join(' ')).toContain(`${MAX_HAR_ENTRIES}`);
  });
});

// ---- report.json baseline, authorized list, backup ---------------------------------------

describe('parseBaseline', () => {
  it('reads a baseline or refuses with a one-line BaselineError', () => {
    const baselineish = fc.record(
      {
        schemaVersion: fc.oneof(fc.constant(1), harValue),
        createdAt: harValue,
        parties: fc.oneof(
          harValue,
          fc.array(
            fc.record(
              { site: harValue, domain: harValue, kinds: fc.oneof(harValue, fc.array(harValue)) },
              { requiredKeys: [] },
            ),
            { maxLength: 3 },
          ),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          jsonText,
          baselineish.map((b) => JSON.stringify(b)),
        ),
        (text) => {
          refusesCleanly('parseBaseline', BaselineError, () => parseBaseline(text));
        },
      ),
      params(400),
    );
  });
});

describe('parseAuthorizedList', () => {
  it('reads a list or refuses with a one-line AuthorizedListError', () => {
    const listText = fc.oneof(
      jsonText,
      fc
        .array(fc.oneof(fc.domain(), tricky(30), hostileString(40)), { maxLength: 10 })
        .map((l) => l.join('\n')),
      fc
        .array(fc.oneof(fc.domain(), fc.anything({ maxDepth: 2 })), { maxLength: 5 })
        .map((l) => JSON.stringify(l)),
      fc.constant(`[${'['.repeat(100_000)}${']'.repeat(100_000)}]`),
      fc.constant(`{"parties":[${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}]}`),
    );
    fc.assert(
      fc.property(listText, (text) => {
        refusesCleanly('parseAuthorizedList', AuthorizedListError, () => {
          const list = parseAuthorizedList(text);
          for (const d of list.domains) expect(typeof d).toBe('string');
          for (const o of list.organizations) expect(o).toBe(o.toLowerCase());
        });
      }),
      params(400),
    );
  }, 30_000);
});

describe('parseBackup', () => {
  it('restores or refuses with a one-line BackupError', () => {
    const backupish = fc.record(
      {
        format: fc.oneof(fc.constant('leakwatch-backup'), harValue),
        version: fc.oneof(fc.constant(1), harValue),
        tables: fc.oneof(
          harValue,
          fc.record(
            {
              pages: fc.array(harValue, { maxLength: 2 }),
              meta: fc.array(harValue, { maxLength: 2 }),
            },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          jsonText,
          backupish.map((b) => JSON.stringify(b)),
        ),
        (text) => {
          refusesCleanly('parseBackup', BackupError, () => parseBackup(text));
        },
      ),
      params(300),
    );
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    refusesCleanly('parseBackup(deep version)', BackupError, () =>
      parseBackup(`{"format":"leakwatch-backup","version":${deep}}`),
    );
  });
});

// ---- the command line --------------------------------------------------------------------

describe('parseArgs', () => {
  it('parses any argv or refuses with a one-line UsageError', () => {
    const arg = fc.oneof(
      fc.constantFrom(
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
        '--help',
        '-h',
        '-V',
        '-o',
        '--',
        '-',
        '--wait=5',
        '--resolve=*.test=127.0.0.1:8443',
        '--format=csv,html',
        '--fail-on=pii-leak',
      ),
      urlish(),
      hostileString(60),
      fc.constantFrom(...CATASTROPHIC),
    );
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 8 }), (argv) => {
        refusesCleanly('parseArgs', UsageError, () => {
          const opts = parseArgs(argv);
          checkCombination(opts);
          for (const u of opts.urls) expect(u).toMatch(/^https?:\/\//);
          for (const r of opts.hostRules) expect(r).toMatch(/^MAP \S+ \S+$/);
          expect(Number.isInteger(opts.waitMs)).toBe(true);
        });
      }),
      params(500),
    );
  });
});
