// Shared pieces of the property-based tests: run settings, the time guard and the hostile
// inputs every parser must survive.
//
// `npm test` runs every property with a fixed seed and a modest number of runs, so a failure
// reproduces on every machine. `npm run fuzz` sets FUZZ_RUNS (a multiplier of numRuns) and,
// unless FUZZ_SEED is given, a fresh seed: fast-check prints the seed and the shrunk
// counterexample on failure, and `FUZZ_SEED=<seed> npx vitest run test/fuzz` replays it.
import fc from 'fast-check';
import type { Parameters as FcParameters } from 'fast-check';

const FIXED_SEED = 0x1ea4_a7c4;
const multiplier = Math.max(1, Number(process.env['FUZZ_RUNS'] ?? '1') || 1);
const seedFromEnv = process.env['FUZZ_SEED'];
const SEED =
  seedFromEnv !== undefined && seedFromEnv !== ''
    ? Number(seedFromEnv)
    : process.env['FUZZ_RUNS']
      ? Date.now() ^ (Math.random() * 0x7fffffff)
      : FIXED_SEED;

/** fast-check parameters: `runs` in `npm test`, `runs × FUZZ_RUNS` in `npm run fuzz`. */
export function params<T>(runs: number): FcParameters<T> {
  return { seed: SEED, numRuns: runs * multiplier, endOnFailure: false };
}

/** Vitest timeout for a property: generous, and scaled with the run multiplier. */
export function timeout(baseMs = 30_000): number {
  return baseMs * multiplier;
}

/**
 * Per-call ceiling. This is a guard against super-linear blow-up (a regex that backtracks,
 * a quadratic loop), not a speed test: the inputs are at most a few megabytes and linear
 * work on them takes a few milliseconds, so a call taking seconds means something exploded (2 s leaves room for a loaded CI box).
 * LEAKWATCH_FUZZ_CEILING_MS raises it on a very slow machine.
 */
export const CEILING_MS = Number(process.env['LEAKWATCH_FUZZ_CEILING_MS'] ?? '2000');

/** Runs `fn`, failing when one call takes longer than CEILING_MS. */
export function bounded<T>(what: string, fn: () => T): T {
  const start = performance.now();
  const out = fn();
  const ms = performance.now() - start;
  if (ms > CEILING_MS) {
    throw new Error(`${what} took ${Math.round(ms)} ms (> ${CEILING_MS} ms): super-linear?`);
  }
  return out;
}

/** The async flavour of `bounded`. */
export async function boundedAsync<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const out = await fn();
  const ms = performance.now() - start;
  if (ms > CEILING_MS) {
    throw new Error(`${what} took ${Math.round(ms)} ms (> ${CEILING_MS} ms): super-linear?`);
  }
  return out;
}

/**
 * Inputs that make naive parsers and regexes blow up: long runs of one character after
 * which a match fails, deep nesting, separators only, and the page-controlled characters
 * that break displays (bidi overrides, zero-width, lone surrogates, NUL).
 */
export const CATASTROPHIC: readonly string[] = [
  `${'a'.repeat(50_000)}!`,
  '('.repeat(50_000),
  `${'('.repeat(20_000)}${')'.repeat(19_999)}`,
  '='.repeat(100_000),
  '%'.repeat(100_000),
  '%2'.repeat(50_000),
  '%25'.repeat(30_000),
  '@'.repeat(100_000),
  '1.'.repeat(50_000),
  `${'a.'.repeat(50_000)}@`,
  `${'a@'.repeat(50_000)}.com`,
  `${`${'a'.repeat(60)}@`.repeat(2_000)}x`,
  '&'.repeat(100_000),
  `${'a=b&'.repeat(25_000)}`,
  `${'k='.repeat(50_000)}`,
  '['.repeat(100_000),
  `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
  `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
  '-'.repeat(100_000),
  '/'.repeat(100_000),
  '\\'.repeat(100_000),
  ' '.repeat(100_000),
  '\t\r\n'.repeat(30_000),
  'A'.repeat(100_000),
  `${'AAAA'.repeat(20_000)}=`,
  `${'0123456789abcdef'.repeat(6_000)}`,
  ';'.repeat(100_000),
  `${'a;'.repeat(50_000)}`,
  `${'x:'.repeat(50_000)}`,
  '\u202e'.repeat(10_000),
  '\u200b'.repeat(10_000),
  '\ud800'.repeat(10_000),
  '\u0000'.repeat(10_000),
  `<script>${'"onerror='.repeat(5_000)}`,
];

/** Characters that matter to URL, query, cookie and body parsers, plus hostile ones. */
const SPECIAL = [
  '%',
  '%2',
  '%25',
  '%zz',
  '%E2%80%AE',
  '+',
  '=',
  '&',
  ';',
  '?',
  '#',
  '/',
  '\\',
  '.',
  '..',
  ':',
  '@',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '<',
  '>',
  '<script>',
  '"onerror=',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\u0000',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\ud800',
  'xn--',
  '0x7f',
  'a',
  'Z',
  '0',
  '9',
  '-',
  '_',
  '~',
  'é',
  '😀',
];

/** Strings built from parser-relevant pieces: far more likely to hit edge cases than noise. */
export const tricky = (maxLength = 60): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ maxLength: 6 })), { maxLength })
    .map((parts) => parts.join(''));

/** Any string: tricky pieces, full Unicode (lone surrogates too), or a catastrophic input. */
export const hostileString = (maxLength = 60): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: tricky(maxLength) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    { weight: 1, arbitrary: fc.constantFrom(...CATASTROPHIC) },
  );

const SCHEMES = ['https://', 'http://', 'HTTPS://', 'wss://', 'ftp://', 'data:', 'blob:', ''];
const HOSTS = [
  'a.test',
  'tracker.example.com',
  'xn--mnchen-3ya.de',
  '127.0.0.1',
  '0x7f.1',
  '[::1]',
  'EXAMPLE.COM.',
  'a..b',
  'localhost',
  'co.uk',
  'user:pw@host.test',
  'host.test:8443',
  'a'.repeat(300),
  'github.io',
  'b.github.io',
];

/** URL-shaped strings: real-looking structure with hostile pieces in every part. */
export const urlish = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...SCHEMES),
          fc.oneof(fc.constantFrom(...HOSTS), fc.domain(), tricky(12)),
          tricky(30),
          fc.array(fc.tuple(tricky(10), tricky(20)), { maxLength: 8 }),
          tricky(10),
        )
        .map(
          ([scheme, host, path, query, hash]) =>
            `${scheme}${host}/${path}?${query.map(([k, v]) => `${k}=${v}`).join('&')}#${hash}`,
        ),
    },
    { weight: 1, arbitrary: hostileString(200) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...CATASTROPHIC)
        .map((s) => `https://a.test/${s}?q=${s.slice(0, 20_000)}`),
    },
  );

/** Header lists, including the ones the analysis reads (Cookie, Referer, Set-Cookie...). */
export const headerList = (): fc.Arbitrary<{ name: string; value: string }[]> =>
  fc.array(
    fc.record({
      name: fc.oneof(
        fc.constantFrom(
          'Cookie',
          'cookie',
          'Referer',
          'Set-Cookie',
          'set-cookie',
          'Location',
          'Content-Type',
          'content-type',
        ),
        tricky(10),
      ),
      value: fc.oneof(urlish(), hostileString(120)),
    }),
    { maxLength: 6 },
  );

/** True when a string holds a line break or other control character (a one-line message may not). */
export function hasControl(s: string): boolean {
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point.
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s);
}
