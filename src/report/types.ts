// The report contract (report.json, schema version 1), as TypeScript types. The JSON Schema
// in docs/report.schema.json and the prose in docs/report.md describe the same shapes; a
// unit test keeps them in step. Rule: add fields, never rename or remove one.
import type { LoadTag } from '../core/pageworld/events.ts';
import type { DataType, Encoding, Evidence, FindingKind, ResourceType } from '../core/model.ts';
import type { CookieRow, FindingRow, PageRow, PartyRow, RequestRow } from '../storage/db.ts';

export const REPORT_SCHEMA_VERSION = 1;
export const GENERATOR_NAME = 'leakwatch';

export interface ReportPage {
  url: string;
  site: string;
  /** ISO 8601. */
  visitedAt: string;
  /** True when the visit came from a HAR file rather than a live browser. */
  imported: boolean;
  /** Why the page could not be audited (load failure, timeout), or null. */
  error: string | null;
}

/** One tag-chain edge: `parent` (a script URL, null for the page's own markup or inline
 * code) loaded `child` (script and frame URLs as sent, masked if they held personal data;
 * pixels and requests by origin and path). */
export interface ReportTagEdge {
  parent: string | null;
  /** The parent's party domain, or 'page'. */
  parentParty: string;
  child: string;
  tag: LoadTag;
}

export interface ReportParty {
  /** The site (registrable domain) the party was seen on; parties are per site. */
  site: string;
  /** The party's registrable domain. */
  domain: string;
  hosts: string[];
  organization: string;
  category: string | null;
  firstParty: boolean;
  sameOrganization: boolean;
  /** null when no authorized list applies to the site. */
  authorized: boolean | null;
  requests: number;
  pixels: number;
  cookiesSet: number;
  kinds: FindingKind[];
  dataTypes: DataType[];
  /** Who brought it in most often: a party domain, 'page', or null when unknown. */
  loadedBy: string | null;
  /** loadedBy followed upward: [loader, loader's loader, ..., 'page' when reached]. */
  loadedByChain: string[];
  /** Script level: which script loaded which of this party's scripts, frames and pixels. */
  tagEdges: ReportTagEdge[];
  trackerName: string | null;
  rule: string | null;
  list: string | null;
  /** How many audited pages of the site it appeared on. */
  pages: number;
  firstSeen: string;
  lastSeen: string;
}

export interface ReportFinding {
  kind: FindingKind;
  page: string;
  site: string;
  party: string;
  host: string;
  requestUrl: string | null;
  dataTypes: DataType[];
  encoding: Encoding | null;
  explanation: string;
  evidence: Evidence;
  time: string;
}

export interface ReportCookie {
  name: string;
  domain: string;
  party: string;
  firstParty: boolean;
  setBy: CookieRow['setBy'];
  scriptUrl: string | null;
  /** ISO 8601, or null for a session cookie. */
  expires: string | null;
  identifierLike: boolean;
  page: string;
  site: string;
  path: string;
  requestUrl: string | null;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string;
  valueLength: number;
  entropyBits: number;
}

export interface ReportRequest {
  url: string;
  type: ResourceType;
  method: string;
  host: string;
  party: string;
  initiator: string | null;
  status: number | null;
  page: string;
  site: string;
  firstParty: boolean;
  tracker: string | null;
  time: string;
  /** The worker missed it; recovered from the page's Resource Timing (URL, type, time). */
  recovered?: true;
}

/** Krux-style numbers for one site. Shares are 0..1, null when the denominator is 0. */
export interface SiteMetrics {
  site: string;
  pageViews: number;
  thirdParties: number;
  thirdPartiesPerPageView: number;
  cookieWritesPerPageView: number;
  cookieWritesBySetter: { header: number; script: number; api: number };
  dataCollectors: number;
  shareNotLoadedByPage: number | null;
  shareLoadedByThirdParty: number | null;
  shareUnauthorized: number | null;
}

export interface PartyRef {
  site: string;
  domain: string;
}

export interface ReportDiff {
  baselineCreatedAt: string;
  newParties: PartyRef[];
  goneParties: PartyRef[];
  newKinds: (PartyRef & { kinds: FindingKind[] })[];
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generator: {
    name: string;
    version: string;
    trackerData: { source: string; version: string };
  };
  createdAt: string;
  pages: ReportPage[];
  parties: ReportParty[];
  findings: ReportFinding[];
  cookies: ReportCookie[];
  requests: ReportRequest[];
  sites: SiteMetrics[];
  /** Present only when a baseline was given. */
  diff?: ReportDiff;
}

/** The stored rows a report is built from (the same shapes db.ts keeps). */
export interface ReportInput {
  pages: PageRow[];
  requests: RequestRow[];
  cookies: CookieRow[];
  parties: PartyRow[];
  findings: FindingRow[];
  /** Pages that failed to load: they have no rows but belong in the report. */
  failedPages?: { url: string; site: string; visitedAt: number; error: string }[];
}

export interface ReportMeta {
  generatorVersion: string;
  trackerData: { source: string; version: string };
  /** ms since epoch or a Date. */
  createdAt: number | Date;
}
