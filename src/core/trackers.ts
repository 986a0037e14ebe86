// Tracker knowledge: the compact index built by scripts/build-tracker-index.ts from Ghostery
// TrackerDB (CC BY-NC-SA 4.0) and third-party-web (MIT), as packed text tables
// (src/data/trackers.ts) read in place, so a woken worker pays only for reading them.
//
// Lookups walk the host and its parent domains (a.b.example.com, b.example.com,
// example.com): one binary search of the host table per host, never a scan of all patterns.
// What the walk finds is kept per host (bounded), so a request to a host seen before costs
// one Map probe plus the path filters of that host chain, if it has any (most have none).
import * as packed from '../data/trackers.ts';
import type { TrackerMatch } from './model.ts';
import { findLine } from './packed-table.ts';
import { normalizeHost } from './url.ts';

/**
 * The packed tables of src/data/trackers.ts (format: scripts/build-tracker-index.ts). They
 * are read in place, by binary search (src/core/packed-table.ts): loading the knowledge
 * costs reading three string literals, nothing is parsed or built up front.
 */
export interface TrackerIndexData {
  list: string;
  version: string;
  categories: Readonly<Record<string, string>>;
  /** Category ids, by the index a pattern line stores. */
  categoryIds: readonly string[];
  /** Organization names, one per line; referenced by the offset of their line. */
  organizations: string;
  /** `key\tname\tcategory\torganization` lines; referenced by the offset of their line. */
  patterns: string;
  /** `host\thostRule\torganization\tpathRules` lines, sorted by host. */
  hosts: string;
}

const BUNDLED: TrackerIndexData = {
  list: packed.LIST,
  version: packed.VERSION,
  categories: packed.CATEGORIES,
  categoryIds: packed.CATEGORY_IDS,
  organizations: packed.ORGANIZATIONS,
  patterns: packed.PATTERNS,
  hosts: packed.HOSTS,
};

interface PathRule {
  /** Path prefix, may include '?query' (`||play.google.com/log?format=json`). */
  prefix: string;
  /** `^` at the end: the prefix must be followed by a separator or the end. */
  anchored: boolean;
  pattern: number;
  rule: string;
}

/** What the parent-domain walk found for one host. */
interface HostEntry {
  /** Path filters of the host and its parents, in the order they are tried. */
  pathRules: readonly PathRule[];
  hostMatch: TrackerMatch | null;
}

/** Hosts whose walk is remembered; a browsing session rarely sees more. */
const HOST_CACHE_LIMIT = 4_096;
const NO_PATH_RULES: readonly PathRule[] = [];

// ABP separator: anything but a letter, digit, or one of `_-.%`.
const SEPARATOR = /[^a-z0-9_\-.%]/i;

/** Reads a base-36 number at `at`, up to the first character that is not a base-36 digit. */
function readB36(s: string, at: number): { value: number; end: number } {
  let value = 0;
  let i = at;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 122 ? c - 87 : -1;
    if (d < 0) break;
    value = value * 36 + d;
  }
  return { value, end: i };
}

/** The line of a text table that starts at `at`, without its '\n'. */
function lineAt(s: string, at: number): string {
  const end = s.indexOf('\n', at);
  return s.slice(at, end === -1 ? s.length : end);
}

export class TrackerKnowledge {
  readonly list: string;
  readonly version: string;
  readonly categories: Readonly<Record<string, string>>;
  private readonly data: TrackerIndexData;
  private readonly hosts = new Map<string, HostEntry>();
  /** Registrable domain → owner, for domains asked about before (bounded). */
  private readonly orgs = new Map<string, string | null>();
  /** One frozen match per rule: callers compare matches by identity to reuse results. */
  private readonly matches = new Map<string, TrackerMatch>();

  // Nothing is built: lookups read the packed tables in place.
  constructor(source: TrackerIndexData = BUNDLED) {
    this.data = source;
    this.list = source.list;
    this.version = source.version;
    this.categories = source.categories;
  }

  /** "Ghostery TrackerDB 1.0.945": the list name a finding cites. */
  get listLabel(): string {
    return `${this.list} ${this.version}`;
  }

  /**
   * The tracker pattern for a request, or null. `path` is the URL path, optionally followed
   * by `?query` (some filters include a query prefix). Path filters are tried first, on the
   * host and every parent domain, because they are the list's more precise statements
   * (google.com/pagead/... is DoubleClick while google.com is Google); host entries after.
   */
  match(host: string, path: string): TrackerMatch | null {
    const h = normalizeHost(host);
    if (!h) return null;
    const entry = this.hostEntry(h);
    for (const r of entry.pathRules) {
      if (!path.startsWith(r.prefix)) continue;
      const next = path.charAt(r.prefix.length);
      if (r.anchored && next !== '' && !SEPARATOR.test(next)) continue;
      return this.toMatch(r.pattern, r.rule);
    }
    return entry.hostMatch;
  }

