// Who is behind a host, relative to the page: registrable domain (Public Suffix List with the
// private section on, everywhere, so a.github.io and b.github.io are different sites, as
// browsers scope cookies), first or third party, and the owning organization.
import { getDomain } from 'tldts';
import type { PageContext, PartyInfo } from './model.ts';
import type { TrackerKnowledge } from './trackers.ts';
import { normalizeHost } from './url.ts';

const PSL_OPTIONS = { allowPrivateDomains: true } as const;
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
    d = getDomain(h, PSL_OPTIONS) ?? h;
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

/**
 * Everything known about the party behind `host` on `page`. `path` (with optional `?query`)
 * refines the tracker match; pass '' for cookies, which have no path of interest.
 */
export function resolveParty(
  kb: TrackerKnowledge,
  page: PageParty,
  host: string,
  path: string,
): PartyInfo {
  const h = normalizeHost(host);
  if (!h) {
    return {
      host: '',
      domain: '',
      organization: '',
      category: null,
      firstParty: true,
      sameOrganization: false,
      tracker: null,
    };
  }
  const domain = registrableDomain(h);
  const tracker = kb.match(h, path);
  const org = kb.organizationOfDomain(domain) ?? tracker?.organization ?? null;
  const firstParty = domain === page.site;
  return {
    host: h,
    domain,
    organization: org ?? domain,
    category: tracker?.category ?? null,
    firstParty,
    sameOrganization: !firstParty && org !== null && org === page.organization,
    tracker,
  };
}

/** Site and owner of a page URL's host ('' for about:blank and other host-less pages). */
export function pageParty(kb: TrackerKnowledge, host: string): PageParty {
  const h = normalizeHost(host);
  if (!h) return { site: '', organization: null };
  const site = registrableDomain(h);
  return { site, organization: kb.organizationOfDomain(site) };
}
