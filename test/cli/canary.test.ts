// --canary reaches the analysis: a HAR whose pixel carries the SHA-256 of a canary email is
// reported as a pii-leak only when that canary is given, and the report never holds it raw.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { canaryKind, defaultSecrets } from '../../src/core/leaks/secrets.ts';
import type { Report } from '../../src/report/types.ts';

const CANARY = 'Canary.Person@Example.org';
const hashed = createHash('sha256').update(CANARY.toLowerCase()).digest('hex');

function har(dir: string): string {
  const entry = (url: string, referer: string) => ({
    startedDateTime: '2026-11-01T10:00:00.000Z',
    pageref: 'page_1',
    time: 10,
    request: {
      method: 'GET',
      url,
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Referer', value: referer }],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Content-Type', value: 'image/gif' }],
      cookies: [],
      content: { size: 43, mimeType: 'image/gif' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 43,
    },
    cache: {},
    timings: { send: 0, wait: 10, receive: 0 },
  });
  const file = join(dir, 'shop.har');
  writeFileSync(
    file,
    JSON.stringify({
      log: {
        version: '1.2',
        creator: { name: 'test', version: '1' },
        pages: [
          {
            id: 'page_1',
            title: 'Shop',
            startedDateTime: '2026-11-01T10:00:00.000Z',
            pageTimings: {},
          },
        ],
        entries: [
          {
            ...entry('https://shop.test/account', ''),
            response: {
              ...entry('', '').response,
              headers: [{ name: 'Content-Type', value: 'text/html' }],
              content: { size: 100, mimeType: 'text/html' },
            },
          },
          entry(
            `https://px.tracker-example.test/t.gif?ev=Lead&h=${hashed}`,
            'https://shop.test/account',
          ),
        ],
      },
    }),
  );
  return file;
}

async function audit(args: string[]) {
  let stderr = '';
  const code = await main(args, {
    stdout: { write: () => true },
    stderr: { write: (c: string) => (stderr += c), isTTY: false },
    cwd: process.cwd(),
  });
  return { code, stderr };
}

afterEach(() => defaultSecrets.clear());

describe('--canary', () => {
  it('classifies free-form canaries', () => {
    expect(canaryKind(' someone@example.com ')).toBe('email');
    expect(canaryKind('+1 (555) 555-0123')).toBe('phone');
    expect(canaryKind('Lea Canary')).toBe('name');
    expect(canaryKind('12')).toBe('name');
  });

  it(
    'finds a hashed canary in a HAR offline, and keeps it masked',
    { timeout: 60_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'leakwatch-canary-'));
      const file = har(dir);

      const without = await audit(['--har', file, '--out', join(dir, 'a'), '--format', 'json']);
      expect(without.code).toBe(0);
      const a = JSON.parse(readFileSync(join(dir, 'a', 'report.json'), 'utf8')) as Report;
      expect(a.findings.filter((f) => f.kind === 'pii-leak')).toEqual([]);

      const withCanary = await audit([
        '--har',
        file,
        '--canary',
        CANARY,
        '--out',
        join(dir, 'b'),
        '--format',
        'json,csv',
      ]);
      expect(withCanary.code).toBe(0);
      const text = readFileSync(join(dir, 'b', 'report.json'), 'utf8');
      const b = JSON.parse(text) as Report;
      const leaks = b.findings.filter((f) => f.kind === 'pii-leak');
      expect(leaks).toHaveLength(1);
      expect(leaks[0]).toMatchObject({
        party: 'tracker-example.test',
        encoding: 'sha256',
        dataTypes: ['email'],
      });
      for (const out of [text, readFileSync(join(dir, 'b', 'findings.csv'), 'utf8')]) {
        expect(out.toLowerCase()).not.toContain(CANARY.toLowerCase());
      }
    },
  );
});
