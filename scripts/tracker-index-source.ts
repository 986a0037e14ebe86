// Compiles the tracker knowledge the core needs from its two sources into plain lookup
// objects (compileTrackerIndex). scripts/build-tracker-index.ts packs them into
// src/data/trackers.ts; test/unit/trackers-equivalence.test.ts answers from them directly,
// as the runtime did before the packed format, to hold the packed lookups to the same answers.
//
// Sources:
// - Ghostery TrackerDB (@ghostery/trackerdb, CC BY-NC-SA 4.0): patterns (tracker products)
//   with their domains and filters, categories, organizations.
// - third-party-web (MIT): entity → company and domains, used only to group registrable
//   domains by the company that owns them (youtube.com, ytimg.com and doubleclick.net are
//   all Google).
//
// Only what matching needs is kept: host → pattern, simple `||host/path` filters (exact host
// and path prefix, no wildcards), pattern metadata, and registrable domain → organization.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getDomain } from 'tldts';

const root = resolve(import.meta.dirname, '..');
const TRACKERDB_DIR = resolve(root, 'node_modules/@ghostery/trackerdb');
const TPW_DIR = resolve(root, 'node_modules/third-party-web');

/** The compiled index: what src/data/trackers.json held before the packed format. */
export interface TrackerIndexSource {
  header: { description: string; sources: Record<string, string>[] };
  list: string;
  version: string;
  categories: Record<string, string>;
  index: {
    /** [pattern key, name ('' when it is the organization's), category id, organization] */
    patterns: [string, string, string, number][];
    /** Organization display names, sorted; the numbers here and in domainOrgs point into it. */
    organizations: string[];
    /** host → pattern index (rule: the host), or [pattern index, tail of `||host` + tail] */
    hosts: Record<string, number | [number, string]>;
    /** host → path filters [prefix, anchored 1/0, pattern index, options], longest first */
    paths: Record<string, [string, 0 | 1, number, string][]>;
    /** registrable domain → organization index */
    domainOrgs: Record<string, number>;
  };
}

