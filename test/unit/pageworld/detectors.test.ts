// Thresholds of the page-world detectors, with the negatives the issue names: a chart
// library's canvas, an emoji probe, three fonts, a first-party counter in localStorage.
import { describe, expect, it } from 'vitest';
import { createPageWorldAnalyzer } from '../../../src/core/pageworld/analyze.ts';
import type { PageEvent } from '../../../src/core/pageworld/events.ts';
import { FONT_MIN_FAMILIES } from '../../../src/core/pageworld/fingerprinting.ts';
import { hashValue } from '../../../src/core/pageworld/hash.ts';
import { toPageEvent } from '../../../src/core/pageworld/convert.ts';
import type { CookieEvent } from '../../../src/core/model.ts';
import { kb, page } from '../helpers/context.ts';

const PAGE = page('https://news-publisher.test/article');
const FRAME = { url: PAGE.url };
const FP = 'https://cdn.fp-vendor.test/fp.js';
const CHART = 'https://news-publisher.test/js/chart.js';
const T = Date.UTC(2026, 10, 1);

type Ev = PageEvent;
function run(events: Ev[], frame = FRAME) {
  const a = createPageWorldAnalyzer(kb);
  return a.analyze(PAGE, frame, { events, typed: [], dropped: 0 });
}
const kinds = (events: Ev[], frame = FRAME) => run(events, frame).findings.map((f) => f.kind);

const text = (script: string, canvas: number, t: string, color: string, w = 300, h = 150): Ev => ({
  t: 'canvas-text',
  script,
  time: T,
  canvas,
  width: w,
  height: h,
  textLength: t.length,
  distinctChars: new Set(t).size,
  color,
  emoji: /\p{Extended_Pictographic}/u.test(t),
});
const readBack = (
  script: string,
  canvas: number,
  api: 'toDataURL' | 'convertToBlob' | 'getImageData',
  w = 300,
  h = 150,
): Ev => ({
  t: 'canvas-read',
  script,
  time: T,
  canvas,
  api,
  width: w,
  height: h,
});

describe('canvas fingerprinting', () => {
  it('fires on a fingerprinter: pangram in two colours, read back', () => {
    const f = run([
      text(FP, 1, 'Cwm fjordbank glyphs vext quiz, \u{1F603}', '#f60', 240, 60),
      text(FP, 1, 'Cwm fjordbank glyphs vext quiz, \u{1F603}', 'rgba(102, 204, 0, 0.7)', 240, 60),
      readBack(FP, 1, 'toDataURL', 240, 60),
    ]).findings;
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      kind: 'fingerprinting',
      party: 'fp-vendor.test',
      evidence: { scriptUrl: FP },
    });
    expect(f[0]!.evidence.details).toMatchObject({ technique: 'canvas', readApi: 'toDataURL' });
  });

  it('fires on the same drawing on an OffscreenCanvas read with convertToBlob', () => {
    const f = run([
      text(FP, 9, 'Cwm fjordbank glyphs vext quiz', '#f60', 240, 60),
      text(FP, 9, 'Cwm fjordbank glyphs vext quiz', '#069', 240, 60),
      readBack(FP, 9, 'convertToBlob', 240, 60),
    ]).findings;
    expect(f[0]!.evidence.details).toMatchObject({ technique: 'canvas', readApi: 'convertToBlob' });
    // ...and stays quiet on a 1x1 offscreen emoji probe.
    expect(
      kinds([text(FP, 10, '\u{1F428}', '#f00', 1, 1), readBack(FP, 10, 'convertToBlob', 1, 1)]),
    ).toEqual([]);
  });

  it('does not fire on a chart library that draws labels with save/restore and exports', () => {
    expect(
      kinds([
        { t: 'canvas-save', script: CHART, time: T, canvas: 2 },
        text(CHART, 2, 'Revenue by quarter 2024', '#333'),
        text(CHART, 2, 'Q1 Q2 Q3 Q4', '#1f77b4'),
        readBack(CHART, 2, 'toDataURL'),
      ]),
    ).toEqual([]);
  });

  it('does not fire on an emoji support probe (one emoji, 1x1 pixel read)', () => {
    expect(
      kinds([text(FP, 3, '\u{1F428}', '#f00', 32, 32), readBack(FP, 3, 'getImageData', 1, 1)]),
    ).toEqual([]);
    // Even a larger read of an emoji-only canvas is a feature test, not a fingerprint.
    expect(
      kinds([
        text(FP, 4, '\u{1F1FA}\u{1F1F8}', '#000', 20, 20),
        readBack(FP, 4, 'toDataURL', 20, 20),
      ]),
    ).toEqual([]);
  });

  it('needs text on a canvas of at least 16x16, read by the same script', () => {
    expect(
      kinds([text(FP, 5, 'abcdefghijkl', '#000', 15, 15), readBack(FP, 5, 'toDataURL', 15, 15)]),
    ).toEqual([]);
    expect(kinds([text(FP, 6, 'abcdefghijkl', '#000'), readBack(CHART, 6, 'toDataURL')])).toEqual(
      [],
    );
    expect(kinds([text(FP, 7, 'abc', '#000'), readBack(FP, 7, 'toDataURL')])).toEqual([]);
    expect(
      kinds([
        text(FP, 8, 'abc', '#000'),
        text(FP, 8, 'abc', '#fff'),
        readBack(FP, 8, 'getImageData', 16, 16),
      ]),
    ).toEqual(['fingerprinting']);
  });
});

