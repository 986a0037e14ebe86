// The project's own event and finding types. The platform adapter converts raw browser
// `details` into these at the boundary; HAR import converts HAR entries into the same
// shapes, so every detector runs unchanged on live traffic and on offline captures.

/** Resource types after normalization (Firefox `imageset` becomes `image`, `beacon` stays). */
export type ResourceType =
  | 'main_frame'
  | 'sub_frame'
  | 'stylesheet'
  | 'script'
  | 'image'
  | 'font'
  | 'object'
  | 'xmlhttprequest'
  | 'ping'
  | 'beacon'
  | 'csp_report'
  | 'media'
  | 'websocket'
  | 'other';

export interface Header {
  name: string;
  value: string;
}

/**
 * A request body as we keep it: form fields (already split by the browser), or text
 * decoded from raw bytes. Bodies are capped (see MAX_BODY_CHARS); `truncated` says so.
 */
export type RequestBody =
  | { kind: 'form'; fields: Record<string, string[]>; truncated: boolean }
  | { kind: 'text'; text: string; truncated: boolean; binary: boolean };

/** One HTTP request after all its webRequest stages (or one HAR entry). */
export interface RequestRecord {
  /** Unique per capture (browser requestId plus redirect hop, or HAR index). */
  id: string;
  url: string;
  method: string;
  type: ResourceType;
  tabId: number;
  frameId: number;
  parentFrameId: number;
  /** Origin (Chrome) or URL (Firefox originUrl) of whatever started the request. */
  initiator: string | null;
  /** URL of the frame document that made the request, when known. */
  documentUrl: string | null;
  time: number;
  body: RequestBody | null;
  requestHeaders: Header[];
  status: number | null;
  responseHeaders: Header[];
  /** Set when this hop was answered by a redirect. */
  redirectUrl: string | null;
  error: string | null;
  fromCache: boolean;
  /**
   * Set on a request the background missed (worker stopped) and recovered from the page's
   * Resource Timing entries: URL, type and time only (src/core/resource-ledger.ts).
   */
  recovered?: boolean;
}

/** A cookie write seen in a Set-Cookie header or through the cookies API. */
export interface CookieEvent {
  name: string;
  value: string;
  /** Cookie domain without leading dot (host for host-only cookies). */
  domain: string;
  hostOnly: boolean;
  path: string;
  /** Expiry in ms since epoch; null for a session cookie. */
  expires: number | null;
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'no_restriction' | 'lax' | 'strict' | 'unspecified';
  partitioned: boolean;
  removed: boolean;
  /** 'header': Set-Cookie on a response; 'api': cookies.onChanged (document.cookie or header). */
  source: 'header' | 'api';
  /** The response that set it, for header cookies. */
  requestUrl: string | null;
  /** The script that wrote it (page-world instrumentation), when known. */
  scriptUrl: string | null;
  time: number;
}

/** A top-level page visit (or a frame inside it) as the analysis sees it. */
export interface PageContext {
  pageId: string;
  url: string;
  /** Registrable domain of the page (eTLD+1, private PSL section on). */
  site: string;
  /** Organization that owns the page's site, if the knowledge base knows it. */
  organization: string | null;
  tabId: number;
  visitedAt: number;
}

/** What the tracker knowledge base says about a host (or URL). */
export interface TrackerMatch {
  /** Stable key of the matched pattern in the source list. */
  key: string;
  /** Human name of the tracker/product ("Google Analytics"). */
  name: string;
  organization: string;
  /** Our category id (advertising, site_analytics, ...). */
  category: string;
  /** The domain or filter that matched, kept as the reason. */
  rule: string;
  /** Which list said so ("Ghostery TrackerDB 1.0.945"). */
  list: string;
}

/** Everything we know about the party behind a host. */
export interface PartyInfo {
  host: string;
  /** Registrable domain of the host. */
  domain: string;
  /** Organization name, or the domain when unknown. */
  organization: string;
  /** Category of the known tracker, or null when not a known tracker. */
  category: string | null;
  firstParty: boolean;
  /** Same organization as the page's owner but a different registrable domain. */
  sameOrganization: boolean;
  tracker: TrackerMatch | null;
}

export const FINDING_KINDS = [
  'tracker-request',
  'pixel',
  'third-party-cookie',
  'identifier-cookie',
  'cookie-sharing',
  'id-sync',
  'page-url-leak',
  'pii-leak',
  'ecommerce-leak',
  'fingerprinting',
  'session-recording',
  'key-logging',
  'storage-identifier',
  'cname-cloaking',
  'unauthorized-party',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const DATA_TYPES = [
  'email',
  'phone',
  'name',
  'address',
  'page-url',
  'referrer',
  'search-terms',
  'cookie-id',
  'device',
  'order-id',
  'order-value',
  'currency',
  'product-id',
  'user-id',
] as const;
export type DataType = (typeof DATA_TYPES)[number];

export type Encoding = 'plain' | 'url' | 'base64' | 'md5' | 'sha1' | 'sha256' | 'sha512';

/** Where in a request a value was found. */
export type Location =
  | 'path'
  | 'query'
  | 'fragment'
  | 'body'
  | 'cookie-header'
  | 'referer-header'
  | 'header'
  | 'redirect'
  | 'set-cookie';

export interface Evidence {
  /** The rule, list or heuristic that fired (always present: it is the "why"). */
  rule: string;
  location?: Location;
  /** Parameter or cookie name that carried the data. */
  key?: string;
  /** Masked preview of the value: never the raw personal value. */
  preview?: string;
  cookieName?: string;
  scriptUrl?: string;
  /** Free-form extra facts (numbers, small strings), all safe to store. */
  details?: Record<string, string | number | boolean>;
}

export interface Finding {
  kind: FindingKind;
  pageId: string;
  /** Page URL. */
  page: string;
  /** Page's registrable domain. */
  site: string;
  /** Party's registrable domain. */
  party: string;
  host: string;
  requestUrl: string | null;
  dataTypes: DataType[];
  encoding: Encoding | null;
  /** One plain-language sentence a non-expert can read. */
  explanation: string;
  evidence: Evidence;
  time: number;
}

/** Caps that keep work bounded on hostile input. */
export const MAX_URL_CHARS = 16_384;
export const MAX_BODY_CHARS = 65_536;
/**
 * The last millisecond of year 9999. Times outside 0..MAX_TIME print as no ISO 8601 date
 * of the report contract (a six-digit year, or a RangeError past the Date range).
 */
export const MAX_TIME = 253_402_300_799_999;
