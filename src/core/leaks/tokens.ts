// The token sink shared by the extractor's parts: collects (location, key, value) tokens,
// decodes nested layers, flattens structure and splits on delimiters, all under hard caps
// so a hostile page cannot make the analysis slow (no regex here can backtrack).
import type { Location } from '../model.ts';
import { base64DecodeText, looksUrlEncoded, safeUrlDecode } from './codec.ts';
import {
  BASE64,
  classify,
  COARSE as COARSE_FLAG,
  COARSE_CHAR,
  FINE as FINE_FLAG,
  FINE_CHAR,
  HEX,
  MIDDLE as MIDDLE_FLAG,
  MIDDLE_CHAR,
  PERCENT,
  STRUCTURE,
} from './charclass.ts';

/** How a token was hidden beyond the protocol's own encoding (query parsing etc.). */
export type TokenEncoding = 'plain' | 'url' | 'base64';

export interface Token {
  location: Location;
  /** Parameter, form field, dotted JSON key, cookie name, or `path[i]`. */
  key: string;
  value: string;
  encoding: TokenEncoding;
  /** True when the token is a piece of a larger value (after splitting). */
  part: boolean;
}

export interface Haystack {
  location: Location;
  text: string;
  /** Its character-pair bitmap (grams.ts), made by the first substring search; null: too long. */
  grams?: number[] | null;
  /** For a text too long for pairs: its window bitmap (grams.ts longGramsOf), made likewise. */
  long?: Int32Array;
}

export interface Extraction {
  tokens: Token[];
  /** Raw texts (URL, body, headers) for the bounded substring check. */
  haystacks: Haystack[];
  truncated: boolean;
  notes: string[];
}

export const MAX_TOKENS = 5_000;
/** Up to this many tokens, duplicates are found by comparing (see TokenSink.seen). */
const LINEAR_DEDUPE = 24;
/**
 * Places one value is kept for in a list before they go into a set: a JSON beacon repeats
 * "0" or "POST" under hundreds of keys, and scanning the list for each made the dedupe
 * quadratic (half of a 26 KB AppDynamics body's 5.5 ms extraction).
 */
const SHORT_LIST = 8;

function spotOf(location: Location, key: string): string {
  return `${location}\u0000${key}`;
}
/** Nested decoding layers (url, base64, base64url), as in LeakDetector. */
export const MAX_LAYERS = 3;
export const MAX_PARTS_PER_VALUE = 64;
const MIN_PART_LENGTH = 4;
export const MAX_SPLIT_INPUT = 4_096;
const MAX_JSON_DEPTH = 32;
const MAX_JSON_CHARS = 262_144;

// Splitting goes coarse to fine and keeps every level: a UUID survives the first two
// levels whole, and only the last level cuts it at '-' (detection-methods.md §0.5).
const COARSE = new RegExp(`${COARSE_CHAR.source}+`);
const MIDDLE = new RegExp(`${MIDDLE_CHAR.source}+`);
const FINE = new RegExp(`${FINE_CHAR.source}+`);

/**
 * Whether `text` could only ever be a value's own token, never one of its split pieces:
 * every piece is cut at the coarse delimiters (the finer levels cut coarse pieces), so
 * none holds one. (Pieces of decoded layers are not covered: a value with such layers
 * has no glance, and only glanced requests ask.)
 */
export function neverAPiece(text: string): boolean {
  return COARSE_CHAR.test(text);
}

