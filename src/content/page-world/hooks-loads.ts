// The tag chain: which script made the page load what. Element loads (script, iframe, img:
// by setting src, by setAttribute('src'), by inserting an element that has one) and
// script-level requests (fetch, XHR, sendBeacon, WebSocket.send). String request bodies go
// to the relay, which checks them for typed values and recording payloads and drops them.
import { emit } from './emit.ts';
import {
  WeakMapCtor,
  WeakSetCtor,
  apply,
  captureStack,
  cut,
  getOwn,
  ownData,
  getterOf,
  lower,
  read,
  win,
  wmGet,
  wmSet,
  wsAdd,
  wsHas,
} from './intrinsics.ts';
import { hookMethod, type Observer } from './wrap.ts';
import { hookAccessor } from './wrap.ts';

const g = globalThis as unknown as { [name: string]: { prototype?: object } | undefined };
const proto = (name: string): object | undefined => g[name]?.prototype;

const nodeNameOf = getterOf(proto('Node'), 'nodeName');
const SRC: { [tag: string]: ((el: unknown) => unknown) | undefined } = { __proto__: null } as never;
for (const [tag, ctor] of [
  ['SCRIPT', 'HTMLScriptElement'],
  ['IFRAME', 'HTMLIFrameElement'],
  ['IMG', 'HTMLImageElement'],
] as const) {
  const getter = getterOf(proto(ctor), 'src');
  SRC[tag] = (el) => read(getter, el);
}
const TAG: { [nodeName: string]: string } = {
  __proto__: null,
  SCRIPT: 'script',
  IFRAME: 'iframe',
  IMG: 'img',
} as never;

/** Elements already reported with this src, so insertion after `src=` is not a second edge. */
const reported = new WeakMapCtor<object, string>();
const MAX_BODY = 65_536;

function body(v: unknown): string | null {
  return typeof v === 'string' ? cut(v, MAX_BODY) : null;
}

function loadRecord(
  tag: string,
  url: string,
  method: string | null,
  data: string | null,
  length: number,
): void {
  emit({
    __proto__: null,
    k: 'load',
    s: captureStack(),
    tag,
    url: cut(url, 2_048),
    m: method,
    body: data,
    bl: length,
  } as never);
}

/** Reports an element whose src is set (and that we have not reported with that src yet). */
function onElement(el: unknown): void {
  if (typeof el !== 'object' || el === null) return;
  const name = read(nodeNameOf, el);
  if (typeof name !== 'string') return;
  const tag = TAG[name];
  const getSrc = SRC[name];
  if (!tag || !getSrc) return;
  const src = getSrc(el);
  if (typeof src !== 'string' || !src || apply(wmGet, reported, [el]) === src) return;
  apply(wmSet, reported, [el, src]);
  loadRecord(tag, src, null, null, 0);
}

const onInsertArgs: Observer = (_parent, args) => {
  for (let i = 0; i < args.length && i < 8; i++) onElement(args[i]);
};

export function hookElementLoads(): void {
  const node = proto('Node');
  hookMethod(node, 'appendChild', onInsertArgs);
  hookMethod(node, 'insertBefore', (_p, a) => onElement(a[0]));
  hookMethod(node, 'replaceChild', (_p, a) => onElement(a[0]));
  const element = proto('Element');
  for (const m of ['append', 'prepend', 'after', 'before', 'replaceWith'])
    hookMethod(element, m, onInsertArgs);
  hookMethod(element, 'insertAdjacentElement', (_p, a) => onElement(a[1]));
  // After the original: the getter then gives the absolute URL (base URL applied).
  for (const ctor of ['HTMLScriptElement', 'HTMLIFrameElement', 'HTMLImageElement']) {
    hookAccessor(proto(ctor), 'src', null, (el) => onElement(el), true);
  }
  hookMethod(element, 'setAttribute', null, (el, a) => {
    if (typeof a[0] === 'string' && lower(a[0]) === 'src') onElement(el);
  });
  hookMethod(proto('Document'), 'write', (_d, a) => onWrite(a));
  hookMethod(proto('Document'), 'writeln', (_d, a) => onWrite(a));
}

function onWrite(args: readonly unknown[]): void {
  const html = args[0];
  // Only markup that can load something; the relay extracts the URLs.
  if (typeof html !== 'string' || html.length < 10) return;
  emit({ __proto__: null, k: 'write', s: captureStack(), html: cut(html, 8_192) } as never);
}

const requestUrl = getterOf(proto('Request'), 'url');
const requestMethod = getterOf(proto('Request'), 'method');
const urlHref = getterOf(proto('URL'), 'href');

/** A fetch/XHR/beacon URL argument as a string: strings, URL objects, Requests. */
function urlArg(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v !== 'object' || v === null) return null;
  const r = read(requestUrl, v) ?? read(urlHref, v);
  return typeof r === 'string' ? r : null;
}

function option(o: unknown, name: string): unknown {
  if (typeof o !== 'object' || o === null) return undefined;
  try {
    return ownData(o, name).value;
  } catch {
    return undefined;
  }
}

const xhrs = new WeakMapCtor<object, { method: string | null; url: string }>();
const sockets = new WeakSetCtor<object>();
const socketUrl = getterOf(proto('WebSocket'), 'url');

export function hookNetwork(): void {
  const fetchHost = getOwn(win, 'fetch') ? win : proto('Window');
  hookMethod(fetchHost, 'fetch', (_w, a) => {
    const url = urlArg(a[0]);
    if (url === null) return;
    const m = option(a[1], 'method') ?? read(requestMethod, a[0]);
    const data = body(option(a[1], 'body'));
    loadRecord('fetch', url, typeof m === 'string' ? cut(m, 16) : 'GET', data, data?.length ?? 0);
  });
  const xhr = proto('XMLHttpRequest');
  hookMethod(xhr, 'open', (x, a) => {
    const url = urlArg(a[1]);
    if (url === null || typeof x !== 'object' || x === null) return;
    apply(wmSet, xhrs, [
      x,
      { __proto__: null, method: typeof a[0] === 'string' ? cut(a[0], 16) : null, url },
    ]);
  });
  hookMethod(xhr, 'send', (x, a) => {
    const r =
      typeof x === 'object' && x !== null
        ? (apply(wmGet, xhrs, [x]) as { method: string | null; url: string } | undefined)
        : undefined;
    if (!r) return;
    const data = body(a[0]);
    loadRecord('xhr', r.url, r.method, data, data?.length ?? 0);
  });
  hookMethod(proto('Navigator'), 'sendBeacon', (_n, a) => {
    const url = urlArg(a[0]);
    const data = body(a[1]);
    if (url !== null) loadRecord('beacon', url, 'POST', data, data?.length ?? 0);
  });
  hookMethod(proto('WebSocket'), 'send', (ws, a) => {
    const url = read(socketUrl, ws);
    if (typeof url !== 'string' || typeof ws !== 'object' || ws === null) return;
    const data = body(a[0]);
    // The first send always (the tag chain); later ones only when they carry text to check.
    if (apply(wsHas, sockets, [ws]) && data === null) return;
    apply(wsAdd, sockets, [ws]);
    loadRecord('websocket', url, null, data, data?.length ?? 0);
  });
}
