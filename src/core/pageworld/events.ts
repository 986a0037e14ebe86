// What the page-world instrumentation reports, in two stages:
// 1. RawRecord: what the MAIN-world script (src/content/page-world.ts) hands to the relay.
//    It carries raw facts (a stack string, a cookie value, a request body) because the relay,
//    not the page world, does the heavy and sensitive work: the page world must stay cheap
//    and must not run code a hostile page can observe through patched prototypes.
// 2. PageEvent: what the relay sends to the background. Stacks are reduced to the calling
//    script's URL, values to verdicts and hashes; no cookie, storage or body value is in it.
//    The background validates every PageEvent again (./schema.ts): the page can forge them.

/** Where a listener was attached, in words the detectors use. */
export type ListenerTarget =
  'window' | 'document' | 'body' | 'input' | 'textarea' | 'form' | 'other';

/** Identifying form fields whose values matter for key logging and PII matching. */
export type FieldKind = 'email' | 'phone' | 'name' | 'password';

/** How a page-world request left: a DOM element load or a script-level network API. */
export type LoadTag = 'script' | 'iframe' | 'img' | 'fetch' | 'xhr' | 'beacon' | 'websocket';

/** convertToBlob: an OffscreenCanvas read back whole, like toBlob. */
export type CanvasReadApi = 'toDataURL' | 'toBlob' | 'convertToBlob' | 'getImageData';
export type WebglApi =
  | 'getParameter'
  | 'getExtension'
  | 'readPixels'
  | 'getSupportedExtensions'
  | 'getShaderPrecisionFormat';
export type AudioApi =
  | 'createOscillator'
  | 'createDynamicsCompressor'
  | 'createAnalyser'
  | 'startRendering'
  | 'getChannelData'
  | 'getFloatFrequencyData';

/** Fields every PageEvent has. `script` is null when no non-extension frame was found. */
interface Base {
  script: string | null;
  /** ms since epoch, as the page world saw it. */
  time: number;
}

export type PageEvent = Base &
  (
    | {
        t: 'cookie-write';
        name: string;
        valueLength: number;
        identifierLike: boolean;
        entropyBits: number;
        /** hashValue() of the cookie value, to join with cookies.onChanged. */
        hash: string;
        domain: string | null;
        path: string | null;
        /** Lifetime from Max-Age or Expires, in seconds; null for a session cookie. */
        lifetimeS: number | null;
        deleted: boolean;
        api: 'document.cookie' | 'cookieStore';
      }
    | { t: 'cookie-read' }
    | {
        t: 'storage-write';
        /** Present when found by comparing storage (property assignment), not a setItem call. */
        via?: 'assignment';
        area: 'local' | 'session';
        key: string;
        valueLength: number;
        identifierLike: boolean;
        entropyBits: number;
        hash: string;
      }
    | {
        t: 'canvas-text';
        canvas: number;
        width: number;
        height: number;
        textLength: number;
        distinctChars: number;
        color: string;
        emoji: boolean;
      }
    | { t: 'canvas-save'; canvas: number }
    | { t: 'canvas-read'; canvas: number; api: CanvasReadApi; width: number; height: number }
    | { t: 'webgl'; api: WebglApi; detail: string }
    | { t: 'audio'; api: AudioApi }
    | { t: 'font'; via: 'canvasFont' | 'cssFontFamily'; family: string }
    | { t: 'navigator'; prop: string }
    | { t: 'listener'; type: string; target: ListenerTarget }
    | { t: 'observe'; target: ListenerTarget; subtree: boolean }
    | { t: 'value-read'; field: FieldKind }
    | {
        t: 'load';
        tag: LoadTag;
        url: string;
        method: string | null;
        bodyLength: number;
        /** The body looked like a session-replay recording (rrweb-style DOM snapshot). */
        recording: boolean;
      }
    | {
        t: 'typed-sent';
        field: FieldKind;
        tag: LoadTag;
        url: string;
        encoding: 'plain' | 'url' | 'base64';
        beforeSubmit: boolean;
      }
  );

export type PageEventType = PageEvent['t'];

/** A typed value handed to the leak detectors; held in memory only, never stored. */
export interface TypedValue {
  kind: 'email' | 'phone' | 'name';
  value: string;
}

/** One relay flush: the `pageEvents` message payload. */
export interface PageEventBatch {
  events: PageEvent[];
  typed: TypedValue[];
  /** Records the page world or relay dropped (caps, sampling), for the record. */
  dropped: number;
  /**
   * The top document's title (whitespace collapsed, capped at LIMITS.titleChars), when it is
   * new or changed since the last batch. Only the top frame's relay sends it; the background
   * ignores it from any other frame.
   */
  title?: string;
}

/** Caps shared by the relay (what it sends) and the background schema (what it accepts). */
export const LIMITS = {
  eventsPerBatch: 200,
  typedPerBatch: 10,
  urlChars: 2_048,
  nameChars: 256,
  stringChars: 256,
  typedChars: 256,
  titleChars: 300,
} as const;
