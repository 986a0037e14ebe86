import { describe, expect, it } from 'vitest';
import { startCapture, type CaptureHandlers } from '../../../src/platform/capture.ts';
import type { CapturedRequest } from '../../../src/platform/request-assembler.ts';
import type { CapturedCookie } from '../../../src/platform/cookie-events.ts';
import type { NavigationEvent } from '../../../src/platform/navigation.ts';
import { MAX_BODY_CHARS } from '../../../src/core/model.ts';
import { createFakeBrowser, loadScenario, type Flavor } from './fake-browser.ts';

const OWN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

function capture(flavor: Flavor) {
  const fake = createFakeBrowser(flavor);
  const requests: CapturedRequest[] = [];
  const cookies: CapturedCookie[] = [];
  const navs: NavigationEvent[] = [];
  const removed: number[] = [];
  const loaded: number[] = [];
  const logs: string[] = [];
  const handlers: CaptureHandlers = {
    request: (c) => requests.push(c),
    cookie: (c) => cookies.push(c),
    navigation: (n) => navs.push(n),
    pageLoaded: (t) => loaded.push(t),
    tabRemoved: (t) => removed.push(t),
  };
  const { assembler } = startCapture(fake.api, handlers, {
    idPrefix: 'b1-',
    ownOrigin: flavor === 'chrome' ? OWN : 'moz-extension://1234',
    log: (m) => logs.push(m),
    now: () => 1_732_370_000_000,
  });
  return { fake, requests, cookies, navs, removed, loaded, logs, assembler };
}

const byUrl = (rs: CapturedRequest[], part: string) => {
  const found = rs.find((r) => r.record.url.includes(part));
  if (!found) throw new Error(`no record for ${part}`);
  return found.record;
};

describe('listener registration', () => {
  it('asks Chrome for extraHeaders (feature-detected) and registers every listener', () => {
    const { fake } = capture('chrome');
    expect(fake.registrations.get('onBeforeSendHeaders')?.extra[1]).toEqual([
      'requestHeaders',
      'extraHeaders',
    ]);
    expect(fake.registrations.get('onHeadersReceived')?.extra[1]).toEqual([
      'responseHeaders',
      'extraHeaders',
    ]);
    expect(fake.registrations.get('onBeforeRequest')?.extra[1]).toEqual(['requestBody']);
    expect([...fake.registrations.keys()].sort()).toEqual(
      [
        'cookies.onChanged',
        'onBeforeRedirect',
        'onBeforeRequest',
        'onBeforeSendHeaders',
        'onCompleted',
        'onErrorOccurred',
        'onHeadersReceived',
        'tabs.onRemoved',
        'webNavigation.onCommitted',
        'webNavigation.onCompleted',
        'webNavigation.onErrorOccurred',
      ].sort(),
    );
  });

  it("reports a top document's load end or failure, never a subframe's, for the load gate", () => {
    const { fake, loaded } = capture('chrome');
    fake.emit('webNavigation.onCompleted', { tabId: 4, frameId: 0, url: 'https://a.example/' });
    fake.emit('webNavigation.onCompleted', { tabId: 4, frameId: 7, url: 'https://ads.example/' });
    fake.emit('webNavigation.onErrorOccurred', { tabId: 5, frameId: 0, error: 'net::ERR_ABORTED' });
    fake.emit('webNavigation.onCompleted', { tabId: -1, frameId: 0 });
    fake.emit('webNavigation.onCompleted', 'garbage');
    expect(loaded).toEqual([4, 5]);
  });

  it('never passes extraHeaders to Firefox', () => {
    const { fake, logs } = capture('firefox');
    expect(fake.registrations.get('onBeforeSendHeaders')?.extra[1]).toEqual(['requestHeaders']);
    expect(fake.registrations.get('onHeadersReceived')?.extra[1]).toEqual(['responseHeaders']);
    expect(logs).toEqual([]);
  });
});

