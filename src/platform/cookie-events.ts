// cookies.onChanged → CookieEvent (source 'api').
//
// Removals are not recorded: an audit of data leakage is about who writes identifiers,
// and removal events carry no new data. `overwrite` removals in particular are noise:
// re-setting a cookie fires {removed:true, cause:'overwrite'} then {removed:false}.
import type { CookieEvent } from '../core/model.ts';
import { asRecord, bool, num, str } from './raw.ts';

export interface CapturedCookie {
  event: CookieEvent;
  /** Cookie store ('0' / 'firefox-default' normally; private stores differ). */
  storeId: string | null;
  /**
   * Top-level site the cookie is kept for: partitioned cookies (CHIPS, Firefox Total Cookie
   * Protection) name it in `partitionKey`; Firefox's first-party isolation
   * (`privacy.firstparty.isolate`) in `firstPartyDomain`. The visit of that site owns it.
   */
  topLevelSite: string | null;
}

const SAME_SITE = new Set(['no_restriction', 'lax', 'strict', 'unspecified']);
const MAX_NAME = 256;
/** Values longer than this cannot be a cookie the browser accepted (4 KB limit). */
const MAX_VALUE = 8192;

export function convertCookieChange(changeInfo: unknown, time: number): CapturedCookie | null {
  const info = asRecord(changeInfo);
  if (!info || info['removed'] !== false) return null;
  const c = asRecord(info['cookie']);
  if (!c) return null;
  const name = str(c, 'name');
  const rawDomain = str(c, 'domain');
  if (name === null || !rawDomain) return null;
  const expiry = num(c, 'expirationDate');
  const sameSite = str(c, 'sameSite') ?? 'unspecified';
  const partitionKey = asRecord(c['partitionKey']);
  const event: CookieEvent = {
    name: name.slice(0, MAX_NAME),
    value: (str(c, 'value') ?? '').slice(0, MAX_VALUE),
    domain: rawDomain.replace(/^\./, '').toLowerCase(),
    hostOnly: bool(c, 'hostOnly') ?? !rawDomain.startsWith('.'),
    path: str(c, 'path') ?? '/',
    // The API gives seconds since the epoch; we keep ms.
    expires: expiry === null || bool(c, 'session') === true ? null : Math.round(expiry * 1000),
    secure: bool(c, 'secure') ?? false,
    httpOnly: bool(c, 'httpOnly') ?? false,
    sameSite: SAME_SITE.has(sameSite) ? (sameSite as CookieEvent['sameSite']) : 'unspecified',
    partitioned: partitionKey !== null && str(partitionKey, 'topLevelSite') !== null,
    removed: false,
    source: 'api',
    requestUrl: null,
    scriptUrl: null,
    time,
  };
  return {
    event,
    storeId: str(c, 'storeId'),
    topLevelSite:
      (partitionKey ? str(partitionKey, 'topLevelSite') : null) ??
      isolatedSite(str(c, 'firstPartyDomain')),
  };
}

/**
 * `firstPartyDomain` is '' unless first-party isolation is on; then it is the top-level
 * site's registrable domain ("publisher.test"), or a tuple such as "(https,publisher.test)"
 * when isolation also keys on the scheme. Either becomes a site URL; anything else is not
 * trusted for attribution.
 */
function isolatedSite(domain: string | null): string | null {
  if (!domain) return null;
  if (PLAIN_DOMAIN.test(domain)) return `https://${domain.toLowerCase()}`;
  const m = SCHEME_TUPLE.exec(domain);
  return m?.[1] && m[2] ? `${m[1].toLowerCase()}://${m[2].toLowerCase()}` : null;
}

const PLAIN_DOMAIN = /^[a-z0-9.-]+$/i;
const SCHEME_TUPLE = /^\((https?),([a-z0-9.-]+)(?:,\d+)?\)$/i;
