// Hostile or broken `details` must never throw out of a listener, nor stop capture.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startCapture } from '../../../src/platform/capture.ts';
import type { CapturedRequest } from '../../../src/platform/request-assembler.ts';
import { convertRequestBody } from '../../../src/platform/request-body.ts';
import { convertCookieChange } from '../../../src/platform/cookie-events.ts';
import { convertCommitted } from '../../../src/platform/navigation.ts';
import { createFakeBrowser } from './fake-browser.ts';

const EVENTS = [
  'onBeforeRequest',
  'onBeforeSendHeaders',
  'onHeadersReceived',
  'onBeforeRedirect',
  'onCompleted',
  'onErrorOccurred',
  'cookies.onChanged',
  'webNavigation.onCommitted',
  'webNavigation.onCompleted',
  'webNavigation.onErrorOccurred',
  'tabs.onRemoved',
];

const HAND_PICKED: unknown[] = [
  undefined,
  null,
  42,
  'details',
  [],
  {},
  { requestId: null },
  { requestId: {}, url: 5 },
  { requestId: '1', url: null, tabId: 'x', type: 7 },
  { requestId: '1', url: 'https://a.test/', requestBody: { raw: 'nope', formData: 3 } },
  { requestId: '1', url: 'https://a.test/', requestBody: { formData: { a: [1, null, {}] } } },
  { requestId: '1', url: 'https://a.test/', requestBody: { raw: [null, { bytes: 'x' }] } },
  { requestId: '1', requestHeaders: [null, { name: 3 }, { name: 'a', value: {} }] },
  { requestId: '2', responseHeaders: 'set-cookie: a=1', statusCode: '200' },
  { cookie: null, removed: false },
  { cookie: { name: 1, domain: null }, removed: false },
  { cookie: { name: 'a', domain: '.x.test', expirationDate: 'soon' }, removed: false },
  { tabId: -1, frameId: 0, url: 'https://a.test/' },
  { tabId: 1, frameId: null, url: 'https://a.test/' },
  Object.create(null),
];

function setup() {
  const fake = createFakeBrowser('chrome');
  const records: CapturedRequest[] = [];
  const logs: string[] = [];
  startCapture(
    fake.api,
    {
      request: (c) => records.push(c),
      cookie() {},
      navigation() {},
      pageLoaded() {},
      tabRemoved() {},
    },
    { idPrefix: '', ownOrigin: null, log: (m) => logs.push(m) },
  );
  return { fake, records, logs };
}

describe('garbage details', () => {
  it('hand-picked garbage: no listener throws', () => {
    const { fake, logs } = setup();
    for (const name of EVENTS) {
      for (const d of HAND_PICKED) expect(() => fake.emit(name, d)).not.toThrow();
    }
    // Handled by the converters themselves, not caught by the last-resort guard.
    expect(logs).toEqual([]);
  });

  it('random values: no listener throws, capture keeps working', () => {
    const { fake, records, logs } = setup();
    fc.assert(
      fc.property(fc.constantFrom(...EVENTS), fc.anything(), (name, d) => {
        fake.emit(name, d);
      }),
      { numRuns: 2000 },
    );
    // Random objects with requestId fields of the right type may open records; a real
    // request afterwards must still come through whole.
    expect(logs).toEqual([]);
    const before = records.length;
    const d = { requestId: 'ok', url: 'https://a.test/', method: 'GET', type: 'image', tabId: 1 };
    fake.emit('onBeforeRequest', d);
    fake.emit('onCompleted', { ...d, statusCode: 204 });
    expect(records.slice(before).at(-1)?.record).toMatchObject({
      url: 'https://a.test/',
      status: 204,
    });
  });

  it('a throwing handler is logged once and does not escape', () => {
    const fake = createFakeBrowser('chrome');
    const logs: string[] = [];
    startCapture(
      fake.api,
      {
        request() {
          throw new Error('boom');
        },
        cookie() {},
        navigation() {},
        pageLoaded() {},
        tabRemoved() {},
      },
      { idPrefix: '', ownOrigin: null, log: (m) => logs.push(m) },
    );
    const d = { requestId: '1', url: 'https://a.test/', tabId: 1 };
    for (let i = 0; i < 3; i++) {
      expect(() => fake.emit('onErrorOccurred', { ...d, requestId: String(i) })).not.toThrow();
    }
    expect(logs).toEqual(['leakwatch: onErrorOccurred listener failed']);
  });

  it('converters return null or a value for arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        convertRequestBody(v);
        convertCookieChange(v, 0);
        convertCommitted(v, 0);
      }),
      { numRuns: 2000 },
    );
  });
});