/** looksBase64's length bounds (codec.ts). */
export const MIN_BASE64 = 12;
const MAX_BASE64 = 8192;
/** JSON starts with '{' or '[', a URL has '://', an embedded query has '='. */
const MAYBE_STRUCTURED = /[{[=]|:\/\//;

// Two or more name=value pairs: treated as an embedded query string.
const QUERY_LIKE = /^[^=&\s]{1,200}=[^&]*(?:&[^=&\s]{1,200}=[^&]*)+$/;

export class TokenSink {
  readonly tokens: Token[] = [];
  readonly haystacks: Haystack[] = [];
  readonly notes: string[] = [];
  truncated = false;
  /**
   * Tokens already emitted, by value, once there are more than LINEAR_DEDUPE of them (most
   * requests have fewer, and comparing a handful of strings is cheaper than hashing): one
   * Map lookup per token, no id string built. A value seen again under another key is kept
   * in a short list, and past SHORT_LIST places in a set of them.
   */
  private seen: Map<string, Token | Token[] | Set<string>> | null = null;
  /** Parts a split may still emit (see split). */
  private budget = 0;

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  full(): boolean {
    if (this.tokens.length >= MAX_TOKENS) {
      this.truncated = true;
      this.note(`stopped after ${MAX_TOKENS} tokens`);
      return true;
    }
    return false;
  }

  haystack(location: Location, text: string): void {
    if (text.length > 0) this.haystacks.push({ location, text, grams: undefined });
  }

  private push(
    location: Location,
    key: string,
    value: string,
    encoding: TokenEncoding,
    part: boolean,
  ): boolean {
    if (this.full()) return false;
    const tokens = this.tokens;
    if (this.seen === null) {
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i] as Token;
        if (t.value === value && t.key === key && t.location === location) return false;
      }
      const token: Token = { location, key, value, encoding, part };
      tokens.push(token);
      if (tokens.length > LINEAR_DEDUPE) {
        this.seen = new Map();
        for (const t of tokens) this.remember(this.seen, t);
      }
      return true;
    }
    const prev = this.seen.get(value);
    const token: Token = { location, key, value, encoding, part };
    if (prev === undefined) this.seen.set(value, token);
    else if (prev instanceof Set) {
      const spot = spotOf(location, key);
      if (prev.has(spot)) return false;
      prev.add(spot);
    } else if (Array.isArray(prev)) {
      for (const t of prev) if (t.location === location && t.key === key) return false;
      if (prev.length < SHORT_LIST) prev.push(token);
      else {
        const spots = new Set(prev.map((t) => spotOf(t.location, t.key)));
        spots.add(spotOf(location, key));
        this.seen.set(value, spots);
      }
    } else {
      if (prev.location === location && prev.key === key) return false;
      this.seen.set(value, [prev, token]);
    }
    tokens.push(token);
    return true;
  }

  private remember(seen: Map<string, Token | Token[] | Set<string>>, token: Token): void {
    // Only from the first LINEAR_DEDUPE tokens: a list, never yet a set.
    const prev = seen.get(token.value);
    if (prev === undefined) seen.set(token.value, token);
    else if (Array.isArray(prev)) prev.push(token);
    else if (!(prev instanceof Set)) seen.set(token.value, [prev, token]);
  }

  /** A value kept whole: no decoding, no structure, no splitting (a Referer as a whole). */
  whole(location: Location, key: string, value: string): void {
    if (value.length > 0) this.push(location, key, value, 'plain', false);
  }

  /**
   * One field value: the whole value first (splitting breaks UUIDs), then its decoded
   * layers, its structure (JSON, embedded query), then its delimiter-split pieces.
   */
  value(
    location: Location,
    key: string,
    value: string,
    encoding: TokenEncoding = 'plain',
    depth = 0,
    part = false,
  ): void {
    if (value.length === 0) return;
    if (!this.push(location, key, value, encoding, part)) return;
    if (depth >= MAX_LAYERS) return;
    // One pass answers every question below (see charclass.ts): the same decisions as
    // looksUrlEncoded, looksBase64, MAYBE_STRUCTURED and the split delimiters.
    const flags = classify(value);
    if (flags & PERCENT && looksUrlEncoded(value)) {
      const decoded = safeUrlDecode(value);
      const next = encoding === 'plain' ? 'url' : encoding;
      if (decoded !== value) this.value(location, key, decoded, next, depth + 1, part);
    } else if (
      flags & BASE64 &&
      !(flags & HEX) &&
      value.length >= MIN_BASE64 &&
      value.length <= MAX_BASE64
    ) {
      const decoded = base64DecodeText(value);
      const next = encoding === 'plain' ? 'base64' : encoding;
      if (decoded !== null) this.value(location, key, decoded, next, depth + 1, part);
    }
    if (flags & STRUCTURE && this.structuredText(location, key, value, encoding, depth + 1)) return;
    if (!part) this.split(location, key, value, encoding, depth + 1, flags);
  }

  /** JSON or an embedded query string; returns true when the value was one. */
  structured(
    location: Location,
    key: string,
    text: string,
    encoding: TokenEncoding,
    depth: number,
  ): boolean {
    // Every branch below needs one of these characters; most values have none (ids,
    // words, numbers), and this check is much cheaper than trimming and three patterns.
    if (!MAYBE_STRUCTURED.test(text)) return false;
    return this.structuredText(location, key, text, encoding, depth);
  }

  /** structured() once MAYBE_STRUCTURED is known to hold. */
  private structuredText(
    location: Location,
    key: string,
    text: string,
    encoding: TokenEncoding,
    depth: number,
  ): boolean {
    const t = text.trim();
    const first = t.charAt(0);
    if ((first === '{' || first === '[') && t.length <= MAX_JSON_CHARS) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(t);
      } catch {
        return false;
      }
      this.json(location, key, parsed, encoding, depth);
      return true;
    }
    if (/^https?:\/\//i.test(t) && t.length <= MAX_SPLIT_INPUT * 4) {
      // A URL inside a value (dl=, url=, redirect targets): its parameters are fields too.
      const q = t.indexOf('?');
      if (q === -1) return false;
      const hash = t.indexOf('#', q);
      this.query(location, key, t.slice(q + 1, hash === -1 ? undefined : hash), encoding, depth);
      return false; // still split the URL itself: hosts and path pieces can matter
    }
    if (t.length <= MAX_SPLIT_INPUT * 4 && QUERY_LIKE.test(t)) {
      this.query(location, key, t, encoding, depth);
      return true;
    }
    return false;
  }

  /** An application/x-www-form-urlencoded string. */
  query(location: Location, prefix: string, text: string, encoding: TokenEncoding, depth: number) {
    for (const pair of text.split('&')) {
      if (this.full()) return;
      const eq = pair.indexOf('=');
      const k = safeUrlDecode(eq === -1 ? pair : pair.slice(0, eq));
      const v = eq === -1 ? '' : safeUrlDecode(pair.slice(eq + 1));
      this.value(location, joinKey(prefix, k), v, encoding, depth);
    }
  }

  /** Flattens JSON to dotted keys (`properties.contents.0.content_id`), iteratively. */
  json(location: Location, prefix: string, root: unknown, encoding: TokenEncoding, depth: number) {
    const stack: [string, unknown, number][] = [[prefix, root, 0]];
    while (stack.length > 0) {
      if (this.full()) return;
      const [key, node, level] = stack.pop() as [string, unknown, number];
      if (node === null || node === undefined) continue;
      if (typeof node === 'string') this.value(location, key, node, encoding, depth);
      else if (typeof node === 'number' || typeof node === 'boolean') {
        this.push(location, key, String(node), encoding, false);
      } else if (typeof node === 'object' && level < MAX_JSON_DEPTH) {
        const entries = Array.isArray(node)
          ? node.map((v, i): [string, unknown] => [String(i), v])
          : Object.entries(node as Record<string, unknown>);
        for (let i = entries.length - 1; i >= 0; i--) {
          const entry = entries[i];
          if (entry) stack.push([joinKey(key, entry[0]), entry[1], level + 1]);
        }
      }
    }
  }

  private split(
    location: Location,
    key: string,
    value: string,
    encoding: TokenEncoding,
    depth: number,
    flags: number,
  ): void {
    if (value.length > MAX_SPLIT_INPUT) {
      this.note('long value split only in its first 4096 characters');
      value = value.slice(0, MAX_SPLIT_INPUT);
      flags = classify(value);
    }
    // Nothing to split on: every level would give back the value itself, which is skipped.
    if (!(flags & (COARSE_FLAG | MIDDLE_FLAG | FINE_FLAG))) return;
    // Saved and restored: emitted parts are values too and never split again (part = true),
    // but their decoded layers can reach structured(), whose fields split on their own.
    const outer = this.budget;
    this.budget = MAX_PARTS_PER_VALUE;
    // A level without its delimiters gives back its input: skip the split (and its array).
    // Pieces are substrings of the value: what the value lacks, no piece has.
    const coarseParts = flags & COARSE_FLAG ? value.split(COARSE) : [value];
    // Once the budget is spent no piece is emitted: the rest is not cut any further.
    for (let c = 0; c < coarseParts.length && this.budget > 0; c++) {
      const coarse = coarseParts[c] as string;
      this.emitPart(location, key, coarse, value, encoding, depth);
      const middles =
        flags & MIDDLE_FLAG && MIDDLE_CHAR.test(coarse) ? coarse.split(MIDDLE) : [coarse];
      for (let m = 0; m < middles.length && this.budget > 0; m++) {
        const middle = middles[m] as string;
        if (middle !== coarse) this.emitPart(location, key, middle, value, encoding, depth);
        if (!(flags & FINE_FLAG) || !FINE_CHAR.test(middle)) continue;
        const fine = middle.split(FINE);
        if (fine.length > 1)
          for (let f = 0; f < fine.length && this.budget > 0; f++)
            this.emitPart(location, key, fine[f] as string, value, encoding, depth);
      }
    }
    this.budget = outer;
  }

  private emitPart(
    location: Location,
    key: string,
    p: string,
    whole: string,
    encoding: TokenEncoding,
    depth: number,
  ): void {
    if (this.budget-- > 0 && p.length >= MIN_PART_LENGTH && p !== whole) {
      this.value(location, key, p, encoding, depth, true);
    }
  }
}

export function joinKey(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}
