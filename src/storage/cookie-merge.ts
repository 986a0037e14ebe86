// One cookie row per `${pageId}|${domain}|${name}|${path}`, merging what the Set-Cookie
// header and the cookies API said about it. The cookie VALUE is never stored: only its
// length and the entropy estimate from the analysis.
import type { CookieEvent, PartyInfo } from '../core/model.ts';
import { storableUrl } from '../core/leaks/common.ts';
import type { CookieRow } from './db.ts';

export interface CookieObservation {
  pageId: string;
  site: string;
  cookie: CookieEvent;
  /** The party that owns the cookie's domain (from the cookie analysis). */
  party: PartyInfo;
  identifierLike: boolean;
  entropyBits: number;
}

export function cookieId(pageId: string, domain: string, name: string, path: string): string {
  return `${pageId}|${domain}|${name}|${path}`;
}

const SET_BY_RANK = { api: 0, script: 1, header: 2 } as const;

/** Reduces an observation to a row at once, so the value does not linger in the buffer. */
export function toCookieRow(obs: CookieObservation): CookieRow {
  const c = obs.cookie;
  return {
    id: cookieId(obs.pageId, c.domain, c.name, c.path),
    pageId: obs.pageId,
    site: obs.site,
    name: c.name,
    domain: c.domain,
    path: c.path,
    party: obs.party.domain || c.domain,
    firstParty: obs.party.firstParty,
    // A script URL from the page-world hook means document.cookie; the API alone cannot tell.
    setBy: c.source === 'header' ? 'header' : c.scriptUrl ? 'script' : 'api',
    // The response URL can carry personal data (`?em=jane@...`): reduced like request rows.
    requestUrl: c.requestUrl === null ? null : storableUrl(c.requestUrl),
    scriptUrl: c.scriptUrl,
    expires: c.expires,
    secure: c.secure,
    httpOnly: c.httpOnly,
    sameSite: c.sameSite,
    identifierLike: obs.identifierLike,
    valueLength: c.value.length,
    entropyBits: obs.entropyBits,
    time: c.time,
  };
}

/** Merges a newer observation `b` into `a`: the strongest source and the latest flags win. */
export function mergeCookie(a: CookieRow | undefined, b: CookieRow): CookieRow {
  if (!a) return b;
  const setBy = SET_BY_RANK[b.setBy] > SET_BY_RANK[a.setBy] ? b.setBy : a.setBy;
  return {
    ...a,
    setBy,
    requestUrl: a.requestUrl ?? b.requestUrl,
    scriptUrl: a.scriptUrl ?? b.scriptUrl,
    expires: b.expires ?? a.expires,
    secure: b.secure,
    httpOnly: a.httpOnly || b.httpOnly,
    sameSite: b.sameSite === 'unspecified' ? a.sameSite : b.sameSite,
    identifierLike: a.identifierLike || b.identifierLike,
    valueLength: b.valueLength,
    entropyBits: Math.max(a.entropyBits, b.entropyBits),
    time: Math.min(a.time, b.time),
  };
}
