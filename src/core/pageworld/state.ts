// Per-page memory of the page-world analysis: one ScriptState per calling script (keyed by
// its URL, or by the frame for code with no script URL), plus what was already reported.
// Bounded everywhere: a hostile page can send many distinct scripts, fonts and keys.
import type { PageContext, PartyInfo } from '../model.ts';
import type { AudioApi, FieldKind } from './events.ts';

export const MAX_SCRIPTS_PER_PAGE = 500;
const MAX_SET = 1_000;

export interface CanvasState {
  width: number;
  height: number;
  maxDistinctChars: number;
  colors: Set<string>;
  /** Every text drawn so far was an emoji probe (emoji, few characters). */
  emojiOnly: boolean;
  wroteText: boolean;
  savedOrRestored: boolean;
}

export interface ScriptState {
  /** The calling script's URL; null for inline or unattributed code (see `frameUrl`). */
  url: string | null;
  frameUrl: string;
  /** Who runs the script: its own host's party, or the frame's for unattributed code. */
  party: PartyInfo;
  frameParty: PartyInfo;
  canvases: Map<number, CanvasState>;
  fonts: Set<string>;
  navigatorProps: Set<string>;
  webgl: Set<string>;
  audio: Set<AudioApi>;
  /** `${type}|${target}` of listeners this script added. */
  listeners: Set<string>;
  observesDocument: boolean;
  fieldReads: Set<FieldKind>;
  /** Requests with a body that this script sent (fetch, XHR, beacon, WebSocket). */
  sends: number;
}

export interface PageWorldState {
  scripts: Map<string, ScriptState>;
  /** Finding keys already produced on this page visit. */
  reported: Set<string>;
}

export function newPageWorldState(): PageWorldState {
  return { scripts: new Map(), reported: new Set() };
}

/** Adds to a bounded set; returns true when the value is new. */
export function addBounded<T>(set: Set<T>, value: T, limit = MAX_SET): boolean {
  if (set.has(value) || set.size >= limit) return false;
  set.add(value);
  return true;
}

/** True the first time `key` is reported on this page. */
export function firstReport(state: PageWorldState, key: string): boolean {
  return addBounded(state.reported, key, 10_000);
}

/** A party that does not belong to the page's site or its owner. */
export function isThirdParty(p: PartyInfo): boolean {
  return Boolean(p.domain) && !p.firstParty && !p.sameOrganization;
}

/** What every page-world detector gets besides the event. */
export interface DetectorContext {
  page: PageContext;
  state: PageWorldState;
  script: ScriptState;
  /** Party of any URL (request destinations). */
  partyOf(url: string): PartyInfo;
}

/** "the script https://x/a.js" or "inline code in https://page/" for evidence wording. */
export function describeScript(s: ScriptState): string {
  return s.url ? `the script ${s.url}` : `inline code in ${s.frameUrl}`;
}

/** describeScript at the start of a sentence: "The script https://x/a.js". */
export function describeScriptFirst(s: ScriptState): string {
  const d = describeScript(s);
  return d.charAt(0).toUpperCase() + d.slice(1);
}
