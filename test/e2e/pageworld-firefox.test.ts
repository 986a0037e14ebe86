// The page-world instrumentation in Firefox (firefox-esr, WebDriver BiDi, the shipped
// Firefox build plus the test sidecar of test/fixtures/firefox): the same fixture and the
// same attributions as pageworld.test.ts (Chromium), through SpiderMonkey stacks and
// Firefox's MAIN-world content scripts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingRow, CookieRow } from '../../src/storage/db.ts';
import { launchFirefox, type FirefoxSession } from '../fixtures/firefox/firefox.ts';
import { PW_PUBLISHER, startPageWorldSite, type PwSite } from '../fixtures/pageworld/server.ts';

let site: PwSite;
let firefox: FirefoxSession;
let findings: FindingRow[] = [];
let cookies: CookieRow[] = [];
const script = (host: string, path: string) => `${site.origin(host)}${path}`;
const WANTED = [
  'fingerprinting|fp-vendor.test',
  'fingerprinting|offscreen-fp.test',
  'storage-identifier|idvendor.test',
  'fingerprinting|fontprobe.test',
  'storage-identifier|widgetco.test',
  'session-recording|replay.test',
  'key-logging|replay.test',
  'identifier-cookie|cookievendor.test',
];

beforeAll(async () => {
  site = await startPageWorldSite();
  firefox = await launchFirefox();
  const page = await firefox.browser.newPage();
  await page.goto(`${site.origin(PW_PUBLISHER)}/index.html`, { waitUntil: 'load' });
  await page.type('#email', 'jane.doe@example.com');
  await site.waitForHit((h) => h.host === 'rec.replay.test' && h.body.includes('jane.doe'));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const dump = await firefox.dump();
    findings = (dump.tables['findings'] ?? []) as FindingRow[];
    cookies = (dump.tables['cookies'] ?? []) as CookieRow[];
    const have = new Set(findings.map((f) => `${f.kind}|${f.party}`));
    if (WANTED.every((k) => have.has(k)) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
}, 120_000);

afterAll(async () => {
  await firefox?.browser.close().catch(() => undefined);
  await site?.close();
});

describe('Firefox: attribution to the calling script', () => {
  it.each([
    ['fingerprinting', 'fp-vendor.test', 'cdn.fp-vendor.test', '/fp.js'],
    ['fingerprinting', 'offscreen-fp.test', 'cdn.offscreen-fp.test', '/ofp.js'],
    ['storage-identifier', 'idvendor.test', 'cdn.idvendor.test', '/idv.js'],
    ['fingerprinting', 'fontprobe.test', 'cdn.fontprobe.test', '/fonts.js'],
    ['storage-identifier', 'widgetco.test', 'frames.widgetco.test', '/w.js'],
    ['session-recording', 'replay.test', 'cdn.replay.test', '/rec.js'],
    ['key-logging', 'replay.test', 'cdn.replay.test', '/rec.js'],
    ['identifier-cookie', 'cookievendor.test', 'cdn.cookievendor.test', '/cv.js'],
  ])('%s by %s', (kind, party, host, path) => {
    const f = findings.find((x) => x.kind === kind && x.party === party);
    expect(f, `${kind} for ${party}`).toBeDefined();
    expect(f!.evidence.scriptUrl).toBe(script(host, path));
  });

  it('the cookie row names the script that wrote it', () => {
    expect(cookies.find((c) => c.name === '_cv_uid')).toMatchObject({
      setBy: 'script',
      scriptUrl: script('cdn.cookievendor.test', '/cv.js'),
    });
  });
});