describe('font probing', () => {
  const fonts = (n: number, via: 'canvasFont' | 'cssFontFamily'): Ev[] =>
    Array.from({ length: n }, (_, i) => ({
      t: 'font' as const,
      script: FP,
      time: T,
      via,
      family: via === 'canvasFont' ? `72px 'Font ${i}', monospace` : `'Font ${i}', monospace`,
    }));
  it('3 families → no, 60 → yes', () => {
    expect(kinds(fonts(3, 'canvasFont'))).toEqual([]);
    expect(kinds(fonts(60, 'canvasFont'))).toEqual(['fingerprinting']);
    expect(kinds(fonts(60, 'cssFontFamily'))).toEqual(['fingerprinting']);
    expect(kinds(fonts(FONT_MIN_FAMILIES - 1, 'cssFontFamily'))).toEqual([]);
  });
});

describe('WebGL, audio and navigator enumeration', () => {
  it('WebGL: the unmasked renderer query fires; a getExtension alone does not', () => {
    expect(
      kinds([
        {
          t: 'webgl',
          script: FP,
          time: T,
          api: 'getExtension',
          detail: 'WEBGL_debug_renderer_info',
        },
      ]),
    ).toEqual([]);
    expect(
      kinds([{ t: 'webgl', script: FP, time: T, api: 'getParameter', detail: '37446' }]),
    ).toEqual(['fingerprinting']);
  });
  it('audio: oscillator rendered offline and read back fires; a synth does not', () => {
    const au = (api: Extract<Ev, { t: 'audio' }>['api']): Ev => ({
      t: 'audio',
      script: FP,
      time: T,
      api,
    });
    expect(kinds([au('createOscillator'), au('createDynamicsCompressor')])).toEqual([]);
    expect(
      kinds([
        au('createOscillator'),
        au('createDynamicsCompressor'),
        au('startRendering'),
        au('getChannelData'),
      ]),
    ).toEqual(['fingerprinting']);
  });
  it('navigator: a handful of properties no, a dozen yes', () => {
    const props = [
      'userAgent',
      'language',
      'screen.width',
      'screen.height',
      'cookieEnabled',
      'platform',
      'hardwareConcurrency',
      'deviceMemory',
      'plugins',
      'mimeTypes',
      'maxTouchPoints',
      'screen.colorDepth',
      'vendor',
    ];
    const nav = (p: string[]): Ev[] =>
      p.map((prop) => ({ t: 'navigator', script: FP, time: T, prop }));
    expect(kinds(nav(props.slice(0, 6)))).toEqual([]);
    expect(kinds(nav(props))).toEqual(['fingerprinting']);
  });
});

