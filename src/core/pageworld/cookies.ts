// Cookies written by scripts. Two jobs:
// 1. Join a document.cookie / CookieStore write seen in the page world with the cookie event
//    the browser reports (cookies.onChanged or Set-Cookie), so the cookie row names the
//    script. The join key is name + hashValue(value): the page world never sends the value.
//    Either side may arrive first (the page world batches for ~250 ms), so both are kept a
//    while.
// 2. Report a first-party cookie with an identifier-like value written by a third-party
//    script: the "rogue cookie" pattern (a vendor's script minting an id under the
//    publisher's name, which then travels wherever that vendor sends it).
import type { CookieEvent, Finding } from '../model.ts';
import { describeParty, makeFinding } from '../detectors/finding.ts';
import { MIN_LIFETIME_DAYS, isConsentCookie } from '../detectors/identifier-cookie.ts';
import { registrableDomain } from '../party.ts';
import { hostOf } from '../url.ts';
import type { PageEvent } from './events.ts';
import { hashValue } from './hash.ts';
import { describeScriptFirst, firstReport, isThirdParty, type DetectorContext } from './state.ts';

const MAX_PENDING = 500;

export interface CookieJoin {
  /** name|hash → script that wrote it (page world seen first). */
  written: Map<string, string>;
  /** name|hash → the browser's event (browser seen first). */
  seen: Map<string, CookieEvent>;
}

export const newCookieJoin = (): CookieJoin => ({ written: new Map(), seen: new Map() });

const joinKey = (name: string, hash: string) => `${name}|${hash}`;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > MAX_PENDING) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

/** Browser side: the script that wrote this cookie, if the page world saw it first. */
export function scriptForCookie(join: CookieJoin, c: CookieEvent): string | null {
  if (c.removed) return null;
  const key = joinKey(c.name, hashValue(c.value));
  const script = join.written.get(key);
  if (script) return script;
  remember(join.seen, key, c);
  return null;
}

/** Page-world side: the browser's cookie event, now attributed, if it came first. */
export function cookieUpdate(join: CookieJoin, e: PageEvent, script: string): CookieEvent | null {
  if (e.t !== 'cookie-write' || e.deleted) return null;
  const key = joinKey(e.name, e.hash);
  const seen = join.seen.get(key);
  if (seen) {
    join.seen.delete(key);
    return seen.scriptUrl ? null : { ...seen, scriptUrl: script };
  }
  remember(join.written, key, script);
  return null;
}

export function detectScriptCookie(e: PageEvent, ctx: DetectorContext): Finding[] {
  if (e.t !== 'cookie-write' || e.deleted || !e.identifierLike) return [];
  const s = ctx.script;
  if (!s.url || !isThirdParty(s.party) || isConsentCookie(e.name)) return [];
  if (e.lifetimeS === null || e.lifetimeS < MIN_LIFETIME_DAYS * 86_400) return [];
  const cookieHost = e.domain ?? hostOf(s.frameUrl);
  if (!cookieHost || registrableDomain(cookieHost) !== ctx.page.site) return [];
  if (!firstReport(ctx.state, `script-cookie|${s.party.domain}|${e.name}`)) return [];
  const days = Math.round(e.lifetimeS / 86_400);
  return [
    makeFinding({
      kind: 'identifier-cookie',
      page: ctx.page,
      party: s.party,
      requestUrl: null,
      time: e.time,
      dataTypes: ['cookie-id'],
      explanation:
        `${describeScriptFirst(s)} from ${describeParty(s.party)} wrote the first-party cookie ` +
        `"${e.name}" on ${ctx.page.site} with an identifier-like value (${e.valueLength} ` +
        `characters, kept ${days} days): an id under the site's name that the vendor's script can read and send anywhere.`,
      evidence: {
        rule: 'first-party identifier cookie written by a third-party script',
        cookieName: e.name,
        scriptUrl: s.url,
        preview: `#${e.hash.slice(0, 8)}`,
        details: { api: e.api, entropyBits: e.entropyBits, lifetimeDays: days },
      },
    }),
  ];
}