interface TdbPattern {
  name: string;
  category: string;
  organization: string | null;
  domains: string[];
  filters: string[];
}
interface TdbData {
  categories: Record<string, { name: string }>;
  organizations: Record<string, { name: string }>;
  patterns: Record<string, TdbPattern>;
}
interface TpwEntity {
  name: string;
  company?: string;
  domains: string[];
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** The plain index, in the shape src/data/trackers.json had (see TrackerIndexSource). */
export function compileTrackerIndex(): TrackerIndexSource {
  const tdb = readJson<TdbData>(resolve(TRACKERDB_DIR, 'dist/trackerdb.json'));
  const tdbVersion = readJson<{ version: string }>(resolve(TRACKERDB_DIR, 'package.json')).version;
  const tpw = readJson<TpwEntity[]>(resolve(TPW_DIR, 'dist/entities-nostats.json'));
  const tpwVersion = readJson<{ version: string }>(resolve(TPW_DIR, 'package.json')).version;

  const registrable = (host: string): string =>
    getDomain(host, { allowPrivateDomains: true }) ?? host;

  // Same company under different spellings in the two sources. Keys are normalized names
  // (see normKey); values are the display name we want (TrackerDB's where it has one).
  const ORG_ALIASES: Record<string, string> = {
    facebook: 'Meta',
    metaplatforms: 'Meta',
    twitter: 'X Corp.',
    amazonads: 'Amazon',
    amazonwebservices: 'Amazon',
    amazonpay: 'Amazon',
    adobesystems: 'Adobe',
    salesforcecom: 'Salesforce',
    linkedin: 'Microsoft',
    linkedinads: 'Microsoft',
  };

  /** Lowercase alphanumerics without legal-form suffixes: "Google LLC" and "Google" agree. */
  function normKey(name: string): string {
    return name
      .toLowerCase()
      .replace(
        /[,.]?\s+(inc|llc|ltd|limited|corp|corporation|gmbh|ag|sa|s\.a|co|company|plc)\.?$/g,
        '',
      )
      .replace(/[^a-z0-9]/g, '');
  }

  // --- organizations (TrackerDB names are the display names) -------------------------------
  const orgDisplay = new Map<string, string>(); // normKey → display name
  for (const org of Object.values(tdb.organizations)) {
    if (!orgDisplay.has(normKey(org.name))) orgDisplay.set(normKey(org.name), org.name);
  }
  function displayOrg(name: string): string {
    const key = normKey(name);
    return ORG_ALIASES[key] ?? orgDisplay.get(key) ?? name;
  }

  // --- patterns ----------------------------------------------------------------------------
  // Stored per pattern (not per host) so pattern keys and organization names appear once.
  type PatternRow = [
    name: string,
    category: string,
    organization: string,
    domains: string[],
    filters: string[],
  ];
  const patterns: Record<string, PatternRow> = {};
  const seenHosts = new Set<string>();
  const seenFilters = new Set<string>();

  // `||host^`, `||host/path`, `||host/path^`, optional `$options`. No wildcards, no regexes,
  // no `domain=` conditions: those need a real filter engine and are left to TrackerDB's.
  const SIMPLE_FILTER = /^\|\|([a-z0-9][a-z0-9.-]*)(\/[^*^$|\s]*)?\^?(?:\$([^=]*))?$/;

  const patternKeys = Object.keys(tdb.patterns).sort();
  for (const key of patternKeys) {
    const p = tdb.patterns[key];
    if (!p) continue;
    const orgName = p.organization ? tdb.organizations[p.organization]?.name : undefined;
    const hosts: string[] = [];
    for (const d of p.domains) {
      const host = d.toLowerCase();
      if (seenHosts.has(host)) continue; // first pattern (by key) wins, deterministically
      seenHosts.add(host);
      hosts.push(host);
    }
    patterns[key] = [p.name, p.category, displayOrg(orgName ?? p.name), hosts.sort(), []];
  }
  for (const key of patternKeys) {
    const p = tdb.patterns[key];
    const row = patterns[key];
    if (!p || !row) continue;
    for (const f of p.filters) {
      const m = SIMPLE_FILTER.exec(f);
      if (!m || seenFilters.has(f)) continue;
      const [, host = '', path] = m;
      // A host-only filter adds knowledge only when the host is not already a domain entry.
      if (!path && row[3].includes(host)) continue;
      seenFilters.add(f);
      row[4].push(f);
    }
    row[4].sort();
  }

  // --- registrable domain → organization -----------------------------------------------------
  // Only a claim on the registrable domain itself (or `*.domain`) counts: a claim on one
  // subdomain (fbcdn-photos-e-a.akamaihd.net) says nothing about who owns the rest of the
  // domain (akamaihd.net is shared hosting). Precedence: third-party-web entities that name
  // their parent company, then TrackerDB organizations, then third-party-web entities known
  // only by product name (its "YouTube" entity has no company; TrackerDB knows it is Google).
  const owner = new Map<string, string>();
  function claim(host: string, org: string): void {
    const bare = host.replace(/^\*\./, '').toLowerCase();
    if (registrable(bare) !== bare || owner.has(bare)) return;
    owner.set(bare, org);
  }
  const tpwSorted = [...tpw].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of tpwSorted) {
    if (e.company) for (const d of e.domains) claim(d, displayOrg(e.company));
  }
  for (const key of patternKeys) {
    const org = patterns[key]?.[2];
    const p = tdb.patterns[key];
    if (org && p) for (const d of p.domains) claim(d, org);
  }
  for (const e of tpwSorted) {
    if (!e.company) for (const d of e.domains) claim(d, displayOrg(e.name));
  }
  const orgDomains: Record<string, string[]> = {};
  for (const [domain, org] of owner) (orgDomains[org] ??= []).push(domain);
  for (const list of Object.values(orgDomains)) list.sort();

