// fingerprinting: canvas, WebGL, audio, font probing and navigator/screen enumeration,
// each judged per calling script.
//
// Canvas follows Englehardt & Narayanan (CCS 2016, §6.1; notes/detection-methods.md §5.3):
// a canvas of at least 16x16 px, text of at least 10 distinct characters or in at least two
// colours, read back with toDataURL/toBlob (convertToBlob for an OffscreenCanvas) or a
// getImageData of at least 16x16 px, by a script that did not call save/restore on that
// canvas. The size and character limits keep emoji feature probes out; the save/restore
// rule keeps chart libraries out.
// Font probing: at least 50 distinct font families tried, the literature's threshold. The
// page world reports the families as they are set (a canvas `font`, or an element's CSS
// font-family), not each measureText/offsetWidth that follows: setting is rarer than
// measuring, so this is far cheaper on pages that measure text a lot.
import type { Finding } from '../model.ts';
import { describeParty, makeFinding } from '../detectors/finding.ts';
import type { PageEvent } from './events.ts';
import {
  addBounded,
  describeScriptFirst,
  firstReport,
  type CanvasState,
  type DetectorContext,
} from './state.ts';

export const CANVAS_MIN_SIZE = 16;
export const CANVAS_MIN_DISTINCT_CHARS = 10;
export const CANVAS_MIN_COLORS = 2;
export const FONT_MIN_FAMILIES = 50;
/** Out of the ~24 navigator/screen properties the page world watches. */
export const NAVIGATOR_MIN_PROPS = 12;
/** WEBGL_debug_renderer_info's UNMASKED_VENDOR_WEBGL and UNMASKED_RENDERER_WEBGL. */
const UNMASKED_PARAMS = new Set(['37445', '37446']);

type Technique = 'canvas' | 'webgl' | 'audio' | 'font-probing' | 'navigator-enumeration';

const WHAT: Record<Technique, string> = {
  canvas: 'drew hidden text on a canvas and read the pixels back, a canvas fingerprint',
  webgl:
    'asked the graphics card for its exact make and model (WebGL renderer), a device fingerprint',
  audio: 'rendered a sound off-screen and read the samples back, an audio fingerprint',
  'font-probing':
    'measured text in many fonts to learn which fonts are installed, a font fingerprint',
  'navigator-enumeration':
    'read a long list of browser and screen properties, the raw material of a device fingerprint',
};

function finding(
  ctx: DetectorContext,
  technique: Technique,
  rule: string,
  time: number,
  details: Record<string, string | number | boolean>,
): Finding[] {
  const s = ctx.script;
  if (!firstReport(ctx.state, `fingerprinting|${technique}|${s.url ?? s.frameUrl}`)) return [];
  return [
    makeFinding({
      kind: 'fingerprinting',
      page: ctx.page,
      party: s.party,
      requestUrl: null,
      time,
      dataTypes: ['device'],
      explanation: `${describeScriptFirst(s)} from ${describeParty(s.party)} ${WHAT[technique]}.`,
      evidence: {
        rule,
        ...(s.url ? { scriptUrl: s.url } : {}),
        details: { technique, ...details },
      },
    }),
  ];
}

function canvasOf(ctx: DetectorContext, id: number): CanvasState | null {
  const map = ctx.script.canvases;
  let c = map.get(id);
  if (!c) {
    if (map.size >= 200) return null;
    c = {
      width: 0,
      height: 0,
      maxDistinctChars: 0,
      colors: new Set(),
      emojiOnly: true,
      wroteText: false,
      savedOrRestored: false,
    };
    map.set(id, c);
  }
  return c;
}

/** The E&N text criterion on one canvas. */
export function canvasTextQualifies(c: CanvasState): boolean {
  if (!c.wroteText || c.emojiOnly) return false;
  if (c.width < CANVAS_MIN_SIZE || c.height < CANVAS_MIN_SIZE) return false;
  return c.maxDistinctChars >= CANVAS_MIN_DISTINCT_CHARS || c.colors.size >= CANVAS_MIN_COLORS;
}

