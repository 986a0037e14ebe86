// The private channel between the page-world script (MAIN world) and the relay (isolated
// world). Shared by both sides so the names cannot drift apart.
//
// The relay makes an unguessable event name per frame load and hands it over once:
// - relay first (Chrome runs content scripts in manifest order, the relay is listed first):
//   it sets HANDOFF_ATTRIBUTE on <html>; the page-world script reads and removes it in the
//   same task, before any page script can run;
// - page world first: it listens for HELLO_EVENT; the relay dispatches it (cancelable) with
//   the name as detail, the page world takes it and cancels the event, which tells the relay
//   not to leave the attribute.
// After that the page world dispatches CustomEvent(name, { detail: JSON string }) on the
// document. Strings cross worlds unchanged in Chrome and Firefox (objects do not in Firefox).
export const HANDOFF_ATTRIBUTE = 'data-lw-channel';
export const HELLO_EVENT = 'lw-channel-hello';
/** Page-world flush interval. */
export const FLUSH_MS = 250;
/** A flush is scheduled at once (a 0 ms timer, outside the page's call) when this many records wait. */
export const FLUSH_RECORDS = 200;
