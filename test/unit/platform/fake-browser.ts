// A fake of the browser events the capture layer registers, plus a loader for the recorded
// event fixtures in test/fixtures/events/{chrome,firefox}/. Fixtures write raw body bytes
// as {"$utf8": "..."} or {"$bytes": [..]}; the loader turns them into ArrayBuffers, which
// is what both browsers hand to onBeforeRequest.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CaptureApi, EventLike } from '../../../src/platform/capture.ts';

export type Flavor = 'chrome' | 'firefox';

export interface FixtureEvent {
  event: string;
  details: unknown;
}

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/events');

export function loadScenario(flavor: Flavor, name: string): FixtureEvent[] {
  const text = readFileSync(resolve(FIXTURES, flavor, `${name}.json`), 'utf8');
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      if (typeof v['$utf8'] === 'string') return new TextEncoder().encode(v['$utf8']).buffer;
      if (Array.isArray(v['$bytes'])) return Uint8Array.from(v['$bytes'] as number[]).buffer;
    }
    return value;
  }) as FixtureEvent[];
}

interface Registration {
  listener: (...args: unknown[]) => void;
  extra: unknown[];
}

export interface FakeBrowser {
  api: CaptureApi;
  registrations: Map<string, Registration>;
  emit(event: string, ...args: unknown[]): void;
  replay(events: FixtureEvent[]): void;
}

export function createFakeBrowser(flavor: Flavor): FakeBrowser {
  const registrations = new Map<string, Registration>();
  const event = (name: string): EventLike => ({
    addListener(listener: (...args: unknown[]) => void, ...extra: unknown[]) {
      const spec = extra[1];
      // Firefox: `Invalid enumeration value "extraHeaders"` (browser-recipes.md §6).
      if (flavor === 'firefox' && Array.isArray(spec) && spec.includes('extraHeaders')) {
        throw new Error('Invalid enumeration value "extraHeaders"');
      }
      registrations.set(name, { listener, extra });
    },
  });
  const webRequest: CaptureApi['webRequest'] = {
    onBeforeRequest: event('onBeforeRequest'),
    onBeforeSendHeaders: event('onBeforeSendHeaders'),
    onHeadersReceived: event('onHeadersReceived'),
    onBeforeRedirect: event('onBeforeRedirect'),
    onCompleted: event('onCompleted'),
    onErrorOccurred: event('onErrorOccurred'),
  };
  if (flavor === 'chrome') {
    webRequest.OnBeforeSendHeadersOptions = { EXTRA_HEADERS: 'extraHeaders' };
    webRequest.OnHeadersReceivedOptions = { EXTRA_HEADERS: 'extraHeaders' };
  }
  const api: CaptureApi = {
    webRequest,
    cookies: { onChanged: event('cookies.onChanged') },
    webNavigation: {
      onCommitted: event('webNavigation.onCommitted'),
      onCompleted: event('webNavigation.onCompleted'),
      onErrorOccurred: event('webNavigation.onErrorOccurred'),
    },
    tabs: { onRemoved: event('tabs.onRemoved') },
  };
  const emit = (name: string, ...args: unknown[]) => {
    const r = registrations.get(name);
    if (!r) throw new Error(`no listener for ${name}`);
    r.listener(...args);
  };
  return {
    api,
    registrations,
    emit,
    replay(events) {
      for (const e of events) emit(e.event, e.details);
    },
  };
}
