// Registrable domains from the Public Suffix List, ready the moment a worker wakes.
//
// tldts's getDomain, with its suffix trie read in place from a packed string
// (src/data/psl.ts, made by scripts/psl-source.ts from tldts's own trie) instead of typed
// arrays built from number literals and hashed at import (~10 ms per fresh start). Hostname
// handling (IPs, validation, trailing dots, the registrable-domain step) is tldts-core's
// parseImpl, the function tldts itself calls; only the suffix lookup is ours. The walk below
// follows tldts's suffix-trie.ts (MIT, Rémi Berson) step by step over the same nodes and
// edges, so the answers are tldts's (test/unit/knowledge-equivalence.test.ts checks them).
import {
  fastPathLookup,
  getEmptyResult,
  parseImpl,
  resetResult,
  type IPublicSuffix,
  type ISuffixLookupOptions,
} from 'tldts-core';
import { EXCEPTIONS_ROOT, PSL, RULES_ROOT } from '../data/psl.ts';
import { findLine } from './packed-table.ts';

const ICANN = 1;
const PRIVATE = 2;
/** Width of a child reference (base-36 node offset) in an edge line. */
const REF_WIDTH = 4;

// Result of the last walk, kept in module scope as tldts does (lookups are synchronous).
let matchNode = -1;
let matchStart = 0;
let matchEnd = 0;

/** A base-36 digit's value ('0'-'9', 'a'-'z'). */
function digit(c: number): number {
  return c <= 57 ? c - 48 : c - 87;
}

/** The node whose header line starts at `node`: its flags and its edge lines' range. */
function edgesFrom(node: number): number {
  return PSL.indexOf('\n', node) + 1;
}

function edgesEnd(node: number, from: number): number {
  let len = 0;
  for (let i = node + 1; i < from - 1; i++) len = len * 36 + digit(PSL.charCodeAt(i));
  return from + len;
}

function flags(node: number): number {
  return PSL.charCodeAt(node) - 48;
}

/** The child node of the edge labelled `hostname[start, end)`, or of its '*' edge, or -1. */
function child(node: number, hostname: string, start: number, end: number): number {
  const from = edgesFrom(node);
  const to = edgesEnd(node, from);
  let at = findLine(PSL, hostname, from, to, start, end);
  if (at === -1) {
    // No exact edge: the wildcard, which sorts first (never for an empty label).
    if (end === start || from === to) return -1;
    // Read into locals first: Vite's bundler copies the whole table literal into a `||`.
    const first = PSL.charCodeAt(from);
    const second = PSL.charCodeAt(from + 1);
    if (first !== 42 || second !== 9) return -1;
    at = from + 2;
  }
  let ref = 0;
  for (let i = 0; i < REF_WIDTH; i++) ref = ref * 36 + digit(PSL.charCodeAt(at + i));
  return ref;
}

/**
 * Walks `hostname`'s labels right to left from `root`, recording the deepest node whose flags
 * pass `allowedMask` (and that label's bounds). Returns whether anything matched.
 */
function walk(hostname: string, root: number, allowedMask: number): boolean {
  let node = root;
  let end = hostname.length;
  matchNode = -1;
  for (let i = hostname.length - 1; i >= -1; i -= 1) {
    if (i !== -1 && hostname.charCodeAt(i) !== 46 /* '.' */) continue;
    const start = i + 1;
    node = child(node, hostname, start, end);
    if (node === -1) return matchNode !== -1;
    if ((flags(node) & allowedMask) !== 0) {
      matchNode = node;
      matchStart = start;
      matchEnd = end;
    }
    end = i;
  }
  return matchNode !== -1;
}

/** tldts's suffixLookup contract: fills `out`, true when an exception rule decided. */
function suffixLookup(
  hostname: string,
  options: ISuffixLookupOptions,
  out: IPublicSuffix,
): boolean {
  if (fastPathLookup(hostname, options, out)) return false;
  const allowedMask =
    (options.allowPrivateDomains ? PRIVATE : 0) | (options.allowIcannDomains ? ICANN : 0);
  // Exceptions have priority and strip their own left-most label ('!www.ck' makes the
  // suffix of www.ck be ck).
  if (walk(hostname, EXCEPTIONS_ROOT, allowedMask)) {
    out.isIcann = (flags(matchNode) & ICANN) !== 0;
    out.isPrivate = (flags(matchNode) & PRIVATE) !== 0;
    out.publicSuffix = hostname.slice(matchEnd + 1);
    return true;
  }
  if (walk(hostname, RULES_ROOT, allowedMask)) {
    out.isIcann = (flags(matchNode) & ICANN) !== 0;
    out.isPrivate = (flags(matchNode) & PRIVATE) !== 0;
    out.publicSuffix = hostname.slice(matchStart);
    return false;
  }
  // No match: the prevailing '*' rule makes the right-most label the suffix.
  out.isIcann = false;
  out.isPrivate = false;
  const lastDot = hostname.lastIndexOf('.');
  out.publicSuffix = lastDot === -1 ? hostname : hostname.slice(lastDot + 1);
  return false;
}

const RESULT = getEmptyResult();
/** Private suffixes count, everywhere: a.github.io and b.github.io are different sites. */
const OPTIONS = { allowPrivateDomains: true } as const;
/** tldts-core's FLAG.DOMAIN (a const enum, not importable under isolatedModules). */
const STEP_DOMAIN = 3;

/** tldts's getDomain(host, { allowPrivateDomains: true }): the eTLD+1, or null. */
export function getDomain(host: string): string | null {
  resetResult(RESULT);
  return parseImpl(host, STEP_DOMAIN, suffixLookup, OPTIONS, RESULT).domain;
}
