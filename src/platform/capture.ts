// The thin layer that registers every capture listener. Call start() synchronously at the
// top of the background script: an MV3 worker woken by an event only delivers it to
// listeners registered during its first turn. Conversion lives in the pure modules beside
// this one; every listener here is wrapped so no exception escapes into the browser.
import { createRequestAssembler, type CapturedRequest } from './request-assembler.ts';
import { convertCookieChange, type CapturedCookie } from './cookie-events.ts';
import {
  convertCommitted,
  convertLoaded,
  convertTabRemoved,
  type NavigationEvent,
} from './navigation.ts';

export interface CaptureHandlers {
  request(captured: CapturedRequest): void;
  cookie(captured: CapturedCookie): void;
  navigation(nav: NavigationEvent): void;
  /** A tab's top document fired its load event, or failed to load. */
  pageLoaded(tabId: number): void;
  tabRemoved(tabId: number): void;
}

/** The slice of an extension event we use; polyfill and native events both fit. */
export interface EventLike {
  addListener(callback: (...args: unknown[]) => void, ...extra: never[]): void;
}

/** What capture needs from the browser (structural, so tests pass a fake). */
export interface CaptureApi {
  webRequest: {
    onBeforeRequest: EventLike;
    onBeforeSendHeaders: EventLike;
    onHeadersReceived: EventLike;
    onBeforeRedirect: EventLike;
    onCompleted: EventLike;
    onErrorOccurred: EventLike;
    OnBeforeSendHeadersOptions?: { EXTRA_HEADERS?: string };
    OnHeadersReceivedOptions?: { EXTRA_HEADERS?: string };
  };
  cookies: { onChanged: EventLike };
  webNavigation: { onCommitted: EventLike; onCompleted: EventLike; onErrorOccurred: EventLike };
  tabs: { onRemoved: EventLike };
}

export interface CaptureOptions {
  idPrefix: string;
  ownOrigin: string | null;
  log?: (message: string, error: unknown) => void;
  now?: () => number;
}

type Listener = (...args: unknown[]) => void;

/** Registers every listener; returns the assembler for flushing in-flight requests. */
export function startCapture(api: CaptureApi, handlers: CaptureHandlers, opts: CaptureOptions) {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((m: string, e: unknown) => console.error(m, e));
  const failed = new Set<string>();

  // Log a failing listener once, then keep going: one bad event must not stop capture.
  const guard =
    (name: string, fn: Listener): Listener =>
    (...args) => {
      try {
        fn(...args);
      } catch (error) {
        if (failed.has(name)) return;
        failed.add(name);
        log(`leakwatch: ${name} listener failed`, error);
      }
    };

  const assembler = createRequestAssembler({
    onRecord: (c) => handlers.request(c),
    idPrefix: opts.idPrefix,
    ownOrigin: opts.ownOrigin,
    now,
  });

  const filter = { urls: ['<all_urls>'] };
  // Chrome hides Cookie, Set-Cookie and Referer unless 'extraHeaders' is asked for;
  // Firefox shows them anyway and throws on the unknown value. Feature detection only.
  const sendExtra = api.webRequest.OnBeforeSendHeadersOptions?.EXTRA_HEADERS;
  const recvExtra = api.webRequest.OnHeadersReceivedOptions?.EXTRA_HEADERS ?? sendExtra;
  const wr = api.webRequest;

  add(wr.onBeforeRequest, guard('onBeforeRequest', assembler.beforeRequest), filter, [
    'requestBody',
  ]);
  add(
    wr.onBeforeSendHeaders,
    guard('onBeforeSendHeaders', assembler.beforeSendHeaders),
    filter,
    sendExtra ? ['requestHeaders', sendExtra] : ['requestHeaders'],
  );
  add(
    wr.onHeadersReceived,
    guard('onHeadersReceived', assembler.headersReceived),
    filter,
    recvExtra ? ['responseHeaders', recvExtra] : ['responseHeaders'],
  );
  add(wr.onBeforeRedirect, guard('onBeforeRedirect', assembler.beforeRedirect), filter);
  add(wr.onCompleted, guard('onCompleted', assembler.completed), filter);
  add(wr.onErrorOccurred, guard('onErrorOccurred', assembler.errorOccurred), filter);
  add(
    api.cookies.onChanged,
    guard('cookies.onChanged', (info) => {
      const c = convertCookieChange(info, now());
      if (c) handlers.cookie(c);
    }),
  );
  add(
    api.webNavigation.onCommitted,
    guard('webNavigation.onCommitted', (details) => {
      const nav = convertCommitted(details, now());
      if (nav) handlers.navigation(nav);
    }),
  );
  // Top frames only (the filter is applied here: webNavigation filters match URLs, not frames).
  const loaded: Listener = (details) => {
    const tabId = convertLoaded(details);
    if (tabId !== null) handlers.pageLoaded(tabId);
  };
  add(api.webNavigation.onCompleted, guard('webNavigation.onCompleted', loaded));
  add(api.webNavigation.onErrorOccurred, guard('webNavigation.onErrorOccurred', loaded));
  add(
    api.tabs.onRemoved,
    guard('tabs.onRemoved', (tabId) => {
      const id = convertTabRemoved(tabId);
      if (id !== null) handlers.tabRemoved(id);
    }),
  );

  function add(event: EventLike, listener: Listener, ...extra: unknown[]): void {
    const addListener = event.addListener.bind(event) as (...a: unknown[]) => void;
    try {
      addListener(listener, ...extra);
    } catch (error) {
      // A browser rejecting an option (an extraInfoSpec value it does not know) must not
      // cost us the whole event: retry with the required options only.
      const spec = extra[1];
      if (!Array.isArray(spec) || spec.length < 2) throw error;
      log('leakwatch: listener options rejected, retrying without extras', error);
      addListener(listener, extra[0], spec.slice(0, 1));
    }
  }

  return { assembler };
}
