// The relay's work, kept pure so it runs in Node tests: turn one RawRecord from the page
// world into a PageEvent. Raw values (cookie and storage values, drawn text, request bodies)
// are reduced here to verdicts, counts and hashes and go no further.
//
// Everything in a RawRecord is untrusted: the page can forge records, so each field is type-
// checked and capped, and a malformed record yields null.
import { assessIdentifierValue } from '../detectors/identifier-cookie.ts';
import { LIMITS, type FieldKind, type LoadTag, type PageEvent } from './events.ts';
import { hashValue } from './hash.ts';
import { callingScript } from './stack.ts';
import { findTypedValue, isRecordingPayload, type TypedField } from './payload.ts';
import { parseCookieWrite } from './cookie-string.ts';

/** A record as the page world serialized it: `k` names the kind, `s` is the raw stack. */
export type RawRecord = Record<string, unknown>;

export interface RelayState {
  /** URL of the frame's document (relative URLs resolve against it). */
  frameUrl: string;
  /** Latest values the user typed in identifying fields of this frame (memory only). */
  typed: readonly TypedField[];
  /** A form in this frame was submitted. */
  submitted: boolean;
}

const str = (v: unknown, max: number = LIMITS.stringChars): string | null =>
  typeof v === 'string' ? v.slice(0, max) : null;
const num = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.min(v, 1e6) : null;
const int = (v: unknown): number => Math.floor(num(v) ?? 0);
const pick = <T extends string>(v: unknown, allowed: readonly T[]): T | null =>
  typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : null;

const TAGS: readonly LoadTag[] = ['script', 'iframe', 'img', 'fetch', 'xhr', 'beacon', 'websocket'];
const FIELDS: readonly FieldKind[] = ['email', 'phone', 'name', 'password'];
const TARGETS = ['window', 'document', 'body', 'input', 'textarea', 'form', 'other'] as const;

/** Absolute http(s)/ws(s) URL of `raw` relative to the frame, or null. */
export function absoluteUrl(raw: string, base: string): string | null {
  try {
    const u = new URL(raw, base);
    if (!/^(?:https?|wss?):$/.test(u.protocol)) return null;
    return u.href.slice(0, LIMITS.urlChars);
  } catch {
    return null;
  }
}

/** Distinct code points and whether any is an emoji (emoji probes draw one or two). */
export function textStats(text: string): { distinctChars: number; emoji: boolean } {
  const seen = new Set<string>();
  for (const c of text) seen.add(c);
  return { distinctChars: seen.size, emoji: /\p{Extended_Pictographic}/u.test(text) };
}

function assess(value: string, now: number): { identifierLike: boolean; entropyBits: number } {
  const a = assessIdentifierValue(value, now);
  return { identifierLike: a.identifierLike, entropyBits: Math.round(a.entropyBits * 10) / 10 };
}

// Markup passed to document.write that loads something: <script src>, <iframe src>, <img src>.
const WRITTEN_SRC = /<(script|iframe|img)\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
const MAX_WRITTEN = 20;

/** One raw record → its events: document.write markup can load several things at once. */
export function toPageEvents(raw: RawRecord, state: RelayState): PageEvent[] {
  if (typeof raw !== 'object' || raw === null) return [];
  if (raw['k'] !== 'write') {
    const e = toPageEvent(raw, state);
    return e ? [e] : [];
  }
  const html = str(raw['html'], 8_192);
  if (!html) return [];
  const out: PageEvent[] = [];
  for (const m of html.matchAll(WRITTEN_SRC)) {
    if (out.length >= MAX_WRITTEN) break;
    const tag = (m[1] ?? '').toLowerCase() as LoadTag;
    const src = m[2] ?? m[3] ?? m[4] ?? '';
    const e = toPageEvent({ k: 'load', s: raw['s'], ts: raw['ts'], tag, url: src }, state);
    if (e) out.push(e);
  }
  return out;
}

