// One rule for "this party collects", shared by the badge (background) and the popup (UI)
// so the number on the toolbar icon and the count in the popup never disagree.
import { FINDING_KINDS } from './model.ts';
import type { DataType, FindingKind } from './model.ts';

/** The fields of a stored party aggregate that the rule reads. */
export interface PartySummary {
  organization: string;
  firstParty: boolean;
  sameOrganization: boolean;
  category: string | null;
  pixels: number;
  cookiesSet: number;
  kinds: readonly FindingKind[];
  dataTypes: readonly DataType[];
}

/**
 * Categories that serve content rather than collect: a party in one of these is not counted
 * as tracking unless it also did something (pixel, cookie, leak).
 */
const CONTENT_CATEGORIES = new Set(['hosting', 'cdn', 'utilities', 'utility', 'content']);

export function isContentCategory(category: string | null): boolean {
  return category !== null && CONTENT_CATEGORIES.has(category);
}

// These say what a party *did*; 'tracker-request' and 'unauthorized-party' only say what it is.
const ACTIVE_KINDS = new Set<FindingKind>(
  FINDING_KINDS.filter((k) => k !== 'tracker-request' && k !== 'unauthorized-party'),
);

/** A third party that collects: a known tracker (not a content host) or one caught doing so. */
export function isTrackingParty(p: PartySummary): boolean {
  if (p.firstParty || p.sameOrganization) return false;
  if (p.pixels > 0 || p.cookiesSet > 0 || p.dataTypes.length > 0) return true;
  if (p.kinds.some((k) => ACTIVE_KINDS.has(k))) return true;
  return p.category !== null && !isContentCategory(p.category);
}

/** How many companies collect: tracking parties counted once per organization. */
export function countTrackingOrganizations(parties: readonly PartySummary[]): number {
  const orgs = new Set<string>();
  for (const p of parties) if (isTrackingParty(p)) orgs.add(p.organization);
  return orgs.size;
}
