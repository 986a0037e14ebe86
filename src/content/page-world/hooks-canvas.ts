// Fingerprinting surfaces: canvas text and read-back, WebGL renderer queries, audio
// rendering and font probing. Only facts go out (sizes, the drawn text to the relay which
// keeps only its statistics, API names); the detectors in src/core/pageworld decide.
import { allow } from './budget.ts';
import { emit } from './emit.ts';
import {
  SetCtor,
  WeakMapCtor,
  apply,
  captureStack,
  cut,
  getOwn,
  getterOf,
  read,
  setAdd,
  setHas,
  wmGet,
  wmSet,
} from './intrinsics.ts';
import { hookAccessor, hookMethod } from './wrap.ts';

const g = globalThis as unknown as { [name: string]: { prototype?: object } | undefined };
const proto = (name: string): object | undefined => g[name]?.prototype;

/**
 * A drawing surface: the 2D context's prototype and its canvas's. The same criteria apply to
 * a <canvas> and to an OffscreenCanvas (Chromium and Firefox have both in the page; a
 * fingerprinter may prefer the latter because no element ever appears in the DOM).
 */
interface Surface {
  ctx: object | undefined;
  canvasOf: ReturnType<typeof getterOf>;
  fillStyleOf: ReturnType<typeof getterOf>;
  widthOf: ReturnType<typeof getterOf>;
  heightOf: ReturnType<typeof getterOf>;
}

function surface(ctxName: string, canvasName: string): Surface {
  const ctx = proto(ctxName);
  const canvas = proto(canvasName);
  return {
    ctx,
    canvasOf: getterOf(ctx, 'canvas'),
    fillStyleOf: getterOf(ctx, 'fillStyle'),
    widthOf: getterOf(canvas, 'width'),
    heightOf: getterOf(canvas, 'height'),
  };
}

const CANVAS = proto('HTMLCanvasElement');
const ELEMENT = surface('CanvasRenderingContext2D', 'HTMLCanvasElement');
const OFFSCREEN = surface('OffscreenCanvasRenderingContext2D', 'OffscreenCanvas');

interface CanvasInfo {
  id: number;
  text: number;
  save: number;
  read: number;
}
const canvases = new WeakMapCtor<object, CanvasInfo>();
let nextCanvas = 1;

function infoOf(canvas: unknown): CanvasInfo | null {
  if (typeof canvas !== 'object' || canvas === null) return null;
  let info = apply(wmGet, canvases, [canvas]) as CanvasInfo | undefined;
  if (!info) {
    info = {
      __proto__: null,
      id: nextCanvas++,
      text: 0,
      save: 0,
      read: 0,
    } as unknown as CanvasInfo;
    apply(wmSet, canvases, [canvas, info]);
  }
  return info;
}

const num = (v: unknown): number => (typeof v === 'number' && v === v ? v : 0);
const abs = (v: unknown): number => {
  const n = num(v);
  return n < 0 ? -n : n;
};

/** Per canvas, only the first few calls of each kind matter to the criteria. */
const TEXTS_PER_CANVAS = 8;
const READS_PER_CANVAS = 8;

function onText(sf: Surface, ctx: unknown, args: readonly unknown[]): void {
  const canvas = read(sf.canvasOf, ctx);
  const info = infoOf(canvas);
  const text = args[0];
  if (!info || info.text >= TEXTS_PER_CANVAS || typeof text !== 'string') return;
  info.text++;
  const color = read(sf.fillStyleOf, ctx);
  emit({
    __proto__: null,
    k: 'canvas-text',
    s: captureStack(),
    c: info.id,
    w: num(read(sf.widthOf, canvas)),
    h: num(read(sf.heightOf, canvas)),
    text: cut(text, 256),
    tl: text.length,
    color: typeof color === 'string' ? cut(color, 64) : 'pattern',
  } as never);
}

function onSave(sf: Surface, ctx: unknown): void {
  const info = infoOf(read(sf.canvasOf, ctx));
  if (!info || info.save > 0) return;
  info.save++;
  emit({ __proto__: null, k: 'canvas-save', s: captureStack(), c: info.id } as never);
}

function onRead(canvas: unknown, api: string, w: number, h: number): void {
  const info = infoOf(canvas);
  if (!info || info.read >= READS_PER_CANVAS) return;
  info.read++;
  emit({ __proto__: null, k: 'canvas-read', s: captureStack(), c: info.id, api, w, h } as never);
}

/** Text drawing, save/restore and getImageData of one surface's 2D context. */
function hookContext(sf: Surface): void {
  hookMethod(sf.ctx, 'fillText', (ctx, a) => onText(sf, ctx, a));
  hookMethod(sf.ctx, 'strokeText', (ctx, a) => onText(sf, ctx, a));
  hookMethod(sf.ctx, 'save', (ctx) => onSave(sf, ctx));
  hookMethod(sf.ctx, 'restore', (ctx) => onSave(sf, ctx));
  hookMethod(sf.ctx, 'getImageData', (ctx, a) =>
    onRead(read(sf.canvasOf, ctx), 'getImageData', abs(a[2]), abs(a[3])),
  );
  // The font in use when text is measured is the one last set: report it when set.
  hookAccessor(sf.ctx, 'font', null, (_ctx, a) => onFont('canvasFont', a[0]));
}