/** Converts one raw record; null for anything malformed or not worth reporting. */
export function toPageEvent(raw: RawRecord, state: RelayState): PageEvent | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const time = num(raw['ts']) !== null ? Number(raw['ts']) : Date.now();
  const script = callingScript(str(raw['s'], 8_192) ?? '');
  const b = { script, time };
  switch (raw['k']) {
    case 'cookie-write': {
      const text = str(raw['v'], 4_096);
      const w = text === null ? null : parseCookieWrite(text, time);
      if (!w) return null;
      return {
        ...b,
        t: 'cookie-write',
        name: w.name.slice(0, LIMITS.nameChars),
        valueLength: w.value.length,
        ...assess(w.value, time),
        hash: hashValue(w.value),
        domain: w.domain,
        path: w.path,
        lifetimeS: w.lifetimeS,
        deleted: w.deleted,
        api: raw['api'] === 'cookieStore' ? 'cookieStore' : 'document.cookie',
      };
    }
    case 'cookie-read':
      return { ...b, t: 'cookie-read' };
    case 'storage-write': {
      const area = pick(raw['area'], ['local', 'session'] as const);
      const key = str(raw['key'], LIMITS.nameChars);
      const value = str(raw['v'], 4_096);
      if (!area || key === null || value === null) return null;
      // Found by comparing storage (storage-scan.ts), not by a hooked call: no stack; the
      // script is the one that had just run, by timing, or none.
      const assigned = raw['via'] === 'assignment';
      return {
        ...b,
        ...(assigned ? { script: scriptUrl(raw['su']), via: 'assignment' as const } : {}),
        t: 'storage-write',
        area,
        key,
        valueLength: int(raw['vl']) || value.length,
        ...assess(value, time),
        hash: hashValue(value),
      };
    }
    case 'canvas-text': {
      const text = str(raw['text'], 256) ?? '';
      return {
        ...b,
        t: 'canvas-text',
        canvas: int(raw['c']),
        width: int(raw['w']),
        height: int(raw['h']),
        textLength: int(raw['tl']) || text.length,
        ...textStats(text),
        color: str(raw['color']) ?? '',
      };
    }
    case 'canvas-save':
      return { ...b, t: 'canvas-save', canvas: int(raw['c']) };
    case 'canvas-read': {
      const api = pick(raw['api'], [
        'toDataURL',
        'toBlob',
        'convertToBlob',
        'getImageData',
      ] as const);
      if (!api) return null;
      return {
        ...b,
        t: 'canvas-read',
        canvas: int(raw['c']),
        api,
        width: int(raw['w']),
        height: int(raw['h']),
      };
    }
    case 'webgl': {
      const api = pick(raw['api'], [
        'getParameter',
        'getExtension',
        'readPixels',
        'getSupportedExtensions',
        'getShaderPrecisionFormat',
      ] as const);
      return api ? { ...b, t: 'webgl', api, detail: str(raw['d']) ?? '' } : null;
    }
    case 'audio': {
      const api = pick(raw['api'], [
        'createOscillator',
        'createDynamicsCompressor',
        'createAnalyser',
        'startRendering',
        'getChannelData',
        'getFloatFrequencyData',
      ] as const);
      return api ? { ...b, t: 'audio', api } : null;
    }
    case 'font': {
      const via = pick(raw['via'], ['canvasFont', 'cssFontFamily'] as const);
      const family = str(raw['f']);
      return via && family ? { ...b, t: 'font', via, family } : null;
    }
    case 'navigator': {
      const prop = str(raw['p'], 64);
      return prop ? { ...b, t: 'navigator', prop } : null;
    }
    case 'listener': {
      const type = str(raw['type'], 64);
      const target = pick(raw['tg'], TARGETS);
      return type && target ? { ...b, t: 'listener', type, target } : null;
    }
    case 'observe': {
      const target = pick(raw['tg'], TARGETS);
      return target ? { ...b, t: 'observe', target, subtree: raw['sub'] === true } : null;
    }
    case 'value-read': {
      const field = pick(raw['f'], FIELDS);
      return field ? { ...b, t: 'value-read', field } : null;
    }
    case 'load':
      return loadEvent(raw, state, b);
    default:
      return null;
  }
}

/**
 * A request or element load. When the body carries what the user typed, the event becomes
 * 'typed-sent' (the strongest key-logging evidence); the body itself goes no further.
 */
function loadEvent(
  raw: RawRecord,
  state: RelayState,
  b: { script: string | null; time: number },
): PageEvent | null {
  const tag = pick(raw['tag'], TAGS);
  const rawUrl = str(raw['url'], LIMITS.urlChars);
  if (!tag || rawUrl === null) return null;
  const url = absoluteUrl(rawUrl, state.frameUrl);
  if (!url) return null;
  const body = str(raw['body'], 65_536);
  if (state.typed.length > 0) {
    const hit =
      (body ? findTypedValue(body, state.typed) : null) ?? findTypedValue(rawUrl, state.typed);
    if (hit) {
      return {
        ...b,
        t: 'typed-sent',
        field: hit.field,
        tag,
        url,
        encoding: hit.encoding,
        beforeSubmit: !state.submitted,
      };
    }
  }
  const method = str(raw['m'], 16);
  return {
    ...b,
    t: 'load',
    tag,
    url,
    method: method ? method.toUpperCase() : null,
    bodyLength: int(raw['bl']) || (body?.length ?? 0),
    recording: body ? isRecordingPayload(body) : false,
  };
}

/** An http(s) script URL named by the page world, else null. */
function scriptUrl(v: unknown): string | null {
  const s = str(v, LIMITS.urlChars);
  return s !== null && /^https?:\/\//i.test(s) ? s : null;
}