describe('storage-identifier', () => {
  const relay = { frameUrl: PAGE.url, typed: [], submitted: false };
  const write = (script: string, key: string, value: string, area = 'local') =>
    toPageEvent(
      { k: 'storage-write', s: `Error\n    at ${script}:1:1`, ts: T, area, key, v: value },
      relay,
    )!;

  it("a first-party counter '3' does not fire", () => {
    expect(kinds([write('https://news-publisher.test/app.js', 'visits', '3')])).toEqual([]);
  });
  it('a 22-character random id written by a third-party script fires once', () => {
    const e = write('https://cdn.tagvendor.test/tag.js', 'tv_uid', 'k3J9xQ2mZ8pL4vN7bR1tYw');
    const f = run([e, e]).findings;
    expect(f.map((x) => x.kind)).toEqual(['storage-identifier']);
    expect(f[0]).toMatchObject({
      party: 'tagvendor.test',
      evidence: { key: 'tv_uid', scriptUrl: 'https://cdn.tagvendor.test/tag.js' },
    });
    expect(JSON.stringify(f[0])).not.toContain('k3J9xQ2mZ8pL4vN7bR1tYw');
  });
  it('the same id kept by the first party itself does not fire', () => {
    expect(
      kinds([write('https://news-publisher.test/app.js', 'uid', 'k3J9xQ2mZ8pL4vN7bR1tYw')]),
    ).toEqual([]);
  });
  it('an id assigned as a property is attributed by timing, and says so', () => {
    const assigned = (su: string) =>
      toPageEvent(
        {
          k: 'storage-write',
          s: '',
          su,
          via: 'assignment',
          ts: T,
          area: 'local',
          key: 'idv',
          v: 'Zq8Lm3Np7Rt2Vx6Kc9Bd',
        },
        relay,
      )!;
    const [f] = run([assigned('https://cdn.idvendor.test/idv.js')]).findings;
    expect(f).toMatchObject({
      kind: 'storage-identifier',
      party: 'idvendor.test',
      evidence: {
        key: 'idv',
        scriptUrl: 'https://cdn.idvendor.test/idv.js',
        details: { via: 'assignment' },
      },
    });
    expect(f!.explanation).toContain('by property assignment, seen right after this script ran');
    // A sentence that opens with the script opens with a capital, as every other one does.
    expect(f!.explanation).toMatch(/^The script https:\/\/cdn\.idvendor\.test\/idv\.js from /);
    // No script known (found at load or pagehide) in a first-party frame: nobody to blame.
    expect(kinds([assigned('')])).toEqual([]);
    // A page-world record cannot name a non-web script.
    expect(assigned('javascript:alert(1)').script).toBeNull();
  });

  it('inline code in a third-party iframe is that party', () => {
    const frame = { url: 'https://frames.widgets.test/widget.html' };
    const e = toPageEvent(
      { k: 'storage-write', s: '', ts: T, area: 'local', key: 'wid', v: 'a8f3c2e9b1d74f60a2c5' },
      { ...relay, frameUrl: frame.url },
    )!;
    const [f] = run([e], frame).findings;
    expect(f).toMatchObject({ kind: 'storage-identifier', party: 'widgets.test' });
    expect(f!.explanation).toMatch(
      /^Inline code in https:\/\/frames\.widgets\.test\/widget\.html /,
    );
  });
});

describe('key-logging and session recording', () => {
  const REC = 'https://cdn.replay.test/rec.js';
  const ev = (e: Record<string, unknown>): Ev => ({ script: REC, time: T, ...e }) as Ev;
  it('a typed value sent before submit is key logging, attributed to the sending script', () => {
    const f = run([
      ev({
        t: 'typed-sent',
        field: 'email',
        tag: 'fetch',
        url: 'https://rec.replay.test/rec/bundle',
        encoding: 'plain',
        beforeSubmit: true,
      }),
    ]).findings;
    expect(f[0]).toMatchObject({
      kind: 'key-logging',
      party: 'replay.test',
      dataTypes: ['email'],
      evidence: { scriptUrl: REC },
    });
  });
  it('listening to keys alone is not key logging; listening and reading the email field is', () => {
    expect(kinds([ev({ t: 'listener', type: 'keydown', target: 'document' })])).toEqual([]);
    expect(
      kinds([
        ev({ t: 'listener', type: 'keydown', target: 'document' }),
        ev({ t: 'value-read', field: 'email' }),
      ]),
    ).toEqual(['key-logging']);
  });
  it('recording behaviour: DOM observer + mouse + keys + sending', () => {
    const base = [
      ev({ t: 'observe', target: 'document', subtree: true }),
      ev({ t: 'listener', type: 'mousemove', target: 'document' }),
      ev({ t: 'listener', type: 'input', target: 'document' }),
    ];
    expect(kinds(base)).toEqual([]);
    const sent = ev({
      t: 'load',
      tag: 'beacon',
      url: 'https://rec.replay.test/rec',
      method: 'POST',
      bodyLength: 900,
      recording: false,
    });
    expect(kinds([...base, sent])).toEqual(['session-recording']);
  });
  it('a known replay endpoint fires, naming the service', () => {
    const f = run([
      ev({
        t: 'load',
        tag: 'script',
        url: 'https://static.hotjar.com/c/hotjar-123.js?sv=6',
        method: null,
        bodyLength: 0,
        recording: false,
      }),
    ]).findings;
    expect(f[0]).toMatchObject({
      kind: 'session-recording',
      party: 'hotjar.com',
      evidence: { details: { service: 'Hotjar' } },
    });
  });
});

