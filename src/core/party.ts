// Who is behind a host, relative to the page: registrable domain (Public Suffix List with the
// private section on, everywhere, so a.github.io and b.github.io are different sites, as
// browsers scope cookies), first or third party, and the owning organization.
import type { PageContext, PartyInfo } from './model.ts';
import { getDomain } from './psl.ts';
import type { TrackerKnowledge } from './trackers.ts';
import { normalizeHost } from './url.ts';

/** Enough for every host of a busy browsing session; beyond it the oldest entries go. */
const CACHE_LIMIT = 4_096;
const domainCache = new Map<string, string>();

/**
 * Registrable domain (eTLD+1) of a host. IP addresses, `localhost`, single labels and hosts
 * that are themselves a public suffix have none: the host itself stands for its party.
 */
export function registrableDomain(host: string): string {
  const h = normalizeHost(host);
  const hit = domainCache.get(h);
  if (hit !== undefined) return hit;
  let d: string;
  try {
    d = getDomain(h) ?? h;
  } catch {
    d = h; // tldts does not throw on strings, but this is the hot path on hostile input
  }
  if (domainCache.size >= CACHE_LIMIT) {
    const oldest = domainCache.keys().next().value;
    if (oldest !== undefined) domainCache.delete(oldest);
  }
  domainCache.set(h, d);
  return d;
}

/** The page side of a party decision: its site and the organization that owns it. */
export type PageParty = Pick<PageContext, 'site' | 'organization'>;

/**
 * A request's host is first party when its registrable domain is the page's site. A host
 * with no network party (data:, about:blank, malformed: host '') is not a third party either.
 */
export function isFirstParty(host: string, pageSite: string): boolean {
  if (!host) return true;
  return registrableDomain(host) === pageSite;
}

/** True when two registrable domains differ but the knowledge base puts them in one company. */
export function sameOrganization(kb: TrackerKnowledge, a: string, b: string): boolean {
  if (a === b) return false;
  const oa = kb.organizationOfDomain(a);
  return oa !== null && oa === kb.organizationOfDomain(b);
}

/** The party of nothing (no host): first party, no tracker. */
export const NO_PARTY: PartyInfo = Object.freeze({
  host: '',
  domain: '',
  organization: '',
  category: null,
  firstParty: true,
  sameOrganization: false,
  tracker: null,
});

/**
 * What is known about one host regardless of the page, plus the last PartyInfo built for
 * it. A page's requests arrive together, so one remembered (site, organization) pair
 * answers almost every repeat without building a new object.
 */
interface HostParty {
  domain: string;
  /** Owner of the registrable domain per the knowledge base. */
  domainOrg: string | null;
  lastSite: string | null;
  lastOrganization: string | null;
  lastInfo: PartyInfo | null;
}

const hostParties = new WeakMap<TrackerKnowledge, Map<string, HostParty>>();

function hostParty(kb: TrackerKnowledge, h: string): HostParty {
  let cache = hostParties.get(kb);
  if (!cache) {
    cache = new Map();
    hostParties.set(kb, cache);
  }
  let e = cache.get(h);
  if (!e) {
    const domain = registrableDomain(h);
    e = {
      domain,
      domainOrg: kb.organizationOfDomain(domain),
      lastSite: null,
      lastOrganization: null,
      lastInfo: null,
    };
    if (cache.size >= CACHE_LIMIT) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(h, e);
  }
  return e;
}

/**
 * Everything known about the party behind `host` on `page`. `path` (with optional `?query`)
 * refines the tracker match; pass '' for cookies, which have no path of interest.
 *
 * The result is frozen and may be shared between requests: treat it as read-only.
 */
export function resolveParty(
  kb: TrackerKnowledge,
  page: PageParty,
  host: string,
  path: string,
): PartyInfo {
  const h = normalizeHost(host);
  if (!h) return NO_PARTY;
  const e = hostParty(kb, h);
  // Match objects are shared per rule, so identity says "same tracker verdict".
  const tracker = kb.match(h, path);
  if (
    e.lastInfo !== null &&
    e.lastInfo.tracker === tracker &&
    e.lastSite === page.site &&
    e.lastOrganization === page.organization
  ) {
    return e.lastInfo;
  }
  const org = e.domainOrg ?? tracker?.organization ?? null;
  const firstParty = e.domain === page.site;
  const info: PartyInfo = Object.freeze({
    host: h,
    domain: e.domain,
    organization: org ?? e.domain,
    category: tracker?.category ?? null,
    firstParty,
    sameOrganization: !firstParty && org !== null && org === page.organization,
    tracker,
  });
  e.lastSite = page.site;
  e.lastOrganization = page.organization;
  e.lastInfo = info;
  return info;
}

/** Site and owner of a page URL's host ('' for about:blank and other host-less pages). */
export function pageParty(kb: TrackerKnowledge, host: string): PageParty {
  const h = normalizeHost(host);
  if (!h) return { site: '', organization: null };
  const site = registrableDomain(h);
  return { site, organization: kb.organizationOfDomain(site) };
}
