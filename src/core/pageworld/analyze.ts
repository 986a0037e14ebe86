// The page-world analysis: a validated batch of PageEvents from one frame in, findings,
// cookie attributions and tag-chain edges out. Pure, like the request analyzer; the
// background calls it for every `pageEvents` message and writes what it returns.
//
// Never throws: each detector runs in its own try/catch, so one bad event costs only that
// detector's findings for it.
import type { CookieEvent, Finding, PageContext, PartyInfo } from '../model.ts';
import { resolveParty } from '../party.ts';
import { defaultKnowledge, type TrackerKnowledge } from '../trackers.ts';
import { parseUrl } from '../url.ts';
import type { PageEvent, PageEventBatch, TypedValue } from './events.ts';
import {
  cookieUpdate,
  detectScriptCookie,
  newCookieJoin,
  scriptForCookie,
  type CookieJoin,
} from './cookies.ts';
import { detectFingerprinting } from './fingerprinting.ts';
import { detectKeyLogging } from './key-logging.ts';
import { detectSessionRecording } from './session-recording.ts';
import {
  MAX_SCRIPTS_PER_PAGE,
  addBounded,
  newPageWorldState,
  type DetectorContext,
  type PageWorldState,
  type ScriptState,
} from './state.ts';
import { detectStorageIdentifier } from './storage-identifier.ts';
import { tagEdge, type PartyLink, type TagEdge } from './tag-chain.ts';

export type { PartyLink, TagEdge, TagLink } from './tag-chain.ts';

/** Pages kept at once, as in the request analyzer. */
export const MAX_PAGES = 50;

type Detector = (e: PageEvent, ctx: DetectorContext) => Finding[];
const DETECTORS: readonly [string, Detector][] = [
  ['fingerprinting', detectFingerprinting],
  ['storage-identifier', detectStorageIdentifier],
  ['key-logging', detectKeyLogging],
  ['session-recording', detectSessionRecording],
  ['script-cookie', detectScriptCookie],
];

export interface FrameInfo {
  /** The frame document's URL, from the message sender (browser-provided, not the page). */
  url: string;
}

export interface PageWorldResult {
  findings: Finding[];
  /** Browser cookie events seen earlier, now carrying the script that wrote them. */
  cookieUpdates: CookieEvent[];
  /** Parties brought in by a script, with the edge to store on their row. */
  links: PartyLink[];
  edges: TagEdge[];
  /** Values typed into identifying fields: register with the leak detectors, never store. */
  typed: TypedValue[];
}

export interface PageWorldAnalyzer {
  analyze(page: PageContext, frame: FrameInfo, batch: PageEventBatch): PageWorldResult;
  /** For every browser cookie event: the script that wrote it, when the page world saw it. */
  attributeCookie(page: PageContext, cookie: CookieEvent): string | null;
  endPage(pageId: string): void;
}

interface PageMemory {
  state: PageWorldState;
  join: CookieJoin;
  edges: Set<string>;
}

export interface PageWorldOptions {
  onDetectorError?: (detectorId: string, error: unknown) => void;
}

/** A blob: URL belongs to the origin inside it. */
const networkUrl = (url: string) => (url.startsWith('blob:') ? url.slice(5) : url);

export function createPageWorldAnalyzer(
  knowledge?: TrackerKnowledge,
  options: PageWorldOptions = {},
): PageWorldAnalyzer {
  const kb = knowledge ?? defaultKnowledge();
  const onError = options.onDetectorError ?? (() => undefined);
  const pages = new Map<string, PageMemory>();

  function memoryOf(pageId: string): PageMemory {
    let m = pages.get(pageId);
    if (!m) {
      m = { state: newPageWorldState(), join: newCookieJoin(), edges: new Set() };
      pages.set(pageId, m);
      while (pages.size > MAX_PAGES) {
        const oldest = pages.keys().next().value;
        if (oldest === undefined) break;
        pages.delete(oldest);
      }
    }
    return m;
  }

  function partyOf(page: PageContext, url: string): PartyInfo {
    const u = parseUrl(networkUrl(url));
    return resolveParty(kb, page, u.host, u.pathname);
  }

  function scriptState(
    page: PageContext,
    m: PageMemory,
    frame: FrameInfo,
    script: string | null,
  ): ScriptState | null {
    const key = script ?? `frame:${frame.url}`;
    let s = m.state.scripts.get(key);
    if (s) return s;
    if (m.state.scripts.size >= MAX_SCRIPTS_PER_PAGE) return null;
    const frameParty = partyOf(page, frame.url);
    s = {
      url: script,
      frameUrl: frame.url,
      party: script ? partyOf(page, script) : frameParty,
      frameParty,
      canvases: new Map(),
      fonts: new Set(),
      navigatorProps: new Set(),
      webgl: new Set(),
      audio: new Set(),
      listeners: new Set(),
      observesDocument: false,
      fieldReads: new Set(),
      sends: 0,
    };
    m.state.scripts.set(key, s);
    return s;
  }

  /** Facts several detectors share, noted before they run. */
  function note(s: ScriptState, e: PageEvent): void {
    if (e.t === 'listener') addBounded(s.listeners, `${e.type}|${e.target}`, 128);
    else if (e.t === 'observe' && e.subtree && ['document', 'body'].includes(e.target))
      s.observesDocument = true;
    else if (e.t === 'value-read') s.fieldReads.add(e.field);
    else if (
      (e.t === 'load' || e.t === 'typed-sent') &&
      e.tag !== 'script' &&
      e.tag !== 'iframe' &&
      e.tag !== 'img'
    )
      s.sends++;
    else if (e.t === 'load' && e.tag === 'img' && e.url.includes('?')) s.sends++;
  }

  function analyze(page: PageContext, frame: FrameInfo, batch: PageEventBatch): PageWorldResult {
    const out: PageWorldResult = {
      findings: [],
      cookieUpdates: [],
      links: [],
      edges: [],
      typed: batch.typed,
    };
    try {
      const m = memoryOf(page.pageId);
      for (const e of batch.events) {
        const s = scriptState(page, m, frame, e.script);
        if (!s) continue;
        note(s, e);
        const ctx: DetectorContext = {
          page,
          state: m.state,
          script: s,
          partyOf: (u) => partyOf(page, u),
        };
        for (const [id, detect] of DETECTORS) {
          try {
            out.findings.push(...detect(e, ctx));
          } catch (error) {
            onError(id, error);
          }
        }
        try {
          const t = tagEdge(e, ctx, m.edges);
          if (t) {
            out.edges.push(t.edge);
            if (t.link) out.links.push(t.link);
          }
          if (e.t === 'cookie-write') {
            const update = cookieUpdate(m.join, e, s.url ?? s.frameUrl);
            if (update) out.cookieUpdates.push(update);
          }
        } catch (error) {
          onError('pageworld', error);
        }
      }
    } catch (error) {
      onError('pageworld', error);
    }
    return out;
  }

  return {
    analyze,
    attributeCookie(page, cookie) {
      try {
        return scriptForCookie(memoryOf(page.pageId).join, cookie);
      } catch (error) {
        onError('pageworld', error);
        return null;
      }
    },
    endPage(pageId) {
      pages.delete(pageId);
    },
  };
}
