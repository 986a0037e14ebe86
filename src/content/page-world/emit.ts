// Buffering and sending records to the relay. A page call only stores its record (with an
// unformatted stack handle, see intrinsics.ts captureStack); the flush, a timer task of its
// own every FLUSH_MS (at once when FLUSH_RECORDS are waiting), formats the stacks and
// serializes the batch into one string (JSON of null-prototype objects holding only
// primitives, so no page-defined toJSON is ever consulted). Keeping that work out of the
// page's calls is what makes a hooked call cheap.
import { FLUSH_MS, FLUSH_RECORDS, HANDOFF_ATTRIBUTE, HELLO_EVENT } from '../channel.ts';
import {
  CustomEventCtor,
  apply,
  dateNow,
  dispatch,
  doc,
  getAttr,
  listen,
  preventDefault,
  removeAttr,
  setTimer,
  stackText,
  stringify,
  unlisten,
  win,
} from './intrinsics.ts';

/** Per document: beyond this the page world drops records (the background also rate-limits). */
const MAX_RECORDS = 5_000;

let channel: string | null = null;
let buffer = '';
let pending = 0;
let total = 0;
let dropped = 0;
let scheduled = false;

/**
 * A record: `k` names it; values are primitives, except `s`, the stack handle, which the
 * flush replaces with its text.
 */
export type Record = { [key: string]: string | number | boolean | null | object };

/**
 * Records waiting for the flush: a null-prototype object indexed 0..pending-1, so storing
 * one neither calls Array.prototype methods nor meets an indexed setter a page put there.
 */
let waiting: { [i: number]: Record } = { __proto__: null } as never;
let soon = false;

export function emit(record: Record): void {
  if (total >= MAX_RECORDS) {
    dropped++;
    return;
  }
  total++;
  record['ts'] = dateNow();
  waiting[pending++] = record;
  if (pending >= FLUSH_RECORDS && !soon) {
    // Not inside the page's call: a task of its own, as soon as the page yields.
    soon = true;
    setTimer(flush, 0);
  } else if (!scheduled) {
    scheduled = true;
    setTimer(flush, FLUSH_MS);
  }
}

/** Formats the stacks and serializes the waiting records into `buffer`. */
function serialize(): void {
  for (let i = 0; i < pending; i++) {
    const r = waiting[i] as Record;
    r['s'] = stackText(r['s']);
    const json = stringify(r) as string;
    buffer = buffer === '' ? json : `${buffer},${json}`;
  }
  waiting = { __proto__: null } as never;
  pending = 0;
}

function flush(): void {
  scheduled = false;
  soon = false;
  if (!channel || pending === 0) return;
  serialize();
  const detail = `{"records":[${buffer}],"dropped":${dropped}}`;
  buffer = '';
  dropped = 0;
  try {
    apply(dispatch, doc, [
      new CustomEventCtor(channel, { __proto__: null, detail } as CustomEventInit),
    ]);
  } catch {
    // The relay is gone (extension reloaded): records are lost, the page is unaffected.
  }
}

function onHello(event: Event): void {
  try {
    const name = (event as CustomEvent).detail;
    if (typeof name !== 'string' || channel) return;
    channel = name;
    apply(preventDefault, event, []);
    apply(unlisten, doc, [HELLO_EVENT, onHello, true]);
    if (pending > 0) flush();
  } catch {
    // Ignore.
  }
}

/** Takes the channel name from the relay (see ../channel.ts). */
export function connect(): void {
  // The document's last records go out before it is torn down (a visit left within the
  // flush interval would lose them); the relay sends at once while the page is hiding.
  apply(listen, win, ['pagehide', flush, true]);
  const root = doc.documentElement;
  if (root) {
    const name = apply(getAttr, root, [HANDOFF_ATTRIBUTE]);
    if (typeof name === 'string' && name) {
      channel = name;
      apply(removeAttr, root, [HANDOFF_ATTRIBUTE]);
      return;
    }
  }
  apply(listen, doc, [HELLO_EVENT, onHello, true]);
}
