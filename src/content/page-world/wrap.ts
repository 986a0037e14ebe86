// Installing hooks without changing what the page can see or do.
// - Each hooked function is replaced by a wrapper made with method syntax (`{ [name]() {} }`,
//   `{ get [name]() {} }`): like a native method it has no `prototype`, cannot be called
//   with `new`, and its own properties are just `length` and `name`, set to the original's.
//   The call goes to the original with the same `this` and arguments. (A Proxy would copy
//   the original even more exactly, but V8 does not optimise Proxy calls: measured in
//   Chromium 156, a Proxy trap cost ~3 µs per call on hot paths such as appendChild, a plain
//   wrapper a small fraction of that.)
// - Function.prototype.toString is wrapped the same way and answers for every wrapper with
//   the original's source ("function fetch() { [native code] }"), itself included.
// - Errors thrown by an original keep their identity; only our frame is cut from the stack.
// - Observers run before (or, for setters whose result we read back, after) the original,
//   inside try/catch: nothing they do can throw into the page, and a reentrancy flag stops
//   an observer from observing itself.
// - Properties keep their enumerable/configurable/writable attributes; nothing is added
//   anywhere, so Object.getOwnPropertyNames of every object is unchanged.
/* eslint-disable @typescript-eslint/no-unsafe-function-type */
import {
  WeakMapCtor,
  apply,
  define,
  fnToString,
  getOwn,
  ownData,
  scrubStack,
  stackGetter,
  wmGet,
  wmHas,
  wmSet,
} from './intrinsics.ts';

export type Observer = (thisArg: unknown, args: readonly unknown[]) => void;

const originals = new WeakMapCtor<object, Function>();
let busy = false;

function run(observer: Observer, thisArg: unknown, args: readonly unknown[]): void {
  if (busy) return;
  busy = true;
  try {
    observer(thisArg, args);
  } catch {
    // Never into the page.
  } finally {
    busy = false;
  }
}

/**
 * An error the original threw, passed through our trap: its stack would show our frame
 * (`at Object.apply (chrome-extension://…)`), which tells the page the extension is there.
 * The frame is cut from the stack; the error object is otherwise the same one.
 */
function scrub(error: unknown): unknown {
  try {
    if (typeof error !== 'object' || error === null) return error;
    const d = getOwn(error, 'stack');
    let stack: unknown;
    if (d) {
      // V8: an own property (data, or an accessor in some versions).
      const own = ownData(error, 'stack');
      const getter = getOwn(d, 'get')?.value;
      stack = own.found
        ? own.value
        : typeof getter === 'function'
          ? apply(getter, error, [])
          : undefined;
    } else {
      // SpiderMonkey: the accessor on Error.prototype, saved before the page ran.
      stack = stackGetter ? apply(stackGetter, error, []) : undefined;
    }
    if (typeof stack !== 'string') return error;
    const clean = scrubStack(stack);
    if (clean === stack) return error;
    define(error, 'stack', {
      __proto__: null,
      value: clean,
      writable: true,
      enumerable: d ? getOwn(d, 'enumerable')?.value === true : false,
      configurable: true,
    } as PropertyDescriptor);
  } catch {
    // Leave the error as it is.
  }
  return error;
}

/** Gives `wrapper` the original's `length` (rest parameters would make it 0). */
function copyLength(wrapper: Function, original: Function): Function {
  const d = getOwn(original, 'length');
  if (d) define(wrapper, 'length', d);
  apply(wmSet, originals, [wrapper, original]);
  return wrapper;
}

/** Calls the original; an error it throws leaves without our frame in its stack. */
function callOriginal(fn: Function, thisArg: unknown, args: ArrayLike<unknown>): unknown {
  try {
    return apply(fn, thisArg, args);
  } catch (error) {
    throw scrub(error);
  }
}

/** A method wrapper named `name` that runs `before`/`after` around `fn`. */
function wrap(
  fn: Function,
  before: Observer | null,
  after: Observer | null,
  name: string,
): Function {
  'use strict'; // natives see `this` as passed, even undefined (the bundle may be sloppy)
  const holder = {
    [name](this: unknown, ...args: unknown[]): unknown {
      if (before) run(before, this, args);
      const result = callOriginal(fn, this, args);
      if (after) run(after, this, args);
      return result;
    },
  };
  return copyLength(holder[name] as Function, fn);
}

function wrapGetter(name: string, fn: Function, observer: Observer): Function {
  'use strict';
  const holder = {
    get [name](): unknown {
      run(observer, this, []);
      return callOriginal(fn, this, []);
    },
  };
  return copyLength(getOwn(holder, name)!.get as Function, fn);
}

function wrapSetter(name: string, fn: Function, observer: Observer, after: boolean): Function {
  'use strict';
  const holder = {
    set [name](value: unknown) {
      if (!after) run(observer, this, [value]);
      callOriginal(fn, this, [value]);
      if (after) run(observer, this, [value]);
    },
  };
  return copyLength(getOwn(holder, name)!.set as Function, fn);
}

/** Replaces method `name` of `proto` (when present and writable or configurable). */
export function hookMethod(
  proto: object | undefined | null,
  name: string,
  before: Observer | null,
  after: Observer | null = null,
): void {
  try {
    if (!proto) return;
    const d = getOwn(proto, name);
    if (!d || typeof d.value !== 'function' || !d.configurable) return;
    define(proto, name, {
      __proto__: null,
      value: wrap(d.value as Function, before, after, name),
      writable: d.writable,
      enumerable: d.enumerable,
      configurable: true,
    } as PropertyDescriptor);
  } catch {
    // A frozen or exotic prototype: leave it alone.
  }
}

/** Wraps the getter and/or setter of accessor `name` on `proto`. */
export function hookAccessor(
  proto: object | undefined | null,
  name: string,
  onGet: Observer | null,
  onSet: Observer | null,
  setAfter = false,
): void {
  try {
    if (!proto) return;
    const d = getOwn(proto, name);
    if (!d || !d.configurable || (!d.get && !d.set)) return;
    define(proto, name, {
      __proto__: null,
      get: d.get && onGet ? wrapGetter(name, d.get, onGet) : d.get,
      set: d.set && onSet ? wrapSetter(name, d.set, onSet, setAfter) : d.set,
      enumerable: d.enumerable,
      configurable: true,
    } as PropertyDescriptor);
  } catch {
    // Leave it alone.
  }
}

/** The original behind one of our wrappers, or the value itself. */
function unwrapped(f: unknown): unknown {
  if ((typeof f !== 'function' && typeof f !== 'object') || f === null) return f;
  return apply(wmHas, originals, [f]) ? apply(wmGet, originals, [f]) : f;
}

/** Makes Function.prototype.toString answer for our wrappers with the originals' source. */
export function maskToString(): void {
  'use strict';
  const holder = {
    toString(this: unknown, ...args: unknown[]): unknown {
      return callOriginal(fnToString, unwrapped(this), args);
    },
  };
  const masked = copyLength(holder.toString, fnToString);
  try {
    const d = getOwn(Function.prototype, 'toString');
    if (!d || !d.configurable) return;
    define(Function.prototype, 'toString', {
      __proto__: null,
      value: masked,
      writable: d.writable,
      enumerable: d.enumerable,
      configurable: true,
    } as PropertyDescriptor);
  } catch {
    // Leave it alone.
  }
}