describe('Chrome page load', () => {
  const run = () => {
    const c = capture('chrome');
    c.fake.replay(loadScenario('chrome', 'page-load'));
    return c;
  };

  it('assembles all stages of each request into one record', () => {
    const { requests, assembler } = run();
    expect(assembler.size).toBe(0);
    expect(requests).toHaveLength(9);
    const px = byUrl(requests, '/px.gif');
    expect(px).toMatchObject({
      id: 'b1-1003',
      method: 'GET',
      type: 'image',
      status: 200,
      initiator: 'https://publisher.test:8443',
      documentUrl: null,
      frameId: 0,
      fromCache: false,
    });
    expect(px.requestHeaders).toContainEqual({ name: 'Cookie', value: 'ta_none=1' });
    expect(px.responseHeaders.filter((h) => h.name === 'set-cookie')).toHaveLength(2);
    const main = requests.find((r) => r.record.type === 'main_frame');
    expect(main?.meta.documentId).toBeNull();
    expect(byUrl(requests, 'frame-px').frameId).toBe(5);
    expect(requests.find((r) => r.record.url.endsWith('frame-px.gif'))?.meta).toEqual({
      documentId: '9F8E7D6C5B4A39281706F5E4D3C2B1A0',
      parentDocumentId: '5A3C1F0E8D7B6A59483726150F0E0D0C',
      incognito: null,
    });
  });

  it('keeps form bodies as fields and decodes raw bodies as text', () => {
    const { requests } = run();
    expect(byUrl(requests, '/xhr').body).toEqual({
      kind: 'form',
      fields: { a: ['1'], b: ['two'] },
      truncated: false,
    });
    const json = byUrl(requests, '/fetch').body;
    expect(json).toMatchObject({ kind: 'text', binary: false, truncated: false });
    expect(json?.kind === 'text' && JSON.parse(json.text)).toMatchObject({ k: 'v' });
    // Chrome reports sendBeacon as `ping`; kept as given.
    expect(byUrl(requests, '/beacon')).toMatchObject({
      type: 'ping',
      body: { kind: 'text', text: 'beacon-body', binary: false },
    });
    expect(byUrl(requests, '/upload').body).toMatchObject({ kind: 'text', binary: true });
  });

  it('converts cookie writes and ignores removals', () => {
    const { cookies } = run();
    expect(cookies.map((c) => c.event.name)).toEqual(['pub_uid', 'ta_none', 'ta_none', 'ta_js']);
    expect(cookies[0]?.event).toMatchObject({
      domain: 'publisher.test',
      hostOnly: true,
      sameSite: 'lax',
      source: 'api',
      expires: 1763906000250,
      removed: false,
    });
    expect(cookies[3]?.event.expires).toBeNull();
    expect(cookies[0]?.storeId).toBe('0');
  });

  it('reports top and subframe commits', () => {
    const { navs } = run();
    expect(navs.map((n) => [n.frameId, n.ignored, n.documentId])).toEqual([
      [0, false, '5A3C1F0E8D7B6A59483726150F0E0D0C'],
      [5, false, '9F8E7D6C5B4A39281706F5E4D3C2B1A0'],
    ]);
  });
});

describe('redirects and errors', () => {
  it('ends a hop at the redirect and continues with a suffixed id', () => {
    const { fake, requests } = capture('chrome');
    fake.replay(loadScenario('chrome', 'redirect'));
    const [hop0, hop1, failed] = requests.map((r) => r.record);
    expect(hop0).toMatchObject({
      id: 'b1-2001',
      status: 302,
      redirectUrl: 'https://sync.tracker-c.test:8443/px?partner_uid=7f3a',
    });
    expect(hop0?.requestHeaders).toContainEqual({ name: 'Cookie', value: 'ta_none=1' });
    expect(hop1).toMatchObject({
      id: 'b1-2001.1',
      url: 'https://sync.tracker-c.test:8443/px?partner_uid=7f3a',
      status: 200,
      redirectUrl: null,
    });
    expect(failed).toMatchObject({ id: 'b1-2002', error: 'net::ERR_NAME_NOT_RESOLVED' });
  });
});

describe('tabless requests and ignored pages', () => {
  it('keeps tabId -1 requests, drops our own and extension traffic, flags non-web pages', () => {
    const { fake, requests, navs } = capture('chrome');
    fake.replay(loadScenario('chrome', 'tabless-and-ignored'));
    expect(requests.map((r) => [r.record.tabId, r.record.initiator])).toEqual([
      [-1, 'https://publisher.test:8443'],
      [-1, 'https://elsewhere.test'],
    ]);
    expect(navs.map((n) => n.ignored)).toEqual([true, true]);
  });
});

