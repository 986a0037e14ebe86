// Pure shaping of a visit's party rows for display: which section each organization
// belongs to, the order (most data taken first) and the one-line "why" for each row.
import { DATA_TYPES, FINDING_KINDS } from '../../core/model.ts';
import type { DataType, FindingKind } from '../../core/model.ts';
import type { PartyRow } from '../../storage/db.ts';
import { isTrackingParty } from '../../core/tracking.ts';
import { categoryLabel, dataTypeLabel, isContentCategory, joinList, plural } from './format.ts';

export type Section = 'tracking' | 'other' | 'first-party';

/** One organization's parties on one visit, added up. */
export interface OrgGroup {
  organization: string;
  section: Section;
  /** Most severe first; `parties[0]` supplies the group's category and "why". */
  parties: PartyRow[];
  domains: string[];
  category: string | null;
  requests: number;
  pixels: number;
  cookiesSet: number;
  kinds: FindingKind[];
  dataTypes: DataType[];
  why: string;
  /** null without an authorized list; false when any of its domains is not on it. */
  authorized: boolean | null;
  /**
   * Who brought the (first unauthorized, else lead) domain in, followed upward to the first
   * authorized ancestor or the page: ['tagvendor.test', 'page']. Empty when not known.
   */
  loaderChain: string[];
  /** The chain in words: "loaded by tagvendor.test (authorized)". */
  loaderText: string;
}

export interface GroupedParties {
  tracking: OrgGroup[];
  other: OrgGroup[];
  firstParty: OrgGroup[];
}

/** Data about the person, as opposed to about the page or the browser. */
const PERSONAL = new Set<DataType>(['email', 'phone', 'name', 'address']);

/** A third party that collects (the same rule the badge counts with). */
export const isTracking: (p: PartyRow) => boolean = isTrackingParty;

function sectionOf(p: PartyRow): Section {
  if (p.firstParty || p.sameOrganization) return 'first-party';
  return isTracking(p) ? 'tracking' : 'other';
}

/** "Known advertising tracker" / "Known tracker" when the category has no useful noun. */
function knownTracker(category: string | null): string {
  const label = category === null ? '' : categoryLabel(category).toLowerCase();
  const generic =
    label === '' || label === 'tracker' || label === 'other' || label === 'uncategorized';
  return generic ? 'Known tracker' : `Known ${label === 'cdn' ? 'CDN' : label} tracker`;
}

// Heuristic reasons, most serious first. Each names what the detector saw. The serious ones
// outrank "sent a pixel"; the rest come after it.
const SERIOUS_REASONS: [FindingKind, string][] = [
  ['key-logging', 'Captured typed form input before it was submitted'],
  ['pii-leak', 'Received personal data from this page'],
  ['session-recording', 'Recorded the session (mouse, clicks, typing)'],
  ['fingerprinting', 'Probed the browser to fingerprint it'],
];
const OTHER_REASONS: [FindingKind, string][] = [
  ['id-sync', "Received another company's identifier (ID syncing)"],
  ['cookie-sharing', "Received a value of this site's own cookies"],
  ['cname-cloaking', 'Hidden behind a host name of this site (CNAME cloaking)'],
  ['ecommerce-leak', 'Received order or product details'],
  ['page-url-leak', 'Received the address of the page'],
  ['identifier-cookie', 'Set a cookie that looks like a unique identifier'],
  ['storage-identifier', 'Stored an identifier in browser storage'],
];

function listMatch(head: string, p: PartyRow): string {
  if (p.rule !== null && p.list !== null) return `${head}: matched ${p.rule} in ${p.list}`;
  if (p.rule !== null) return `${head}: matched ${p.rule}`;
  return `${head}: listed in ${p.list}`;
}

/**
 * The one-line reason a party is listed, naming the list and rule when a tracker list
 * matched, else the strongest thing it was seen doing.
 */
export function whyLine(p: PartyRow): string {
  if (p.firstParty) return 'This site itself';
  if (p.sameOrganization) return `Owned by ${p.organization}, the same company as this site`;
  const listed = p.rule !== null || p.list !== null;
  const content = isContentCategory(p.category);
  if (listed && !content) return listMatch(knownTracker(p.category), p);
  for (const [kind, reason] of SERIOUS_REASONS) {
    if (!p.kinds.includes(kind)) continue;
    const taken = p.dataTypes.filter((d) => PERSONAL.has(d)).map(dataTypeLabel);
    return kind === 'pii-leak' && taken.length > 0
      ? `Received your ${joinList(taken)} from this page`
      : reason;
  }
  if (p.pixels > 0) {
    return p.pixels === 1 ? 'Sent a pixel with data' : `Sent ${p.pixels} pixels with data`;
  }
  for (const [kind, reason] of OTHER_REASONS) if (p.kinds.includes(kind)) return reason;
  if (p.cookiesSet > 0 || p.kinds.includes('third-party-cookie')) {
    return p.cookiesSet > 1
      ? `Set ${plural(p.cookiesSet, 'third-party cookie')}`
      : 'Set a third-party cookie';
  }
  if (p.dataTypes.length > 0) return 'Received data from this page';
  if (listed) return listMatch(`${categoryLabel(p.category)} service`, p);
  if (p.category !== null && !isContentCategory(p.category)) return knownTracker(p.category);
  if (p.kinds.includes('unauthorized-party')) return "Not on the site's authorized list";
  return p.category !== null
    ? `${categoryLabel(p.category)} provider; no tracking seen`
    : 'Loaded content; no tracking seen';
}

