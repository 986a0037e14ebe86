// The tracker and Public Suffix List answers as they were before the packed start-up format,
// recomputed from the sources, for test/unit/knowledge-equivalence.test.ts: the plain index
// objects of scripts/tracker-index-source.ts read with the former lookup (a property probe
// per parent domain, then the path filters), and tldts's own getDomain.
import { getDomain } from 'tldts';
import { compileTrackerIndex } from '../../../scripts/tracker-index-source.ts';
import { normalizeHost } from '../../../src/core/url.ts';

const SEPARATOR = /[^a-z0-9_\-.%]/i;

export interface ReferenceMatch {
  key: string;
  name: string;
  organization: string;
  category: string;
  rule: string;
}

export function referenceKnowledge() {
  const src = compileTrackerIndex();
  const { patterns, organizations, hosts, paths, domainOrgs } = src.index;
  const own = <T>(o: Record<string, T>, k: string): T | undefined =>
    Object.hasOwn(o, k) ? o[k] : undefined;
  const toMatch = (index: number, rule: string): ReferenceMatch => {
    const [key = '', name, category = '', org = -1] = patterns[index] ?? [];
    const organization = organizations[org] ?? '';
    return { key, name: name || organization, organization, category, rule };
  };
  return {
    version: src.version,
    categories: src.categories,
    match(host: string, path: string): ReferenceMatch | null {
      const h = normalizeHost(host);
      const rules: { prefix: string; anchored: boolean; pattern: number; rule: string }[] = [];
      let hostMatch: ReferenceMatch | null = null;
      for (let s = h; s;) {
        for (const [prefix, anchored, pattern, options] of own(paths, s) ?? []) {
          const rule = `||${s}${prefix}${anchored ? '^' : ''}${options}`;
          rules.push({ prefix, anchored: anchored === 1, pattern, rule });
        }
        const hr = own(hosts, s);
        if (!hostMatch && hr !== undefined)
          hostMatch = typeof hr === 'number' ? toMatch(hr, s) : toMatch(hr[0], `||${s}${hr[1]}`);
        const dot = s.indexOf('.');
        s = dot === -1 ? '' : s.slice(dot + 1);
      }
      for (const r of rules) {
        if (!path.startsWith(r.prefix)) continue;
        const next = path.charAt(r.prefix.length);
        if (r.anchored && next !== '' && !SEPARATOR.test(next)) continue;
        return toMatch(r.pattern, r.rule);
      }
      return hostMatch;
    },
    organizationOfDomain(domain: string): string | null {
      const i = own(domainOrgs, normalizeHost(domain));
      return i === undefined ? null : (organizations[i] ?? null);
    },
    /** Every host the index names: its host rules, path filters and owned domains. */
    hosts: [...new Set([...Object.keys(hosts), ...Object.keys(paths), ...Object.keys(domainOrgs)])],
    /** Every path prefix of a host's filters, for probing them. */
    pathsOf: (host: string): string[] => (own(paths, host) ?? []).map((r) => r[0]),
  };
}

/** tldts's getDomain with the private section, as src/core/party.ts called it. */
export function referenceGetDomain(host: string): string | null {
  return getDomain(host, { allowPrivateDomains: true });
}

/** The registrable domain, the host itself when it has none (as src/core/party.ts). */
export function referenceRegistrableDomain(host: string): string {
  return referenceGetDomain(host) ?? host;
}
