// Looks inside request bodies the page world saw (fetch, XHR, sendBeacon, WebSocket), in the
// relay, so the body never travels further: did the body carry what the user is typing, and
// does it look like a session-replay recording?
import type { FieldKind } from './events.ts';

export interface TypedField {
  field: FieldKind;
  value: string;
}

export interface TypedHit {
  field: FieldKind;
  encoding: 'plain' | 'url' | 'base64';
}

/**
 * Shorter prefixes match by accident. Six characters of an email or phone number being typed
 * are already specific; key loggers send the field as it grows, so a prefix is what arrives.
 */
export const MIN_TYPED_MATCH = 6;

function base64(s: string): string | null {
  try {
    // UTF-8 first: btoa only takes Latin-1.
    const bytes = new TextEncoder().encode(s);
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    return btoa(bin);
  } catch {
    return null;
  }
}

/**
 * The first typed field whose value (or its first MIN_TYPED_MATCH characters: the part sent
 * while typing) appears in `text`, plain (case-insensitive), url-encoded or base64.
 * Hashed forms are the leak detectors' job on the network side (they see the same requests).
 */
export function findTypedValue(text: string, typed: readonly TypedField[]): TypedHit | null {
  if (!text) return null;
  const lower = text.toLowerCase();
  for (const t of typed) {
    const v = t.value.trim();
    if (v.length < MIN_TYPED_MATCH) continue;
    const prefix = v.slice(0, MIN_TYPED_MATCH).toLowerCase();
    if (lower.includes(prefix)) return { field: t.field, encoding: 'plain' };
    const enc = encodeURIComponent(prefix).toLowerCase();
    if (enc !== prefix && lower.includes(enc)) return { field: t.field, encoding: 'url' };
    // Six bytes are eight base64 characters at the start of the encoded value.
    const b64 = base64(v.slice(0, MIN_TYPED_MATCH));
    if (b64 && text.includes(b64.slice(0, 8))) return { field: t.field, encoding: 'base64' };
  }
  return null;
}

// rrweb (the recorder library inside PostHog, LogRocket, Sentry Replay, Highlight, OpenReplay
// and others) serializes a full DOM snapshot as {"type":2,"data":{"node":{"type":0,
// "childNodes":...}}} and incremental changes as {"type":3,"data":{"source":N,...}}.
const RRWEB_FULL = /"data"\s*:\s*\{\s*"node"\s*:\s*\{\s*"type"\s*:\s*0\s*,\s*"childNodes"/;
const RRWEB_INCREMENTAL =
  /"type"\s*:\s*3\s*,\s*"data"\s*:\s*\{\s*"source"\s*:\s*\d+\s*,\s*"(?:positions|texts|attributes|adds|removes|text|id|x)"/;

export function isRecordingPayload(body: string): boolean {
  const head = body.slice(0, 65_536);
  return RRWEB_FULL.test(head) || RRWEB_INCREMENTAL.test(head);
}
