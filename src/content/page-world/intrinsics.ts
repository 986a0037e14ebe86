// Everything the page-world script calls at run time, captured once at document_start,
// before any page script exists. Hooks then never look anything up on a prototype the page
// can replace later (Function.prototype.call, Array.prototype.push, JSON.stringify, ...):
// a page that patches those can neither break the instrumentation nor observe it.
// Methods are called as apply(method, thisArg, args) with the saved Reflect.apply.
/* eslint-disable @typescript-eslint/no-unsafe-function-type */

export type Fn = (...args: unknown[]) => unknown;

export const apply = Reflect.apply as (
  fn: Function,
  thisArg: unknown,
  args: ArrayLike<unknown>,
) => unknown;
export const getOwn = Object.getOwnPropertyDescriptor;
export const define = Object.defineProperty;
export const WeakMapCtor = WeakMap;
export const WeakSetCtor = WeakSet;
export const SetCtor = Set;
export const stringify = JSON.stringify;
export const dateNow = Date.now;
export const round = Math.round;
export const NativeError = Error;
export const CustomEventCtor = CustomEvent;
export const setTimer = setTimeout;
export const doc = document;
export const win = window;

const WM = WeakMap.prototype;
const WS = WeakSet.prototype;
const SP = Set.prototype;
export const wmGet = WM.get;
export const wmSet = WM.set;
export const wmHas = WM.has;
export const wsHas = WS.has;
export const wsAdd = WS.add;
export const setHas = SP.has;
export const setAdd = SP.add;
export const strSlice = String.prototype.slice;
export const strLower = String.prototype.toLowerCase;
export const strIndexOf = String.prototype.indexOf;
export const dispatch = EventTarget.prototype.dispatchEvent;
export const listen = EventTarget.prototype.addEventListener;
export const unlisten = EventTarget.prototype.removeEventListener;
export const getAttr = Element.prototype.getAttribute;
export const removeAttr = Element.prototype.removeAttribute;
export const fnToString = Function.prototype.toString;
export const preventDefault = Event.prototype.preventDefault;

/**
 * The value of an own data property of `o` without running getters and without reading
 * anything through Object.prototype (where a page could plant `value` or `get`):
 * `found` is false for missing and accessor properties.
 */
export function ownData(o: unknown, name: string): { found: boolean; value: unknown } {
  if ((typeof o !== 'object' && typeof o !== 'function') || o === null)
    return { found: false, value: undefined };
  const d = getOwn(o, name);
  if (!d) return { found: false, value: undefined };
  // Fields of a descriptor object are its own data properties: read them the same way.
  const v = getOwn(d, 'value');
  return v ? { found: true, value: v.value } : { found: false, value: undefined };
}

/** A saved accessor getter, or null when the browser has no such property. */
export function getterOf(proto: object | undefined, name: string): Function | null {
  if (!proto) return null;
  const d = getOwn(proto, name);
  return d && typeof d.get === 'function' ? d.get : null;
}

/** Calls a saved getter; undefined when it is missing or throws. */
export function read(getter: Function | null, target: unknown): unknown {
  if (!getter) return undefined;
  try {
    return apply(getter, target, []);
  } catch {
    return undefined;
  }
}

// Firefox keeps `stack` as an accessor on Error.prototype (a page could replace it); V8 puts
// it on each error object.
export const stackGetter = getterOf(Error.prototype, 'stack');

/**
 * A handle on the current stack, cheap to take inside a page call: the error object only.
 * V8 records the frames when the error is made but formats them into text (the costly part:
 * source positions, script names) only when `stack` is first read, and SpiderMonkey's
 * getter does the same; so records keep the handle and emit.ts formats it with stackText()
 * at its flush, outside the page's call. The error object never reaches the page.
 */
export type StackHandle = object;

export function captureStack(): StackHandle {
  return new NativeError();
}

/**
 * The text of a stack handle. If the page installed Error.prepareStackTrace (V8), it is set
 * aside for this one read so the page's formatter neither sees our frames nor changes the
 * format; accessor properties are left alone (reading them would be observable).
 */
export function stackText(handle: unknown): string {
  if (typeof handle !== 'object' || handle === null) return '';
  try {
    const d = ownData(NativeError, 'prepareStackTrace');
    const w = d.found
      ? getOwn(getOwn(NativeError, 'prepareStackTrace') as object, 'writable')
      : undefined;
    const swap = d.found && d.value !== undefined && w?.value === true;
    if (swap)
      (NativeError as unknown as { prepareStackTrace: unknown }).prepareStackTrace = undefined;
    try {
      const s = stackGetter
        ? apply(stackGetter, handle, [])
        : (handle as { stack?: unknown }).stack;
      return typeof s === 'string' ? s : '';
    } finally {
      if (swap)
        (NativeError as unknown as { prepareStackTrace: unknown }).prepareStackTrace = d.value;
    }
  } catch {
    return '';
  }
}

/** String.prototype.slice through the saved method. */
export function cut(s: string, max: number): string {
  return s.length > max ? (apply(strSlice, s, [0, max]) as string) : s;
}

export function lower(s: string): string {
  return apply(strLower, s, []) as string;
}

/**
 * The URL prefix of our own script as it appears in stacks (chrome-extension://id/ or
 * moz-extension://uuid/). Computed once at start-up, while the prototypes are still pristine.
 */
export const selfUrl: string = (() => {
  const m = /(?:chrome|moz|safari-web)-extension:\/\/[^/\s)]+\//.exec(stackText(captureStack()));
  return m ? m[0] : '';
})();

/** `stack` without the lines of our own frames (errors thrown by originals we called). */
export function scrubStack(stack: string): string {
  if (!selfUrl || (apply(strIndexOf, stack, [selfUrl]) as number) < 0) return stack;
  let out = '';
  let pos = 0;
  let first = true;
  while (pos <= stack.length) {
    let nl = apply(strIndexOf, stack, ['\n', pos]) as number;
    if (nl < 0) nl = stack.length;
    const line = apply(strSlice, stack, [pos, nl]) as string;
    if ((apply(strIndexOf, line, [selfUrl]) as number) < 0) {
      out = first ? line : `${out}\n${line}`;
      first = false;
    }
    pos = nl + 1;
  }
  return out;
}
