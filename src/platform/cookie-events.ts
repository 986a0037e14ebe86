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
  /** Top-level site of a partitioned cookie (CHIPS, Firefox Total Cookie Protection). */
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
    topLevelSite: partitionKey ? str(partitionKey, 'topLevelSite') : null,
  };
}
