// Shared helpers for detectors: building a Finding with the page and party filled in, and
// wording that several explanations reuse.
import type {
  DataType,
  Encoding,
  Evidence,
  Finding,
  FindingKind,
  PageContext,
  PartyInfo,
} from '../model.ts';

export interface FindingInput {
  kind: FindingKind;
  page: PageContext;
  party: PartyInfo;
  requestUrl: string | null;
  explanation: string;
  evidence: Evidence;
  time: number;
  dataTypes?: DataType[];
  encoding?: Encoding | null;
}

export function makeFinding(f: FindingInput): Finding {
  return {
    kind: f.kind,
    pageId: f.page.pageId,
    page: f.page.url,
    site: f.page.site,
    party: f.party.domain,
    host: f.party.host,
    requestUrl: f.requestUrl,
    dataTypes: f.dataTypes ?? [],
    encoding: f.encoding ?? null,
    explanation: f.explanation,
    evidence: f.evidence,
    time: f.time,
  };
}

/** "doubleclick.net (Google)" or just "example.com" when the owner is unknown. */
export function describeParty(party: PartyInfo): string {
  const name = party.domain || party.host || 'an unknown host';
  return party.organization && party.organization !== party.domain
    ? `${name} (${party.organization})`
    : name;
}

/** Masked preview of a value: first 4 characters and an ellipsis, never the whole value. */
export function maskValue(value: string): string {
  return value.length <= 4 ? '…' : `${value.slice(0, 4)}…`;
}

/**
 * A per-page "seen" set in PageState.scratch, so a detector can report a thing once per
 * page visit (a tracker host, a cookie) instead of once per request. Returns true the first
 * time `key` is seen. Bounded: after `limit` keys everything counts as seen.
 */
export function firstTimeOnPage(
  scratch: Map<string, unknown>,
  detectorId: string,
  key: string,
  limit = 5_000,
): boolean {
  let seen = scratch.get(detectorId);
  if (!(seen instanceof Set)) {
    seen = new Set<string>();
    scratch.set(detectorId, seen);
  }
  const set = seen as Set<string>;
  if (set.has(key)) return false;
  if (set.size >= limit) return false;
  set.add(key);
  return true;
}

// TrackerDB category ids in words that fit "a ___ tracker".
const CATEGORY_WORDS: Record<string, string> = {
  advertising: 'advertising',
  audio_video_player: 'audio/video player',
  consent: 'consent management',
  customer_interaction: 'customer interaction',
  extensions: 'browser extension',
  hosting: 'hosting',
  misc: 'miscellaneous',
  pornvertising: 'adult advertising',
  site_analytics: 'site analytics',
  social_media: 'social media',
  utilities: 'utility',
};

export function categoryLabel(category: string | null): string {
  if (!category) return 'unclassified';
  return CATEGORY_WORDS[category] ?? category.replace(/_/g, ' ');
}

/** Categories that are about collecting data, as opposed to serving content. */
const TRACKING_CATEGORIES = new Set([
  'advertising',
  'site_analytics',
  'pornvertising',
  'social_media',
]);

export function isTrackingCategory(category: string): boolean {
  return TRACKING_CATEGORIES.has(category);
}

/**
 * The site's own pattern on its own domain (nytimes.com on nytimes.com), or a content or
 * hosting pattern of the site's own company on a sister domain (static01.nyt.com on
 * nytimes.com, i.ytimg.com on youtube.com). A path filter match is always reported: the
 * list singled out that endpoint. Google Analytics on youtube.com is still reported.
 */
export function isOwnInfrastructure(party: PartyInfo, pageOrg: string | null): boolean {
  const t = party.tracker;
  if (!t || t.rule.startsWith('||')) return false;
  // Without a known owner for the site, a match on the site's whole domain is its own pattern;
  // a match on one specific subdomain is a tracker living there (e.g. a CNAME'd host).
  const own = pageOrg ? t.organization === pageOrg : party.firstParty && t.rule === party.domain;
  if (!own) return false;
  return party.firstParty || (party.sameOrganization && !TRACKING_CATEGORIES.has(t.category));
}