describe('tag chain and script cookies', () => {
  const TAG = 'https://cdn.tagvendor.test/tag.js';
  const KRUX = 'https://cdn.krxd.net/controltag/Jq8vPz2f.js';
  const load = (script: string | null, url: string, tag: 'script' | 'img' = 'script'): Ev => ({
    t: 'load',
    script,
    time: T,
    tag,
    url,
    method: null,
    bodyLength: 0,
    recording: false,
  });
  it('links each party to the party whose script brought it in', () => {
    const r = run([
      load(null, TAG),
      load(TAG, KRUX),
      load(KRUX, 'https://beacon.krxd.net/pixel.gif?x=1', 'img'),
      load(KRUX, 'https://beacon.krxd.net/pixel.gif?x=2', 'img'),
    ]);
    // Every edge is stored on the row of the party it brought in; only a cross-party one
    // names a loader. The pixel is kept by origin and path (its query carries the data).
    expect(r.links.map((l) => [l.party.domain, l.loadedBy, l.edge.parent, l.edge.child])).toEqual([
      ['tagvendor.test', 'page', null, TAG],
      ['krxd.net', 'tagvendor.test', TAG, KRUX],
      ['krxd.net', null, KRUX, 'https://beacon.krxd.net/pixel.gif'],
    ]);
    expect(r.edges.map((e) => [e.parentScript, e.childUrl])).toEqual([
      [null, TAG],
      [TAG, KRUX],
      [KRUX, 'https://beacon.krxd.net/pixel.gif?x=1'],
    ]);
  });

  it('joins a script cookie write with the browser event in either order', () => {
    const a = createPageWorldAnalyzer(kb);
    const value = 'Zx81kq0PmW3nT7vB2cY5';
    const cookie: CookieEvent = {
      name: '_lw_uid',
      value,
      domain: 'news-publisher.test',
      hostOnly: false,
      path: '/',
      expires: T + 365 * 864e5,
      secure: false,
      httpOnly: false,
      sameSite: 'lax',
      partitioned: false,
      removed: false,
      source: 'api',
      requestUrl: null,
      scriptUrl: null,
      time: T,
    };
    const write: Ev = {
      t: 'cookie-write',
      script: 'https://beacon.analytics.test/a.js',
      time: T,
      name: '_lw_uid',
      valueLength: 20,
      identifierLike: true,
      entropyBits: 119,
      hash: hashValue(value),
      domain: 'news-publisher.test',
      path: '/',
      lifetimeS: 365 * 86400,
      deleted: false,
      api: 'document.cookie',
    };
    // Browser first, page world later: an update comes back with the script.
    expect(a.attributeCookie(PAGE, cookie)).toBeNull();
    const r = a.analyze(PAGE, FRAME, { events: [write], typed: [], dropped: 0 });
    expect(r.cookieUpdates[0]?.scriptUrl).toBe('https://beacon.analytics.test/a.js');
    expect(r.findings[0]).toMatchObject({
      kind: 'identifier-cookie',
      party: 'analytics.test',
      evidence: { cookieName: '_lw_uid' },
    });
    // Page world first: the browser event gets the script at once.
    const b = createPageWorldAnalyzer(kb);
    b.analyze(PAGE, FRAME, { events: [write], typed: [], dropped: 0 });
    expect(b.attributeCookie(PAGE, cookie)).toBe('https://beacon.analytics.test/a.js');
  });
});