  private hostEntry(h: string): HostEntry {
    const hit = this.hosts.get(h);
    if (hit) return hit;
    const table = this.data.hosts;
    let rules: PathRule[] | null = null;
    let hostMatch: TrackerMatch | null = null;
    for (let s: string | null = h; s; s = parent(s)) {
      const at = findLine(table, s);
      if (at === -1) continue;
      // Fields: hostRule \t organization \t pathRules \n
      const ruleEnd = table.indexOf('\t', at);
      const pathsAt = table.indexOf('\t', ruleEnd + 1) + 1;
      const lineEnd = table.indexOf('\n', pathsAt);
      if (lineEnd > pathsAt) {
        rules ??= [];
        for (const r of table.slice(pathsAt, lineEnd).split(' ')) rules.push(pathRule(s, r));
      }
      if (hostMatch || ruleEnd === at) continue;
      const { value: pattern, end } = readB36(table, at);
      // A bare pattern: the rule is the host; `pattern|tail`: the filter `||host` + tail.
      hostMatch =
        end === ruleEnd
          ? this.toMatch(pattern, s)
          : this.toMatch(pattern, `||${s}${table.slice(end + 1, ruleEnd)}`);
    }
    const entry: HostEntry = { pathRules: rules ?? NO_PATH_RULES, hostMatch };
    if (this.hosts.size >= HOST_CACHE_LIMIT) {
      const oldest = this.hosts.keys().next().value;
      if (oldest !== undefined) this.hosts.delete(oldest);
    }
    this.hosts.set(h, entry);
    return entry;
  }

  /** Organization owning a registrable domain (youtube.com → Google), or null. */
  organizationOfDomain(domain: string): string | null {
    const d = normalizeHost(domain);
    const hit = this.orgs.get(d);
    if (hit !== undefined) return hit;
    let org: string | null = null;
    const table = this.data.hosts;
    const at = findLine(table, d);
    if (at !== -1) {
      const orgAt = table.indexOf('\t', at) + 1;
      if (table.charCodeAt(orgAt) !== 9) {
        org = lineAt(this.data.organizations, readB36(table, orgAt).value);
      }
    }
    if (this.orgs.size >= HOST_CACHE_LIMIT) {
      const oldest = this.orgs.keys().next().value;
      if (oldest !== undefined) this.orgs.delete(oldest);
    }
    this.orgs.set(d, org);
    return org;
  }

  /** Display name of a category id ("site_analytics" → "Site Analytics"). */
  categoryName(id: string): string {
    return this.categories[id] ?? id;
  }

  /** The shared match for `rule`, of the pattern whose line starts at `pattern`. */
  private toMatch(pattern: number, rule: string): TrackerMatch {
    let m = this.matches.get(rule);
    if (m) return m;
    const [key = '', name = '', category = '', org = ''] = lineAt(
      this.data.patterns,
      pattern,
    ).split('\t');
    const organization = lineAt(this.data.organizations, readB36(org, 0).value);
    // Frozen: one object is shared by every request that matches this rule.
    m = Object.freeze({
      key,
      name: name || organization,
      organization,
      category: this.data.categoryIds[readB36(category, 0).value] ?? '',
      rule,
      list: this.listLabel,
    });
    this.matches.set(rule, m);
    return m;
  }
}

/** One path filter of `host`: pattern ['^'] prefix [$options] (scripts/build-tracker-index.ts). */
function pathRule(host: string, packedRule: string): PathRule {
  const { value: pattern, end } = readB36(packedRule, 0);
  const anchored = packedRule.charCodeAt(end) === 94; // '^'
  const prefixAt = anchored ? end + 1 : end;
  const dollar = packedRule.indexOf('$', prefixAt);
  const prefix = packedRule.slice(prefixAt, dollar === -1 ? packedRule.length : dollar);
  const options = dollar === -1 ? '' : packedRule.slice(dollar);
  return { prefix, anchored, pattern, rule: `||${host}${prefix}${anchored ? '^' : ''}${options}` };
}

/** "a.b.com" → "b.com" → "com" → null. */
function parent(host: string): string | null {
  const dot = host.indexOf('.');
  return dot === -1 ? null : host.slice(dot + 1);
}

let shared: TrackerKnowledge | null = null;
/** The process-wide instance over the bundled index. */
export function defaultKnowledge(): TrackerKnowledge {
  shared ??= new TrackerKnowledge();
  return shared;
}
