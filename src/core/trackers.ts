// Tracker knowledge: the compact index built by scripts/build-tracker-index.ts from Ghostery
// TrackerDB (CC BY-NC-SA 4.0) and third-party-web (MIT).
//
// Lookups walk the host and its parent domains (a.b.example.com, b.example.com,
// example.com): a handful of Map probes per host, never a scan of all patterns. What the
// walk finds is kept per host (bounded), so a request to a host seen before costs one Map
// probe plus the path filters of that host chain, if it has any (most hosts have none).
import data from '../data/trackers.json';
import type { TrackerMatch } from './model.ts';
import { normalizeHost } from './url.ts';

/** The shape of src/data/trackers.json (see the build script for how it is made). */
export interface TrackerIndexData {
  list: string;
  version: string;
  categories: Record<string, string>;
  /** pattern key → [name, category id, organization, hosts, filters] */
  patterns: Record<string, [string, string, string, string[], string[]]>;
  /** organization → registrable domains it owns */
  organizations: Record<string, string[]>;
}

interface Pattern {
  key: string;
  name: string;
  category: string;
  organization: string;
}

interface PathRule {
  /** Path prefix, may include '?query' (`||play.google.com/log?format=json`). */
  prefix: string;
  /** `^` at the end: the prefix must be followed by a separator or the end. */
  anchored: boolean;
  pattern: Pattern;
  rule: string;
  /** The match object, made once: callers compare matches by identity to reuse results. */
  match?: TrackerMatch;
}

interface HostRule {
  pattern: Pattern;
  rule: string;
  match?: TrackerMatch;
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

// Mirrors the build script: `||host[/path][^][$options]`.
const FILTER = /^\|\|([a-z0-9][a-z0-9.-]*)(\/[^*^$|\s]*)?(\^)?(?:\$.*)?$/;
// ABP separator: anything but a letter, digit, or one of `_-.%`.
const SEPARATOR = /[^a-z0-9_\-.%]/i;

export class TrackerKnowledge {
  readonly list: string;
  readonly version: string;
  readonly categories: Readonly<Record<string, string>>;
  private readonly data: TrackerIndexData;
  private hostRules: Map<string, HostRule> | null = null;
  private pathRules: Map<string, PathRule[]> | null = null;
  private orgByDomain: Map<string, string> | null = null;
  private readonly hosts = new Map<string, HostEntry>();

  constructor(index: TrackerIndexData = data as unknown as TrackerIndexData) {
    this.data = index;
    this.list = index.list;
    this.version = index.version;
    this.categories = index.categories;
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
      return (r.match ??= this.toMatch(r.pattern, r.rule));
    }
    return entry.hostMatch;
  }

  private hostEntry(h: string): HostEntry {
    const hit = this.hosts.get(h);
    if (hit) return hit;
    this.build();
    const pathRules = this.pathRules as Map<string, PathRule[]>;
    const hostRules = this.hostRules as Map<string, HostRule>;
    let rules: PathRule[] | null = null;
    let hostRule: HostRule | null = null;
    for (let s: string | null = h; s; s = parent(s)) {
      const list = pathRules.get(s);
      if (list) rules = rules ? rules.concat(list) : list.slice();
      hostRule ??= hostRules.get(s) ?? null;
    }
    const entry: HostEntry = {
      pathRules: rules ?? NO_PATH_RULES,
      hostMatch: hostRule
        ? (hostRule.match ??= this.toMatch(hostRule.pattern, hostRule.rule))
        : null,
    };
    if (this.hosts.size >= HOST_CACHE_LIMIT) {
      const oldest = this.hosts.keys().next().value;
      if (oldest !== undefined) this.hosts.delete(oldest);
    }
    this.hosts.set(h, entry);
    return entry;
  }

  /** Organization owning a registrable domain (youtube.com → Google), or null. */
  organizationOfDomain(domain: string): string | null {
    if (!this.orgByDomain) {
      const m = new Map<string, string>();
      for (const [org, domains] of Object.entries(this.data.organizations)) {
        for (const d of domains) m.set(d, org);
      }
      this.orgByDomain = m;
    }
    return this.orgByDomain.get(normalizeHost(domain)) ?? null;
  }

  /** Display name of a category id ("site_analytics" → "Site Analytics"). */
  categoryName(id: string): string {
    return this.categories[id] ?? id;
  }

  private toMatch(p: Pattern, rule: string): TrackerMatch {
    // Frozen: one object is shared by every request that matches this rule.
    return Object.freeze({
      key: p.key,
      name: p.name,
      organization: p.organization,
      category: p.category,
      rule,
      list: this.listLabel,
    });
  }

  // Built on first use so that importing the module (worker start-up) costs nothing.
  private build(): void {
    if (this.hostRules && this.pathRules) return;
    const hostRules = new Map<string, HostRule>();
    const pathRules = new Map<string, PathRule[]>();
    for (const [key, row] of Object.entries(this.data.patterns)) {
      const [name, category, organization, hosts, filters] = row;
      const pattern: Pattern = { key, name, category, organization };
      for (const h of hosts) if (!hostRules.has(h)) hostRules.set(h, { pattern, rule: h });
      for (const f of filters) {
        const m = FILTER.exec(f);
        if (!m) continue;
        const [, fh = '', path, caret] = m;
        if (!path) {
          if (!hostRules.has(fh)) hostRules.set(fh, { pattern, rule: f });
          continue;
        }
        const list = pathRules.get(fh) ?? [];
        list.push({ prefix: path, anchored: caret === '^', pattern, rule: f });
        pathRules.set(fh, list);
      }
    }
    // Longest prefix first, so /pagead/viewthroughconversion wins over /pagead.
    for (const list of pathRules.values()) list.sort((a, b) => b.prefix.length - a.prefix.length);
    this.hostRules = hostRules;
    this.pathRules = pathRules;
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
