// The isolated-world relay: receives the page-world records over the private channel, turns
// them into validated PageEvents (stacks → calling script, values → verdicts and hashes,
// bodies → checked and dropped), adds typed values, and sends batches to the background.
// Everything from the page world is treated as forged until checked: the page shares the DOM.
import { LIMITS, type PageEvent, type PageEventBatch } from '../core/pageworld/events.ts';
import { toPageEvents, type RawRecord } from '../core/pageworld/convert.ts';
import { FLUSH_MS, HANDOFF_ATTRIBUTE, HELLO_EVENT } from './channel.ts';
import { onMessage, sendMessage } from './runtime.ts';

/** Delay before typed values are sent (coalesces keystrokes; see schedule()). */
const TYPED_FLUSH_MS = 40;
import { captureTyped } from './typed.ts';
import { createLedger } from './ledger.ts';

/** Records accepted per page-world flush, and events kept waiting at most. */
const MAX_RECORDS_PER_MESSAGE = 500;
const MAX_QUEUE = 2_000;
/** Raw page-world text waiting to be parsed, at most (a hostile page can flood the channel). */
const MAX_INBOX_CHARS = 8_000_000;

function randomName(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `lw${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function start(): void {
  const channel = randomName();
  let queue: PageEvent[] = [];
  let dropped = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let dead = false;

  const title = watchTitle(() => schedule(0));

  // Request recovery after a worker restart (./ledger.ts): idle until the background asks.
  const ledger = createLedger({
    send: (payload) => {
      sendMessage({ type: 'resourceLedger', payload }).catch(() => undefined);
    },
  });
  onMessage((message) => ledger.onRequest(message));

  let typedDirty = false;
  const typed = captureTyped(document, () => {
    typedDirty = true;
    schedule(TYPED_FLUSH_MS);
  });

  // Typed values race the page's own requests: a tag may send the field on blur, and the
  // background only matches values it already knows. So they go out after a short pause that
  // merely coalesces keystrokes, not the usual batch interval.
  function schedule(delay = FLUSH_MS): void {
    if (dead) return;
    if (timer !== null && delay < FLUSH_MS) clearTimeout(timer);
    else if (timer !== null) return;
    timer = setTimeout(send, delay);
  }

  function send(): void {
    timer = null;
    drainInbox();
    let first = true;
    let newTitle = title.takeChanged();
    while (
      !dead &&
      (queue.length > 0 || (first && (dropped > 0 || typedDirty || newTitle !== null)))
    ) {
      first = false;
      typedDirty = false;
      const batch: PageEventBatch = {
        events: queue.slice(0, LIMITS.eventsPerBatch),
        typed: typed.takeChanged(),
        dropped,
      };
      if (newTitle !== null) batch.title = newTitle;
      newTitle = null;
      queue = queue.slice(LIMITS.eventsPerBatch);
      dropped = 0;
      sendMessage({ type: 'pageEvents', payload: batch }).catch(() => {
        // The extension was reloaded or the background refused: stop, quietly.
        dead = true;
      });
    }
  }

  // The page world's flush dispatches synchronously inside a page call: only stash the
  // string here and do the parsing when sending, off the page's hot path.
  let inbox: string[] = [];
  let inboxChars = 0;

  function onRecords(event: Event): void {
    event.stopImmediatePropagation();
    const detail: unknown = (event as CustomEvent).detail;
    if (typeof detail !== 'string') return;
    if (inboxChars + detail.length > MAX_INBOX_CHARS) {
      dropped++;
      return;
    }
    inbox.push(detail);
    inboxChars += detail.length;
    if (hiding) send();
    else schedule();
  }

  // The document is going away (navigation, tab closed): what is waiting goes out now, and
  // so does the page world's last flush, which arrives during the same pagehide dispatch.
  let hiding = false;
  addEventListener(
    'pagehide',
    () => {
      hiding = true;
      if (timer !== null) clearTimeout(timer);
      send();
    },
    { capture: true },
  );
  addEventListener('pageshow', () => void (hiding = false), { capture: true });

  function drainInbox(): void {
    const pending = inbox;
    inbox = [];
    inboxChars = 0;
    const state = { frameUrl: location.href, typed: typed.fields(), submitted: typed.submitted() };
    for (const detail of pending) {
      let parsed: { records?: unknown; dropped?: unknown };
      try {
        parsed = JSON.parse(detail) as typeof parsed;
      } catch {
        continue;
      }
      if (!Array.isArray(parsed.records)) continue;
      if (typeof parsed.dropped === 'number' && parsed.dropped > 0) {
        dropped += Math.min(parsed.dropped, 1e6);
      }
      for (const raw of parsed.records.slice(0, MAX_RECORDS_PER_MESSAGE)) {
        for (const e of toPageEvents(raw as RawRecord, state)) {
          if (queue.length < MAX_QUEUE) queue.push(e);
          else dropped++;
        }
      }
      dropped += Math.max(0, parsed.records.length - MAX_RECORDS_PER_MESSAGE);
    }
  }

  document.addEventListener(channel, onRecords, true);
  // Hand the name over (see ./channel.ts): to a page-world script already listening, else
  // through the attribute it reads when it starts.
  const hello = new CustomEvent(HELLO_EVENT, { detail: channel, cancelable: true });
  const taken = !document.dispatchEvent(hello);
  const root = document.documentElement;
  if (!taken && root) {
    root.setAttribute(HANDOFF_ATTRIBUTE, channel);
    // If the page-world script never ran in this frame, do not leave the attribute for the
    // page to see; offer the name once more to a page world that started late.
    setTimeout(() => {
      if (root.getAttribute(HANDOFF_ATTRIBUTE) !== channel) return;
      root.removeAttribute(HANDOFF_ATTRIBUTE);
      document.dispatchEvent(new CustomEvent(HELLO_EVENT, { detail: channel, cancelable: true }));
    }, 0);
  }
}

/**
 * The top document's title, for page-url-leak (a tag that sends `document.title`, as GA's
 * `dt=` does). Top frame only. Until the title is first seen, the whole document is observed
 * (the title is parsed early, so this is short) so it can go out before the page's tags
 * fire; then only `<head>`'s children and the `<title>` element's text are watched.
 * `document.title` is read from this (isolated) world: the page cannot patch its getter.
 */
function watchTitle(onChange: () => void): { takeChanged(): string | null } {
  let top: boolean;
  try {
    top = window === window.top;
  } catch {
    top = false;
  }
  if (!top) return { takeChanged: () => null };
  let sent = '';
  let watched: Element | null = null;
  const read = () => (document.title ?? '').slice(0, LIMITS.titleChars);
  const observer = new MutationObserver(check);
  function narrow(): void {
    const el = document.querySelector('head > title, title');
    if (el === watched && watched !== null) return;
    observer.disconnect();
    watched = el;
    if (document.head) observer.observe(document.head, { childList: true });
    if (el) observer.observe(el, { childList: true, characterData: true, subtree: true });
  }
  let broad = true;
  function check(): void {
    const now = read();
    if (now !== '' || !broad) {
      broad = false;
      narrow();
    }
    if (now !== sent) onChange();
  }
  observer.observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', () => {
    broad = false;
    check();
  });
  return {
    takeChanged() {
      const now = read();
      if (now === sent) return null;
      sent = now;
      return now;
    },
  };
}

try {
  start();
} catch {
  // A document where content scripts cannot work (e.g. an XML document): nothing to do.
}
