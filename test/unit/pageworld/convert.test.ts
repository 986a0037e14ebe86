// The relay's reduction of raw page-world records: values become verdicts and hashes,
// bodies are checked for typed values and recordings and dropped, forged records are refused.
import { describe, expect, it } from 'vitest';
import { toPageEvent, toPageEvents, textStats } from '../../../src/core/pageworld/convert.ts';
import { parseCookieWrite } from '../../../src/core/pageworld/cookie-string.ts';
import { findTypedValue, isRecordingPayload } from '../../../src/core/pageworld/payload.ts';
import { hashValue } from '../../../src/core/pageworld/hash.ts';
import { parsePageEventBatch } from '../../../src/core/pageworld/schema.ts';
import { createRateLimiter } from '../../../src/core/pageworld/rate-limit.ts';

const T = Date.UTC(2026, 10, 1);
const STATE = { frameUrl: 'https://news-publisher.test/a/page.html', typed: [], submitted: false };
const STACK =
  'Error\n    at x (chrome-extension://id/page-world.js:1:1)\n    at https://cdn.v.test/v.js:2:3';

describe('cookie writes', () => {
  it('parses attributes; Max-Age wins; past Expires deletes', () => {
    expect(
      parseCookieWrite(
        '_id=abc123; Max-Age=31536000; Domain=.News-Publisher.test; Path=/; Secure',
        T,
      ),
    ).toEqual({
      name: '_id',
      value: 'abc123',
      domain: 'news-publisher.test',
      path: '/',
      lifetimeS: 31536000,
      deleted: false,
    });
    expect(parseCookieWrite('a=1; expires=Thu, 01 Jan 1970 00:00:00 GMT', T)?.deleted).toBe(true);
    expect(parseCookieWrite('lonely', T)).toMatchObject({ name: '', value: 'lonely' });
  });
  it('sends a verdict and a hash, never the value', () => {
    const value = 'Zx81kq0PmW3nT7vB2cY5';
    const e = toPageEvent(
      { k: 'cookie-write', s: STACK, ts: T, v: `_lw_uid=${value}; max-age=31536000` },
      STATE,
    );
    expect(e).toMatchObject({
      t: 'cookie-write',
      script: 'https://cdn.v.test/v.js',
      name: '_lw_uid',
      identifierLike: true,
      hash: hashValue(value),
    });
    expect(JSON.stringify(e)).not.toContain(value);
  });
});

describe('canvas text and bodies', () => {
  it('counts distinct characters and spots emoji', () => {
    expect(textStats('Cwm fjordbank glyphs vext quiz')).toMatchObject({
      distinctChars: 27,
      emoji: false,
    });
    expect(textStats('\u{1F428}')).toEqual({ distinctChars: 1, emoji: true });
  });
  it('finds a typed value (or its first characters) plain, url-encoded or base64', () => {
    const typed = [{ field: 'email' as const, value: 'jane.doe@example.com' }];
    expect(findTypedValue('{"k":"JANE.D"}', typed)).toEqual({ field: 'email', encoding: 'plain' });
    expect(findTypedValue('e=jane.doe%40example.com', typed)).toEqual({
      field: 'email',
      encoding: 'plain',
    });
    expect(findTypedValue(`d=${btoa('jane.doe@example.com')}`, typed)).toEqual({
      field: 'email',
      encoding: 'base64',
    });
    expect(findTypedValue('{"k":"jane"}', typed)).toBeNull();
  });
  it('a load whose body carries the typed value becomes typed-sent; the body goes no further', () => {
    const state = { ...STATE, typed: [{ field: 'email' as const, value: 'jane.doe@example.com' }] };
    const e = toPageEvent(
      {
        k: 'load',
        s: STACK,
        ts: T,
        tag: 'beacon',
        url: '/rec',
        m: 'POST',
        body: '{"v":"jane.doe@exa"}',
        bl: 20,
      },
      state,
    );
    expect(e).toMatchObject({
      t: 'typed-sent',
      field: 'email',
      url: 'https://news-publisher.test/rec',
      beforeSubmit: true,
    });
    expect(JSON.stringify(e)).not.toContain('jane');
  });
  it('recognises rrweb recordings', () => {
    expect(
      isRecordingPayload('[{"type":2,"data":{"node":{"type":0,"childNodes":[]}},"timestamp":1}]'),
    ).toBe(true);
    expect(isRecordingPayload('[{"type":3,"data":{"source":1,"positions":[{"x":1}]}}]')).toBe(true);
    expect(isRecordingPayload('{"event":"page_view","type":2}')).toBe(false);
  });
  it('extracts loads from document.write markup', () => {
    const ev = toPageEvents(
      {
        k: 'write',
        s: STACK,
        ts: T,
        html: `<script src="//cdn.x.test/a.js"></script><img src='/p.gif?x=1'>`,
      },
      STATE,
    );
    expect(ev.map((e) => (e.t === 'load' ? [e.tag, e.url] : null))).toEqual([
      ['script', 'https://cdn.x.test/a.js'],
      ['img', 'https://news-publisher.test/p.gif?x=1'],
    ]);
  });
});

