// Page-world instrumentation end to end (issue 4): the built extension in Chromium visits
// the page-world fixture (test/fixtures/pageworld), the user types an email, and each
// observation must be attributed to the script that made it. Also: the page-visible global
// scope and the hooked functions' source text are the same as without the extension.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Page } from 'playwright-core';
import {
  launchWithExtension,
  type ExtensionBrowser,
  type StoreSnapshot,
} from '../../src/cli/chromium.ts';
import type { TagEdge } from '../../src/core/pageworld/tag-chain.ts';
import {
  PW_HOST_RULES,
  PW_PUBLISHER,
  startPageWorldSite,
  type PwSite,
} from '../fixtures/pageworld/server.ts';
import { requireBuiltExtension, waitForStore } from './support.ts';

const EMAIL = 'jane.doe@example.com';

let site: PwSite;
let browser: ExtensionBrowser;
let tab: Page;
let url: string;
let store: StoreSnapshot;
let pageId: string;
const script = (host: string, path: string) => `${site.origin(host)}${path}`;

/** What a page can see of the browser's global scope and of hooked functions. */
async function pageView(page: Page) {
  return page.evaluate(() => ({
    globals: Object.getOwnPropertyNames(window).sort(),
    html: document.documentElement.getAttributeNames(),
    sources: [
      HTMLCanvasElement.prototype.toDataURL,
      CanvasRenderingContext2D.prototype.fillText,
      Storage.prototype.setItem,
      EventTarget.prototype.addEventListener,
      Function.prototype.toString,
      Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!.set!,
      Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetWidth')!.get!,
      window.fetch,
    ].map((f) => `${f.name}/${f.length}: ${Function.prototype.toString.call(f)}`),
    // Calls that behave differently for a careless wrapper: `this` undefined, `new`, own keys.
    behaviour: [
      () => Function.prototype.toString.call(undefined),
      () => new (HTMLCanvasElement.prototype.toDataURL as unknown as new () => unknown)(),
      () => Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!.get!.call(undefined),
      () => Object.getOwnPropertyNames(HTMLCanvasElement.prototype.toDataURL).join(),
      () => 'prototype' in Storage.prototype.setItem,
      () => typeof window.fetch.call(undefined, '/plain.html').then,
    ].map((f) => {
      try {
        return String(f());
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    }),
    thrown: (() => {
      try {
        HTMLCanvasElement.prototype.toDataURL.call({});
      } catch (e) {
        return String((e as Error).stack).includes('extension://');
      }
      return null;
    })(),
  }));
}

const ours = (s: StoreSnapshot) => s.findings.filter((f) => f.pageId === pageId);

beforeAll(async () => {
  site = await startPageWorldSite();
  // LEAKWATCH_EXTENSION_DIR: test another build (e.g. one made outside the shared dist/).
  const extensionDir = process.env['LEAKWATCH_EXTENSION_DIR'] || requireBuiltExtension();
  browser = await launchWithExtension({ extensionDir, hostRules: PW_HOST_RULES });
  tab = await browser.context.newPage();
  url = `${site.origin(PW_PUBLISHER)}/index.html`;
  await tab.goto(url, { waitUntil: 'load' });
  await tab.fill('#email', EMAIL);
  await tab.mouse.move(20, 20);
  await site.waitForHit((h) => h.host === 'rec.replay.test' && h.body.includes('jane.doe'));
  await site.waitForHit((h) => h.host === 'px.pixelco.test');
  store = await waitForStore(browser, (s) => {
    const p = s.pages.find((x) => x.url === url);
    if (!p) return false;
    pageId = p.id;
    const kinds = new Set(ours(s).map((f) => `${f.kind}|${f.party}`));
    return [
      'fingerprinting|fp-vendor.test',
      'fingerprinting|offscreen-fp.test',
      'storage-identifier|idvendor.test',
      'fingerprinting|fontprobe.test',
      'storage-identifier|widgetco.test',
      'session-recording|replay.test',
      'key-logging|replay.test',
      'identifier-cookie|cookievendor.test',
    ].every((k) => kinds.has(k));
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

function findingOf(kind: string, party: string) {
  const f = ours(store).filter((x) => x.kind === kind && x.party === party);
  expect(f, `${kind} finding for ${party}`).not.toHaveLength(0);
  return f;
}

describe('attribution to the calling script', () => {
  it('canvas fingerprinting → fp.js', () => {
    const [f] = findingOf('fingerprinting', 'fp-vendor.test');
    expect(f!.evidence.scriptUrl).toBe(script('cdn.fp-vendor.test', '/fp.js'));
    expect(f!.evidence.details?.['technique']).toBe('canvas');
  });

  it('canvas fingerprinting on an OffscreenCanvas → ofp.js', () => {
    const [f] = findingOf('fingerprinting', 'offscreen-fp.test');
    expect(f!.evidence.scriptUrl).toBe(script('cdn.offscreen-fp.test', '/ofp.js'));
    expect(f!.evidence.details).toMatchObject({ technique: 'canvas', readApi: 'convertToBlob' });
  });

  it('localStorage id set by property assignment → idv.js, attributed by timing', () => {
    const [f] = findingOf('storage-identifier', 'idvendor.test');
    expect(f!.evidence).toMatchObject({
      key: 'idv_uid',
      scriptUrl: script('cdn.idvendor.test', '/idv.js'),
    });
    expect(f!.evidence.details?.['via']).toBe('assignment');
  });

  it('font probing → fonts.js', () => {
    const [f] = findingOf('fingerprinting', 'fontprobe.test');
    expect(f!.evidence.scriptUrl).toBe(script('cdn.fontprobe.test', '/fonts.js'));
    expect(f!.evidence.details?.['technique']).toBe('font-probing');
  });

  it('session recorder posting typed keystrokes → rec.js (session-recording and key-logging)', () => {
    const rec = script('cdn.replay.test', '/rec.js');
    expect(findingOf('session-recording', 'replay.test')[0]!.evidence.scriptUrl).toBe(rec);
    const sent = findingOf('key-logging', 'replay.test').find(
      (f) => f.evidence.rule === 'typed value sent before submit',
    );
    expect(sent?.evidence.scriptUrl).toBe(rec);
    expect(sent?.dataTypes).toEqual(['email']);
    // The typed value is held in memory only: nothing in the store contains it.
    expect(JSON.stringify(store)).not.toContain(EMAIL);
  });

  it('first-party cookie written by a third-party script → cv.js, on the cookie row too', () => {
    const cv = script('cdn.cookievendor.test', '/cv.js');
    expect(findingOf('identifier-cookie', 'cookievendor.test')[0]!.evidence.scriptUrl).toBe(cv);
    const row = store.cookies.find((c) => c.pageId === pageId && c.name === '_cv_uid');
    expect(row).toMatchObject({ setBy: 'script', scriptUrl: cv, firstParty: true });
  });

  it('localStorage id set in a third-party iframe → w.js', () => {
    const [f] = findingOf('storage-identifier', 'widgetco.test');
    expect(f!.evidence).toMatchObject({
      key: 'wc_vid',
      scriptUrl: script('frames.widgetco.test', '/w.js'),
    });
  });

  it('three-level tag chain: page → gtm.js → pig.js → pixel', async () => {
    const edges: TagEdge[] = await browser.send('getTagChain', { pageId });
    const gtm = script('tags.tagmgr.test', '/gtm.js');
    const pig = script('cdn.piggy.test', '/pig.js');
    expect(edges).toContainEqual(
      expect.objectContaining({
        parentScript: gtm,
        parentParty: 'tagmgr.test',
        childUrl: pig,
        tag: 'script',
      }),
    );
    const pixel = edges.find((e) => e.parentScript === pig);
    expect(pixel).toMatchObject({
      parentParty: 'piggy.test',
      childParty: 'pixelco.test',
      tag: 'img',
    });
  });

  it('negatives stay quiet: the chart, the emoji probe and the first-party counter', () => {
    const firstParty = ours(store).filter(
      (f) =>
        ['fingerprinting', 'storage-identifier'].includes(f.kind) &&
        f.party === 'pw-publisher.test',
    );
    expect(firstParty).toEqual([]);
  });
});

describe('stealth', () => {
  it('the page sees the same globals, attributes and function sources as without the extension', async () => {
    const withExt = await pageView(tab);
    const plain = await chromium.launch({
      executablePath: process.env['LEAKWATCH_CHROMIUM'] || '/usr/bin/chromium',
      headless: true,
      args: [
        '--ignore-certificate-errors',
        `--host-resolver-rules=${PW_HOST_RULES.join(', ')}`,
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
    });
    try {
      const p = await plain.newPage();
      await p.goto(url, { waitUntil: 'load' });
      await p.fill('#email', EMAIL);
      const without = await pageView(p);
      expect(withExt.globals).toEqual(without.globals);
      expect(withExt.html).toEqual(without.html);
      expect(withExt.sources).toEqual(without.sources);
      expect(withExt.behaviour).toEqual(without.behaviour);
      expect(withExt.thrown).toBe(false);
    } finally {
      await plain.close();
    }
  });
});
