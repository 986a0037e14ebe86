// The background's second line of defence: every `pageEvents` payload is checked here by
// shape and size before anything is analysed. The relay already builds well-formed events,
// but a hostile page can talk to the background through a compromised or imitated relay
// message, so nothing is trusted.
import * as v from 'valibot';
import { LIMITS, type PageEventBatch } from './events.ts';

const str = (max: number) => v.pipe(v.string(), v.maxLength(max));
const nullableStr = (max: number) => v.nullable(str(max));
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e9));
const size = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e6));
const bits = v.pipe(v.number(), v.minValue(0), v.maxValue(1e6));

const base = {
  script: nullableStr(LIMITS.urlChars),
  time: v.pipe(v.number(), v.minValue(0), v.maxValue(8.64e15)),
};

const target = v.picklist(['window', 'document', 'body', 'input', 'textarea', 'form', 'other']);
const field = v.picklist(['email', 'phone', 'name', 'password']);
const tag = v.picklist(['script', 'iframe', 'img', 'fetch', 'xhr', 'beacon', 'websocket']);

const event = v.variant('t', [
  v.strictObject({
    ...base,
    t: v.literal('cookie-write'),
    name: str(LIMITS.nameChars),
    valueLength: size,
    identifierLike: v.boolean(),
    entropyBits: bits,
    hash: str(32),
    domain: nullableStr(LIMITS.nameChars),
    path: nullableStr(LIMITS.nameChars),
    lifetimeS: v.nullable(v.pipe(v.number(), v.minValue(-1e12), v.maxValue(1e12))),
    deleted: v.boolean(),
    api: v.picklist(['document.cookie', 'cookieStore']),
  }),
  v.strictObject({ ...base, t: v.literal('cookie-read') }),
  v.strictObject({
    ...base,
    t: v.literal('storage-write'),
    via: v.optional(v.literal('assignment')),
    area: v.picklist(['local', 'session']),
    key: str(LIMITS.nameChars),
    valueLength: size,
    identifierLike: v.boolean(),
    entropyBits: bits,
    hash: str(32),
  }),
  v.strictObject({
    ...base,
    t: v.literal('canvas-text'),
    canvas: count,
    width: size,
    height: size,
    textLength: size,
    distinctChars: size,
    color: str(LIMITS.stringChars),
    emoji: v.boolean(),
  }),
  v.strictObject({ ...base, t: v.literal('canvas-save'), canvas: count }),
  v.strictObject({
    ...base,
    t: v.literal('canvas-read'),
    canvas: count,
    api: v.picklist(['toDataURL', 'toBlob', 'convertToBlob', 'getImageData']),
    width: size,
    height: size,
  }),
  v.strictObject({
    ...base,
    t: v.literal('webgl'),
    api: v.picklist([
      'getParameter',
      'getExtension',
      'readPixels',
      'getSupportedExtensions',
      'getShaderPrecisionFormat',
    ]),
    detail: str(LIMITS.stringChars),
  }),
  v.strictObject({
    ...base,
    t: v.literal('audio'),
    api: v.picklist([
      'createOscillator',
      'createDynamicsCompressor',
      'createAnalyser',
      'startRendering',
      'getChannelData',
      'getFloatFrequencyData',
    ]),
  }),
  v.strictObject({
    ...base,
    t: v.literal('font'),
    via: v.picklist(['canvasFont', 'cssFontFamily']),
    family: str(LIMITS.stringChars),
  }),
  v.strictObject({ ...base, t: v.literal('navigator'), prop: str(64) }),
  v.strictObject({ ...base, t: v.literal('listener'), type: str(64), target }),
  v.strictObject({ ...base, t: v.literal('observe'), target, subtree: v.boolean() }),
  v.strictObject({ ...base, t: v.literal('value-read'), field }),
  v.strictObject({
    ...base,
    t: v.literal('load'),
    tag,
    url: str(LIMITS.urlChars),
    method: nullableStr(16),
    bodyLength: size,
    recording: v.boolean(),
  }),
  v.strictObject({
    ...base,
    t: v.literal('typed-sent'),
    field,
    tag,
    url: str(LIMITS.urlChars),
    encoding: v.picklist(['plain', 'url', 'base64']),
    beforeSubmit: v.boolean(),
  }),
]);

export const pageEventBatchSchema = v.strictObject({
  events: v.pipe(v.array(event), v.maxLength(LIMITS.eventsPerBatch)),
  typed: v.pipe(
    v.array(
      v.strictObject({
        kind: v.picklist(['email', 'phone', 'name']),
        value: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.typedChars)),
      }),
    ),
    v.maxLength(LIMITS.typedPerBatch),
  ),
  dropped: count,
  title: v.optional(str(LIMITS.titleChars)),
}) satisfies v.GenericSchema<unknown, PageEventBatch>;

/** The validated batch, or null when anything about it is off. */
export function parsePageEventBatch(input: unknown): PageEventBatch | null {
  const r = v.safeParse(pageEventBatchSchema, input);
  return r.success ? r.output : null;
}
