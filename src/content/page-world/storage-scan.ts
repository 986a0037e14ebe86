// Web storage written by property assignment: `localStorage.uid = v`, `localStorage['uid']
// = v`, `Object.assign(localStorage, ...)`. Those go to Storage's named-property setter,
// which no prototype hook can see; replacing window.localStorage with a Proxy would change
// what the page sees (identity, brand checks), so the page world compares instead: it keeps
// the values it last saw (setItem calls included, see hooks-identity.ts) and looks again
// - right after each external script has run (its `load` event): a change is attributed to
//   that script's URL, by timing. A script whose write lands later (a timer, a response)
//   is missed here, and an inline or async script running in between can be mistaken for
//   it; the record says how it was attributed so the finding can say so;
// - at DOMContentLoaded, load and pagehide: changes found then have no script (the frame's
//   party decides, as for inline code).
// Storage with more than MAX_KEYS keys is not scanned (cost), nor is a frame whose storage
// is not readable (sandboxed, blocked).
import { emit } from './emit.ts';
import { apply, cut, doc, getOwn, getterOf, listen, read, win, type Fn } from './intrinsics.ts';

const MAX_KEYS = 200;
const MAX_REPORTS = 50;

const g = globalThis as unknown as { [name: string]: { prototype?: object } | undefined };
const proto = (name: string): object | undefined => g[name]?.prototype;

const STORAGE = proto('Storage');
const keyAt = getOwn(STORAGE ?? {}, 'key')?.value as Fn | undefined;
const getItem = getOwn(STORAGE ?? {}, 'getItem')?.value as Fn | undefined;
const lengthOf = getterOf(STORAGE, 'length');
const localGetter = getterOf(win, 'localStorage') ?? getterOf(proto('Window'), 'localStorage');
const sessionGetter =
  getterOf(win, 'sessionStorage') ?? getterOf(proto('Window'), 'sessionStorage');
const SCRIPT = proto('HTMLScriptElement');
const srcOf = getterOf(SCRIPT, 'src');
const localNameOf = getterOf(proto('Element'), 'localName');
const MapCtor = Map;
const mapGet = MapCtor.prototype.get;
const mapSet = MapCtor.prototype.set;

/** Last value seen per area and key ('local\u0000key'). */
const seen = new MapCtor<string, string>();
/** Last value written per key through setItem, which its own hook reports. */
const written = new MapCtor<string, string>();
let reports = 0;

/** Called by hooks-identity's setItem hook on every call (a Map set: cheap). */
export function noteStorageWrite(key: string, value: string): void {
  apply(mapSet, written, [key, value]);
}

function scanArea(
  area: 'local' | 'session',
  getter: ReturnType<typeof getterOf>,
  script: string | null,
  quiet: boolean,
): void {
  const st = read(getter, win);
  if (!st || typeof keyAt !== 'function' || typeof getItem !== 'function') return;
  const n = read(lengthOf, st);
  if (typeof n !== 'number' || n > MAX_KEYS) return;
  for (let i = 0; i < n; i++) {
    const key = apply(keyAt, st, [i]);
    if (typeof key !== 'string') continue;
    const value = apply(getItem, st, [key]);
    if (typeof value !== 'string') continue;
    const id = `${area}\u0000${key}`;
    if (apply(mapGet, seen, [id]) === value) continue;
    apply(mapSet, seen, [id, value]);
    if (quiet || reports >= MAX_REPORTS || apply(mapGet, written, [key]) === value) continue;
    reports++;
    emit({
      __proto__: null,
      k: 'storage-write',
      s: '',
      su: script ?? '',
      via: 'assignment',
      area,
      key: cut(key, 256),
      v: cut(value, 4_096),
      vl: value.length,
    } as never);
  }
}

/** `quiet`: record what is there without reporting it (the state before any script ran). */
function scan(script: string | null, quiet = false): void {
  try {
    scanArea('local', localGetter, script, quiet);
    scanArea('session', sessionGetter, script, quiet);
  } catch {
    // Storage can throw on access (sandboxed frame, blocked cookies): nothing to scan.
  }
}

function onLoad(event: Event): void {
  const target = event.target;
  if (!SCRIPT || typeof target !== 'object' || target === null) return;
  // Images load far more often than scripts: the cheap check first.
  if (read(localNameOf, target) !== 'script') return;
  const src = read(srcOf, target);
  if (typeof src !== 'string' || !src) return;
  scan(src);
}

export function watchStorageAssignments(): void {
  // What was stored before this document's scripts ran is not theirs to answer for.
  scan(null, true);
  const opts = { capture: true, passive: true };
  apply(listen, doc, ['load', onLoad, opts]);
  apply(listen, doc, ['DOMContentLoaded', () => scan(null), opts]);
  apply(listen, win, ['load', () => scan(null), opts]);
  apply(listen, win, ['pagehide', () => scan(null), opts]);
}
