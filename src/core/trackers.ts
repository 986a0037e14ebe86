// Tracker knowledge: the compact index built by scripts/build-tracker-index.ts from Ghostery
// TrackerDB (CC BY-NC-SA 4.0) and third-party-web (MIT).
//
// Lookups walk the host and its parent domains (a.b.example.com, b.example.com,
// example.com): a handful of property probes per host, never a scan of all patterns. What
// the walk finds is kept per host (bounded), so a request to a host seen before costs one
// Map probe plus the path filters of that host chain, if it has any (most hosts have none).
import data from '../data/trackers.json';
import type { TrackerMatch } from './model.ts';
import { normalizeHost } from './url.ts';

/** The shape of src/data/trackers.json (see the build script for how it is made). */
export interface TrackerIndexData {
  list: string;
  version: string;
  categories: Record<string, string>;
  index: {
    /** [pattern key, name ('' when it is the organization's), category id, organization] */
    patterns: [string, string, string, number][];
    /** Organization display names; the numbers here and in domainOrgs point into it. */
    organizations: string[];
    /** host → pattern index (rule: the host), or [pattern index, tail of `||host` + tail] */
    hosts: Record<string, number | [number, string]>;
    /** host → path filters [prefix, anchored 1/0, pattern index, options], longest first */
    paths: Record<string, [string, 0 | 1, number, string][]>;
    /** registrable domain → organization index */
    domainOrgs: Record<string, number>;
  };
}

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

/** `o[k]` when it is o's own property: the index objects come from JSON, with a prototype. */
function own<T>(o: Record<string, T>, k: string): T | undefined {
  return Object.hasOwn(o, k) ? o[k] : undefined;
}

export class TrackerKnowledge {
  readonly list: string;
  readonly version: string;
  readonly categories: Readonly<Record<string, string>>;
  private readonly data: TrackerIndexData['index'];
  private readonly hosts = new Map<string, HostEntry>();
  /** One frozen match per rule: callers compare matches by identity to reuse results. */
  private readonly matches = new Map<string, TrackerMatch>();

  // Nothing is built: the build script emits the lookup objects ready to probe, so
  // start-up is the JSON parse alone.
  constructor(source: TrackerIndexData = data as unknown as TrackerIndexData) {
    this.data = source.index;
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
    const { hosts, paths } = this.data;
    let rules: PathRule[] | null = null;
    let hostMatch: TrackerMatch | null = null;
    for (let s: string | null = h; s; s = parent(s)) {
      const list = own(paths, s);
      if (list) {
        rules ??= [];
        for (const [prefix, anchored, pattern, options] of list) {
          const rule = `||${s}${prefix}${anchored ? '^' : ''}${options}`;
          rules.push({ prefix, anchored: anchored === 1, pattern, rule });
        }
      }
      if (hostMatch) continue;
      const hr = own(hosts, s);
      if (hr === undefined) continue;
      hostMatch =
        typeof hr === 'number' ? this.toMatch(hr, s) : this.toMatch(hr[0], `||${s}${hr[1]}`);
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
    const i = own(this.data.domainOrgs, normalizeHost(domain));
    return i === undefined ? null : (this.data.organizations[i] ?? null);
  }

  /** Display name of a category id ("site_analytics" → "Site Analytics"). */
  categoryName(id: string): string {
    return this.categories[id] ?? id;
  }

  private toMatch(index: number, rule: string): TrackerMatch {
    let m = this.matches.get(rule);
    if (m) return m;
    const [key = '', name, category = '', org = -1] = this.data.patterns[index] ?? [];
    const organization = this.data.organizations[org] ?? '';
    // Frozen: one object is shared by every request that matches this rule.
    m = Object.freeze({
      key,
      name: name || organization,
      organization,
      category,
      rule,
      list: this.listLabel,
    });
    this.matches.set(rule, m);
    return m;
  }
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