const fonts = new SetCtor<string>();
let fontCount = 0;
const MAX_FONTS = 500;

function onFont(via: string, family: unknown): void {
  if (typeof family !== 'string' || !family) return;
  if (fontCount >= MAX_FONTS || apply(setHas, fonts, [family])) return;
  apply(setAdd, fonts, [family]);
  fontCount++;
  emit({ __proto__: null, k: 'font', s: captureStack(), via, f: cut(family, 256) } as never);
}

export function hookCanvas(): void {
  hookContext(ELEMENT);
  for (const api of ['toDataURL', 'toBlob']) {
    hookMethod(CANVAS, api, (canvas) =>
      onRead(canvas, api, num(read(ELEMENT.widthOf, canvas)), num(read(ELEMENT.heightOf, canvas))),
    );
  }
}

/** OffscreenCanvas in the page (not in workers: the page-world script runs in documents). */
export function hookOffscreenCanvas(): void {
  if (!OFFSCREEN.ctx) return;
  hookContext(OFFSCREEN);
  hookMethod(proto('OffscreenCanvas'), 'convertToBlob', (canvas) =>
    onRead(
      canvas,
      'convertToBlob',
      num(read(OFFSCREEN.widthOf, canvas)),
      num(read(OFFSCREEN.heightOf, canvas)),
    ),
  );
}

// Font probing through element sizes: an element styled with a candidate family, then
// measured with offsetWidth/offsetHeight. Where the camel-case CSS properties are prototype
// accessors (Firefox: CSS2Properties) the family is reported when set, which is cheap.
// Chromium exposes them as own properties of each style object, so there the family is read
// from the element's inline style when its size is read.
const STYLE = ['CSSStyleProperties', 'CSS2Properties', 'CSSStyleDeclaration']
  .map(proto)
  .find((p) => p !== undefined && typeof getOwn(p, 'fontFamily')?.set === 'function');
const HTML_ELEMENT = proto('HTMLElement');
const styleOf = getterOf(HTML_ELEMENT, 'style');
const getPropertyValue = (
  proto('CSSStyleDeclaration') as { getPropertyValue?: unknown } | undefined
)?.getPropertyValue;

function onSize(el: unknown): void {
  if (typeof getPropertyValue !== 'function') return;
  const style = read(styleOf, el);
  if (!style) return;
  const family = apply(getPropertyValue, style, ['font-family']);
  if (typeof family === 'string' && family) onFont('cssFontFamily', family);
}

export function hookFontProbing(): void {
  hookMethod(proto('CSSStyleDeclaration'), 'setProperty', (_style, a) => {
    if (a[0] === 'font-family') onFont('cssFontFamily', a[1]);
  });
  if (STYLE) {
    hookAccessor(STYLE, 'fontFamily', null, (_style, a) => onFont('cssFontFamily', a[0]));
    return;
  }
  hookAccessor(HTML_ELEMENT, 'offsetWidth', onSize, null);
  hookAccessor(HTML_ELEMENT, 'offsetHeight', onSize, null);
}

/** WEBGL_debug_renderer_info: UNMASKED_VENDOR_WEBGL, UNMASKED_RENDERER_WEBGL. */
const UNMASKED = [37445, 37446];

export function hookWebgl(): void {
  for (const name of ['WebGLRenderingContext', 'WebGL2RenderingContext']) {
    const p = proto(name);
    hookMethod(p, 'getParameter', (_gl, a) => {
      const p0 = a[0];
      if ((p0 === UNMASKED[0] || p0 === UNMASKED[1]) && allow(`gl:p:${p0}`, 4, 1_000)) {
        emit({
          __proto__: null,
          k: 'webgl',
          s: captureStack(),
          api: 'getParameter',
          d: `${p0}`,
        } as never);
      }
    });
    hookMethod(p, 'getExtension', (_gl, a) => {
      if (typeof a[0] === 'string' && allow(`gl:e:${cut(a[0], 64)}`, 2, 1_000)) {
        emit({
          __proto__: null,
          k: 'webgl',
          s: captureStack(),
          api: 'getExtension',
          d: cut(a[0], 64),
        } as never);
      }
    });
    for (const api of ['readPixels', 'getSupportedExtensions', 'getShaderPrecisionFormat']) {
      hookMethod(p, api, () => {
        if (allow(`gl:${api}`, 4, 10_000))
          emit({ __proto__: null, k: 'webgl', s: captureStack(), api, d: '' } as never);
      });
    }
  }
}

export function hookAudio(): void {
  const base = proto('BaseAudioContext') ?? proto('AudioContext');
  const report = (api: string) => () => {
    if (allow(`au:${api}`, 4, 10_000))
      emit({ __proto__: null, k: 'audio', s: captureStack(), api } as never);
  };
  for (const api of ['createOscillator', 'createDynamicsCompressor', 'createAnalyser']) {
    hookMethod(base, api, report(api));
  }
  hookMethod(proto('OfflineAudioContext'), 'startRendering', report('startRendering'));
  hookMethod(proto('AudioBuffer'), 'getChannelData', report('getChannelData'));
  hookMethod(proto('AnalyserNode'), 'getFloatFrequencyData', report('getFloatFrequencyData'));
}
