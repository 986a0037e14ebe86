// Small builders for RequestRecord and CookieEvent so tests state only what matters.
import type { CookieEvent, RequestRecord } from '../../../src/core/model.ts';

export const T0 = Date.parse('2024-03-01T12:00:00Z');
export const DAY = 864e5;

export function request(over: Partial<RequestRecord> & { url: string }): RequestRecord {
  return {
    id: 'r1',
    method: 'GET',
    type: 'image',
    tabId: 1,
    frameId: 0,
    parentFrameId: -1,
    initiator: null,
    documentUrl: null,
    time: T0,
    body: null,
    requestHeaders: [],
    status: 200,
    responseHeaders: [],
    redirectUrl: null,
    error: null,
    fromCache: false,
    ...over,
  };
}

export function cookie(over: Partial<CookieEvent> & { name: string; domain: string }): CookieEvent {
  return {
    value: '',
    hostOnly: false,
    path: '/',
    expires: T0 + 365 * DAY,
    secure: true,
    httpOnly: false,
    sameSite: 'unspecified',
    partitioned: false,
    removed: false,
    source: 'api',
    requestUrl: null,
    scriptUrl: null,
    time: T0,
    ...over,
  };
}
