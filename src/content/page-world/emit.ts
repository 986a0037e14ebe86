// Buffering and sending records to the relay. Records are serialized at once into one string
// (JSON of null-prototype objects holding only primitives, so no page-defined toJSON is ever
// consulted) and sent every FLUSH_MS, or sooner when FLUSH_RECORDS are waiting.
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
  stringify,
  unlisten,
} from './intrinsics.ts';

/** Per document: beyond this the page world drops records (the background also rate-limits). */
const MAX_RECORDS = 5_000;

let channel: string | null = null;
let buffer = '';
let pending = 0;
let total = 0;
let dropped = 0;
let scheduled = false;

/** A record: `k` names it; values are primitives only. */
export type Record = { [key: string]: string | number | boolean | null };

export function emit(record: Record): void {
  if (total >= MAX_RECORDS) {
    dropped++;
    return;
  }
  total++;
  (record as { ts?: number }).ts = dateNow();
  buffer =
    pending === 0 ? (stringify(record) as string) : `${buffer},${stringify(record) as string}`;
  pending++;
  if (pending >= FLUSH_RECORDS) flush();
  else if (!scheduled) {
    scheduled = true;
    setTimer(flush, FLUSH_MS);
  }
}

function flush(): void {
  scheduled = false;
  if (!channel || pending === 0) return;
  const detail = `{"records":[${buffer}],"dropped":${dropped}}`;
  buffer = '';
  pending = 0;
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