/** The family part of a CSS font shorthand ("italic 12px 'Foo', serif" → "'foo', serif"). */
export function fontFamilyOf(font: string): string {
  const m = /(?:^|\s)[\d.]+(?:px|pt|em|rem|%|ex|ch|vw|vh)(?:\s*\/\s*\S+)?\s+(.+)$/i.exec(
    font.trim(),
  );
  return (m?.[1] ?? font)
    .trim()
    .toLowerCase()
    .replace(/"/g, "'")
    .replace(/\s*,\s*/g, ', ');
}

export function detectFingerprinting(e: PageEvent, ctx: DetectorContext): Finding[] {
  const s = ctx.script;
  switch (e.t) {
    case 'canvas-text': {
      const c = canvasOf(ctx, e.canvas);
      if (!c) return [];
      c.wroteText = true;
      c.width = Math.max(c.width, e.width);
      c.height = Math.max(c.height, e.height);
      c.maxDistinctChars = Math.max(c.maxDistinctChars, e.distinctChars);
      if (e.color) addBounded(c.colors, e.color.toLowerCase(), 16);
      // An emoji probe draws one or two emoji; anything longer is ordinary text.
      if (!(e.emoji && e.distinctChars <= 3)) c.emojiOnly = false;
      return [];
    }
    case 'canvas-save': {
      const c = canvasOf(ctx, e.canvas);
      if (c) c.savedOrRestored = true;
      return [];
    }
    case 'canvas-read': {
      const c = s.canvases.get(e.canvas);
      if (!c || c.savedOrRestored || !canvasTextQualifies(c)) return [];
      const w = e.api === 'getImageData' ? e.width : Math.max(e.width, c.width);
      const h = e.api === 'getImageData' ? e.height : Math.max(e.height, c.height);
      if (w < CANVAS_MIN_SIZE || h < CANVAS_MIN_SIZE) return [];
      return finding(
        ctx,
        'canvas',
        'canvas fingerprinting (Englehardt & Narayanan 2016 criteria)',
        e.time,
        {
          readApi: e.api,
          width: w,
          height: h,
          distinctChars: c.maxDistinctChars,
          colors: c.colors.size,
        },
      );
    }
    case 'webgl': {
      addBounded(s.webgl, `${e.api}:${e.detail}`, 64);
      if (e.api === 'getParameter' && UNMASKED_PARAMS.has(e.detail)) {
        return finding(ctx, 'webgl', 'WebGL unmasked renderer/vendor query', e.time, {
          parameter: e.detail,
        });
      }
      const probes = [...s.webgl].filter((k) => !k.startsWith('getExtension')).length;
      if (e.api === 'readPixels' && probes >= 3) {
        return finding(ctx, 'webgl', 'WebGL render read back after capability probing', e.time, {
          calls: probes,
        });
      }
      return [];
    }
    case 'audio': {
      s.audio.add(e.api);
      const a = s.audio;
      const offline = a.has('startRendering') && a.has('getChannelData');
      const analyser = a.has('createAnalyser') && a.has('getFloatFrequencyData');
      const source = a.has('createOscillator') || a.has('createDynamicsCompressor');
      if (source && (offline || analyser)) {
        return finding(
          ctx,
          'audio',
          'audio fingerprinting (oscillator rendered and read back)',
          e.time,
          {
            apis: [...a].sort().join(','),
          },
        );
      }
      return [];
    }
    case 'font': {
      const family =
        e.via === 'canvasFont' ? fontFamilyOf(e.family) : e.family.trim().toLowerCase();
      addBounded(s.fonts, family, 2_000);
      if (s.fonts.size < FONT_MIN_FAMILIES) return [];
      return finding(
        ctx,
        'font-probing',
        'font probing (text measured in many font families)',
        e.time,
        {
          families: s.fonts.size,
          via: e.via,
        },
      );
    }
    case 'navigator': {
      addBounded(s.navigatorProps, e.prop, 64);
      if (s.navigatorProps.size < NAVIGATOR_MIN_PROPS) return [];
      return finding(ctx, 'navigator-enumeration', 'broad navigator/screen enumeration', e.time, {
        properties: s.navigatorProps.size,
      });
    }
    default:
      return [];
  }
}