interface Severity {
  pixels: number;
  cookiesSet: number;
  requests: number;
  dataTypes: readonly DataType[];
}

const personal = (s: Severity) => (s.dataTypes.some((d) => PERSONAL.has(d)) ? 1 : 0);

/**
 * Most severe first: personal data taken, then how many kinds of data, then pixels, then
 * cookies, then requests.
 */
export function bySeverity(a: Severity, b: Severity): number {
  return (
    personal(b) - personal(a) ||
    b.dataTypes.length - a.dataTypes.length ||
    b.pixels - a.pixels ||
    b.cookiesSet - a.cookiesSet ||
    b.requests - a.requests
  );
}

function inOrder<T extends string>(all: readonly T[], seen: Set<T>): T[] {
  return all.filter((x) => seen.has(x));
}

function makeGroup(organization: string, section: Section, rows: PartyRow[]): OrgGroup {
  const parties = [...rows].sort((a, b) => bySeverity(a, b) || a.domain.localeCompare(b.domain));
  const kinds = new Set<FindingKind>();
  const dataTypes = new Set<DataType>();
  let requests = 0;
  let pixels = 0;
  let cookiesSet = 0;
  for (const p of parties) {
    requests += p.requests;
    pixels += p.pixels;
    cookiesSet += p.cookiesSet;
    for (const k of p.kinds) kinds.add(k);
    for (const d of p.dataTypes) dataTypes.add(d);
  }
  // A tracker-list match is the best-documented reason, so it leads when any domain has one;
  // else the most severe domain that tracks, not a content domain of the same company.
  const lead =
    parties.find((p) => (p.rule !== null || p.list !== null) && !isContentCategory(p.category)) ??
    parties.find(isTracking) ??
    parties[0]!;
  return {
    organization,
    section,
    parties,
    domains: parties.map((p) => p.domain),
    category: lead.category ?? parties.find((p) => p.category !== null)?.category ?? null,
    requests,
    pixels,
    cookiesSet,
    kinds: inOrder(FINDING_KINDS, kinds),
    dataTypes: inOrder(DATA_TYPES, dataTypes),
    why: whyLine(lead),
    authorized: parties.some((p) => p.authorized === false)
      ? false
      : parties.some((p) => p.authorized === true)
        ? true
        : null,
    loaderChain: [],
    loaderText: '',
  };
}

/** Bounds the walk up the loader links (a cycle or a very deep chain of tags). */
const MAX_CHAIN = 8;

/**
 * loadedBy followed upward through the visit's parties: stops at the page, at the first
 * authorized ancestor, at an unknown loader or at a cycle.
 */
export function loaderChain(start: PartyRow, byDomain: ReadonlyMap<string, PartyRow>): string[] {
  const chain: string[] = [];
  const seen = new Set([start.domain]);
  let next = start.loadedBy;
  while (next !== null && chain.length < MAX_CHAIN && !seen.has(next)) {
    chain.push(next);
    if (next === 'page') break;
    seen.add(next);
    const row = byDomain.get(next);
    if (!row || row.authorized === true || row.firstParty) break;
    next = row.loadedBy;
  }
  return chain;
}

/** "loaded by tagvendor.test (authorized)", "loaded directly by the page", … */
export function loaderLine(
  chain: readonly string[],
  byDomain: ReadonlyMap<string, PartyRow>,
): string {
  if (chain.length === 0) return 'what loaded it is not known';
  if (chain[0] === 'page') return 'loaded directly by the page';
  const named = chain.map((d) => {
    if (d === 'page') return 'the page';
    const a = byDomain.get(d)?.authorized;
    return a === true ? `${d} (authorized)` : a === false ? `${d} (not authorized)` : d;
  });
  return `loaded by ${named.join(', which was loaded by ')}`;
}

/**
 * Groups a visit's parties by organization and splits them into sections. An organization
 * with any tracking domain is tracking as a whole (its content domains are listed inside it:
 * the same company receives both). First-party rows are never merged with third parties.
 */
export function groupParties(rows: readonly PartyRow[]): GroupedParties {
  const own = new Map<string, PartyRow[]>();
  const third = new Map<string, PartyRow[]>();
  for (const row of rows) {
    const bucket = sectionOf(row) === 'first-party' ? own : third;
    const list = bucket.get(row.organization);
    if (list) list.push(row);
    else bucket.set(row.organization, [row]);
  }
  const tracking: OrgGroup[] = [];
  const other: OrgGroup[] = [];
  for (const [org, list] of third) {
    const section = list.some(isTracking) ? 'tracking' : 'other';
    (section === 'tracking' ? tracking : other).push(makeGroup(org, section, list));
  }
  const firstParty = [...own].map(([org, list]) => makeGroup(org, 'first-party', list));
  const byDomain = new Map(rows.map((r) => [r.domain, r]));
  for (const g of [...tracking, ...other]) {
    const start = g.parties.find((p) => p.authorized === false) ?? g.parties[0]!;
    g.loaderChain = loaderChain(start, byDomain);
    g.loaderText = loaderLine(g.loaderChain, byDomain);
  }
  const order = (a: OrgGroup, b: OrgGroup) =>
    bySeverity(a, b) || a.organization.localeCompare(b.organization);
  return {
    tracking: tracking.sort(order),
    other: other.sort(order),
    firstParty: firstParty.sort(order),
  };
}