describe('Firefox page load', () => {
  const run = () => {
    const c = capture('firefox');
    c.fake.replay(loadScenario('firefox', 'page-load'));
    return c;
  };

  it('uses originUrl/documentUrl and normalizes types', () => {
    const { requests } = run();
    expect(requests).toHaveLength(7);
    expect(byUrl(requests, '/px.gif')).toMatchObject({
      type: 'image', // imageset
      initiator: 'http://publisher.test:18080/',
      documentUrl: 'http://publisher.test:18080/',
    });
    expect(byUrl(requests, '/beacon')).toMatchObject({
      type: 'beacon',
      body: { kind: 'text', text: 'beacon-body' },
    });
    expect(byUrl(requests, 'frame-px').frameId).toBe(10737418241);
    expect(requests[0]?.meta.incognito).toBe(false);
  });

  it('passes the newline-joined Set-Cookie value through unsplit', () => {
    const { requests } = run();
    const sc = byUrl(requests, '/px.gif').responseHeaders.filter((h) => h.name === 'Set-Cookie');
    expect(sc).toHaveLength(1);
    expect(sc[0]?.value.split('\n')).toHaveLength(2);
  });

  it('reads the partition key of a partitioned cookie', () => {
    const { cookies, navs } = run();
    expect(cookies[0]).toMatchObject({
      storeId: 'firefox-default',
      topLevelSite: 'http://publisher.test',
      event: { partitioned: true, expires: null },
    });
    expect(navs.map((n) => [n.frameId, n.documentId])).toEqual([
      [0, null],
      [10737418241, null],
    ]);
  });

  it('reports incognito from the event', () => {
    const { fake, requests, navs } = capture('firefox');
    fake.replay(loadScenario('firefox', 'private-window'));
    expect(navs[0]?.incognito).toBe(true);
    expect(requests[0]?.meta.incognito).toBe(true);
  });
});

describe('bounded work', () => {
  it('truncates a 1 MB raw body', () => {
    const { fake, requests } = capture('chrome');
    const big = new Uint8Array(1024 * 1024).fill(0x61); // 'a'
    const d = {
      requestId: '9',
      url: 'https://up.test/',
      method: 'POST',
      type: 'xmlhttprequest',
      tabId: 1,
      frameId: 0,
      parentFrameId: -1,
      timeStamp: 1,
      requestBody: { raw: [{ bytes: big.buffer }] },
    };
    fake.emit('onBeforeRequest', d);
    fake.emit('onCompleted', { ...d, statusCode: 200 });
    const body = requests[0]?.record.body;
    expect(body).toMatchObject({ kind: 'text', truncated: true, binary: false });
    expect(body?.kind === 'text' && body.text.length).toBe(MAX_BODY_CHARS);
  });

  it('flushes stale in-flight requests as records instead of dropping them', () => {
    let t = 0;
    const fake = createFakeBrowser('chrome');
    const out: CapturedRequest[] = [];
    const { assembler } = startCapture(
      fake.api,
      {
        request: (c) => out.push(c),
        cookie() {},
        navigation() {},
        pageLoaded() {},
        tabRemoved() {},
      },
      { idPrefix: '', ownOrigin: null, now: () => t },
    );
    const req = (id: number) => ({
      requestId: String(id),
      url: `https://a.test/${id}`,
      method: 'GET',
      type: 'image',
      tabId: 1,
      frameId: 0,
      parentFrameId: -1,
      timeStamp: id,
    });
    fake.emit('onBeforeRequest', req(1));
    t = 130_000;
    assembler.sweep();
    expect(out.map((c) => c.record.url)).toEqual(['https://a.test/1']);
    expect(assembler.size).toBe(0);
    for (let i = 2; i < 5100; i++) fake.emit('onBeforeRequest', req(i));
    expect(assembler.size).toBeLessThanOrEqual(5000);
    expect(out.length).toBeGreaterThan(1);
  });
});