  const sortKeys = <T>(o: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

  // --- lookup structures, finished here so the extension does no work at start-up -------------
  // The runtime reads these objects as they are parsed (src/core/trackers.ts): no Map is
  // built, no filter is parsed, no list is sorted in the worker. Same precedence as before:
  // patterns by key, each one's hosts before its filters, the first claim on a host wins;
  // path filters of a host longest prefix first (stable, so by pattern key among equals).
  const FILTER = /^\|\|([a-z0-9][a-z0-9.-]*)(\/[^*^$|\s]*)?(\^)?(?:\$.*)?$/;
  // Filters are stored without what their key already says: `||host`, the path, the `^`.
  const patternList: [key: string, name: string, category: string, organization: number][] = [];
  const orgNames = [...new Set([...Object.values(patterns).map((p) => p[2]), ...owner.values()])];
  orgNames.sort();
  const orgIndex = new Map(orgNames.map((o, i) => [o, i]));
  // host → pattern index (the rule is the host itself), or [pattern index, filter tail]: the
  // filter is `||host` + tail (`^$3p`).
  const hostRules: Record<string, number | [number, string]> = {};
  // host → [path prefix, 1 when `^`-anchored else 0, pattern index, options]: the filter is
  // `||host` + prefix + (`^` when anchored) + options (`$3p`, or '').
  const pathRules: Record<string, [string, 0 | 1, number, string][]> = {};
  for (const key of patternKeys) {
    const row = patterns[key];
    if (!row) continue;
    const [name, category, organization, hosts, filters] = row;
    // The name is left empty when it is the organization's (2,000 of the 3,500 patterns).
    const shown = name === organization ? '' : name;
    const i = patternList.push([key, shown, category, orgIndex.get(organization) ?? -1]) - 1;
    for (const h of hosts) if (!Object.hasOwn(hostRules, h)) hostRules[h] = i;
    for (const f of filters) {
      const m = FILTER.exec(f);
      if (!m) continue;
      const [, fh = '', path, caret] = m;
      if (!path) {
        if (!Object.hasOwn(hostRules, fh)) hostRules[fh] = [i, f.slice(2 + fh.length)];
        continue;
      }
      const options = f.slice(2 + fh.length + path.length + (caret ? 1 : 0));
      (pathRules[fh] ??= []).push([path, caret === '^' ? 1 : 0, i, options]);
    }
  }
  for (const list of Object.values(pathRules)) list.sort((a, b) => b[0].length - a[0].length);
  // registrable domain → index into organizations
  const domainOrgs: Record<string, number> = {};
  for (const [domain, org] of owner) domainOrgs[domain] = orgIndex.get(org) ?? -1;

  return {
    header: {
      description:
        'Generated by scripts/build-tracker-index.ts. Do not edit by hand; run npm run data:trackers.',
      sources: [
        {
          name: 'Ghostery TrackerDB',
          package: '@ghostery/trackerdb',
          version: tdbVersion,
          licence: 'CC BY-NC-SA 4.0',
          url: 'https://github.com/ghostery/trackerdb',
        },
        {
          name: 'third-party-web',
          package: 'third-party-web',
          version: tpwVersion,
          licence: 'MIT',
          url: 'https://github.com/patrickhulce/third-party-web',
        },
      ],
    },
    list: 'Ghostery TrackerDB',
    version: tdbVersion,
    categories: sortKeys(
      Object.fromEntries(Object.entries(tdb.categories).map(([id, c]) => [id, c.name])),
    ),
    index: {
      /** [pattern key, name ('' when the organization's), category id, organization index] */
      patterns: patternList,
      /** organization display names, sorted */
      organizations: orgNames,
      /** host → pattern index, or [pattern index, tail of a `||host^...` filter]; subdomains too */
      hosts: sortKeys(hostRules),
      /** host → its `||host/path` filters as [prefix, anchored, pattern index, options] */
      paths: sortKeys(pathRules),
      /** registrable domain → index into organizations */
      domainOrgs: sortKeys(domainOrgs),
    },
  };
}