describe('forged input', () => {
  it('refuses malformed raw records', () => {
    expect(toPageEvent({ k: 'storage-write', area: 'cookie', key: 'x', v: 'y' }, STATE)).toBeNull();
    expect(toPageEvent({ k: 'load', tag: 'script', url: 'javascript:alert(1)' }, STATE)).toBeNull();
    expect(toPageEvent({ k: 'nope' }, STATE)).toBeNull();
  });
  it('the background schema refuses extra fields, wrong types and oversized batches', () => {
    const ok = { events: [{ t: 'cookie-read', script: null, time: T }], typed: [], dropped: 0 };
    expect(parsePageEventBatch(ok)).not.toBeNull();
    expect(
      parsePageEventBatch({
        ...ok,
        events: [{ t: 'cookie-read', script: null, time: T, value: 'raw' }],
      }),
    ).toBeNull();
    expect(parsePageEventBatch({ ...ok, events: Array(201).fill(ok.events[0]) })).toBeNull();
    // The top document's title: optional, a string, at most 300 characters.
    expect(parsePageEventBatch({ ...ok, title: 'T'.repeat(300) })?.title).toHaveLength(300);
    expect(parsePageEventBatch({ ...ok, title: 'T'.repeat(301) })).toBeNull();
    expect(parsePageEventBatch({ ...ok, title: 7 })).toBeNull();
    expect(parsePageEventBatch({ ...ok, typed: [{ kind: 'password', value: 'x' }] })).toBeNull();
  });
  it('rate-limits per tab with a token bucket', () => {
    let now = 0;
    const rl = createRateLimiter({ capacity: 3, refillPerSecond: 2, now: () => now });
    expect([rl.take(1), rl.take(1), rl.take(1), rl.take(1), rl.take(2)]).toEqual([
      true,
      true,
      true,
      false,
      true,
    ]);
    now = 500;
    expect([rl.take(1), rl.take(1)]).toEqual([true, false]);
  });
});

describe('session recording on the network side (HAR and live requests)', async () => {
  const { sessionRecordingRequests } =
    await import('../../../src/core/detectors/session-recording.ts');
  const { page, requestContext } = await import('../helpers/context.ts');
  const p = page('https://shop.test/');
  const req = (url: string, text: string | null) => ({
    id: '1',
    url,
    method: text ? 'POST' : 'GET',
    type: 'xmlhttprequest' as const,
    tabId: 1,
    frameId: 0,
    parentFrameId: -1,
    initiator: 'https://shop.test',
    documentUrl: 'https://shop.test/',
    time: T,
    body: text ? { kind: 'text' as const, text, truncated: false, binary: false } : null,
    requestHeaders: [],
    status: 200,
    responseHeaders: [],
    redirectUrl: null,
    error: null,
    fromCache: false,
  });
  it('known services by endpoint, unknown ones by payload, first party never', () => {
    const run = (r: ReturnType<typeof req>) =>
      sessionRecordingRequests
        .detectRequest(r, requestContext(p, r))
        .map((f) => f.evidence.details?.['service']);
    expect(run(req('https://rs.fullstory.com/rec/bundle?OrgId=1', '{}'))).toEqual(['FullStory']);
    expect(run(req('https://in.hotjar.com/api/v2/client/sites/1/visit-data', null))).toEqual([
      'Hotjar',
    ]);
    expect(
      run(
        req(
          'https://collect.replay.test/r',
          '[{"type":2,"data":{"node":{"type":0,"childNodes":[]}}}]',
        ),
      ),
    ).toEqual(['DOM recording payload']);
    expect(
      run(req('https://shop.test/api', '[{"type":2,"data":{"node":{"type":0,"childNodes":[]}}}]')),
    ).toEqual([]);
    expect(run(req('https://mc.yandex.ru/watch/123?page-url=x', null))).toEqual([]);
    expect(run(req('https://mc.yandex.ru/webvisor/123', '{}'))).toEqual([
      'Yandex Metrica Webvisor',
    ]);
  });
});
