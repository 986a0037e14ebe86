// Identity surfaces: cookies (document.cookie, CookieStore), web storage writes, and the
// navigator/screen properties fingerprinters enumerate. Cookie and storage values go to the
// relay, which reduces them to a verdict and a hash; they never reach the background.
import { allow } from './budget.ts';
import { emit } from './emit.ts';
import {
  apply,
  captureStack,
  cut,
  dateNow,
  getterOf,
  ownData,
  read,
  round,
  strIndexOf,
  strSlice,
  win,
} from './intrinsics.ts';
import { hookAccessor, hookMethod } from './wrap.ts';
import { noteStorageWrite } from './storage-scan.ts';

const g = globalThis as unknown as { [name: string]: { prototype?: object } | undefined };
const proto = (name: string): object | undefined => g[name]?.prototype;

/** A primitive as the browser would stringify it; null for objects (their toString is the page's). */
function primitive(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return `${v}`;
  return null;
}

/** An own data property of a page object, without running getters. */
function dataProp(o: unknown, name: string): unknown {
  if (typeof o !== 'object' || o === null) return undefined;
  try {
    return ownData(o, name).value;
  } catch {
    return undefined;
  }
}

/** Cookie names with a write budget of their own; past this many, one shared budget. */
const MAX_COOKIE_NAMES = 300;
const cookieNames: { [name: string]: number } = { __proto__: null } as never;
let cookieNameCount = 0;

/**
 * Whether to report this document.cookie write. Per cookie name, the first writes are
 * reported (the background joins them with the browser's cookie event to name the writing
 * script; a script that mints an id writes it once or a few times), then one in 64: a page
 * that rewrites the same cookies in a loop pays for a stack rarely.
 */
function allowCookieWrite(v: string): boolean {
  const eq = apply(strIndexOf, v, ['=']) as number;
  const name = cut(eq < 0 ? '' : (apply(strSlice, v, [0, eq]) as string), 256);
  let n = cookieNames[name];
  if (n === undefined) {
    if (cookieNameCount >= MAX_COOKIE_NAMES) return allow('cookie:set', 200, 64);
    cookieNameCount++;
    n = 0;
  }
  cookieNames[name] = n + 1;
  return n < 4 || n % 64 === 0;
}

export function hookCookies(): void {
  hookAccessor(
    proto('Document'),
    'cookie',
    () => {
      if (allow('cookie:get'))
        emit({ __proto__: null, k: 'cookie-read', s: captureStack() } as never);
    },
    (_doc, a) => {
      const v = primitive(a[0]);
      if (v !== null && allowCookieWrite(v)) {
        emit({
          __proto__: null,
          k: 'cookie-write',
          s: captureStack(),
          v: cut(v, 4_096),
          api: 'document.cookie',
        } as never);
      }
    },
  );
  // CookieStore.set(name, value) or set({ name, value, expires, domain, path }): rebuilt as
  // the equivalent cookie string so the relay parses one format.
  hookMethod(proto('CookieStore'), 'set', (_store, a) => {
    if (!allow('cookie:store', 200, 10)) return;
    let name: unknown = a[0];
    let value: unknown = a[1];
    let attrs = '';
    if (typeof a[0] === 'object' && a[0] !== null) {
      name = dataProp(a[0], 'name');
      value = dataProp(a[0], 'value');
      const expires = dataProp(a[0], 'expires');
      const domain = dataProp(a[0], 'domain');
      const path = dataProp(a[0], 'path');
      if (typeof expires === 'number') attrs += `; max-age=${round((expires - dateNow()) / 1000)}`;
      if (typeof domain === 'string') attrs += `; domain=${domain}`;
      if (typeof path === 'string') attrs += `; path=${path}`;
    }
    const n = primitive(name);
    const v = primitive(value);
    if (n === null || v === null) return;
    emit({
      __proto__: null,
      k: 'cookie-write',
      s: captureStack(),
      v: cut(`${n}=${v}${attrs}`, 4_096),
      api: 'cookieStore',
    } as never);
  });
}

const localGetter = getterOf(win, 'localStorage') ?? getterOf(proto('Window'), 'localStorage');
const sessionGetter =
  getterOf(win, 'sessionStorage') ?? getterOf(proto('Window'), 'sessionStorage');

export function hookStorage(): void {
  hookMethod(proto('Storage'), 'setItem', (storage, a) => {
    const key = primitive(a[0]);
    const value = primitive(a[1]);
    if (key === null || value === null) return;
    noteStorageWrite(key, value);
    // Sampled first (per key), so the storage getters below are not read on every call.
    if (!allow(`st:${cut(key, 128)}`, 3, 100)) return;
    // Reading the storage getters can throw in sandboxed frames; read() returns undefined then.
    const area =
      storage === read(localGetter, win)
        ? 'local'
        : storage === read(sessionGetter, win)
          ? 'session'
          : null;
    if (!area) return;
    emit({
      __proto__: null,
      k: 'storage-write',
      s: captureStack(),
      area,
      key: cut(key, 256),
      v: cut(value, 4_096),
      vl: value.length,
    } as never);
  });
}

/** What fingerprinters read; ordinary scripts read a handful, fingerprinters most of them. */
const NAVIGATOR_PROPS = [
  'userAgent',
  'appVersion',
  'platform',
  'vendor',
  'language',
  'languages',
  'hardwareConcurrency',
  'deviceMemory',
  'maxTouchPoints',
  'plugins',
  'mimeTypes',
  'doNotTrack',
  'cookieEnabled',
  'productSub',
  'webdriver',
  'pdfViewerEnabled',
  'connection',
  'oscpu',
  'buildID',
];
const SCREEN_PROPS = ['width', 'height', 'availWidth', 'availHeight', 'colorDepth', 'pixelDepth'];

export function hookNavigator(): void {
  const nav = proto('Navigator');
  for (const prop of NAVIGATOR_PROPS) {
    const key = `nv:${prop}`; // built once: the getters are hot (userAgent)
    hookAccessor(
      nav,
      prop,
      () => {
        if (allow(key))
          emit({ __proto__: null, k: 'navigator', s: captureStack(), p: prop } as never);
      },
      null,
    );
  }
  const screen = proto('Screen');
  for (const prop of SCREEN_PROPS) {
    const p = `screen.${prop}`;
    const key = `nv:${p}`;
    hookAccessor(
      screen,
      prop,
      () => {
        if (allow(key)) emit({ __proto__: null, k: 'navigator', s: captureStack(), p } as never);
      },
      null,
    );
  }
}
