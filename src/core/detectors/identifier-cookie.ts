// identifier-cookie: a cookie whose value looks like a unique identifier.
//
// Value test (notes/detection-methods.md §1.2, adapted to one browser with no second profile
// to compare against): the whole value, then its parts split on separators (_ga's
// GA1.2.<random>.<time> has its id in one part), each 8..100 characters long, not a
// timestamp, not a low-entropy word, not a single-case run of letters (words such as
// "homepage" or "dismissed_banner" score high on entropy but identify no one), and above
// 33 bits of estimated entropy.
//
// Lifetime: only cookies that persist at least 30 days are reported (Acar et al.'s
// "persistent" cut-off; the stricter 90-day CCS 2016 criterion would miss ids renewed
// monthly). Session and short-lived cookies with id-like values are usually session, CSRF
// or load-balancer tokens: they are marked identifierLike in the analysis but not reported.
// Consent cookies (TCF, GPP, CMP state) are long and random-looking but are not per-user
// tracking ids: allow-listed by name.
import type { CookieEvent } from '../model.ts';
import { estimateMaxEntropy, isLowEntropyValue, looksLikeTimestamp } from '../entropy.ts';
import { safeDecode } from '../url.ts';
import type { CookieContext, CookieDetector } from './types.ts';
import { describeParty, firstTimeOnPage, makeFinding, maskValue } from './finding.ts';

export const MIN_ID_LENGTH = 8;
export const MAX_ID_LENGTH = 100;
export const MIN_ID_BITS = 33;
export const MIN_LIFETIME_DAYS = 30;
const DAY_MS = 864e5;

const CONSENT_NAMES: readonly RegExp[] = [
  /^euconsent(-v2)?$/i,
  /^usprivacy$/i,
  /^__gpp(_sid)?$/i,
  /^optanon(consent|alertboxclosed)$/i,
  /^cookieconsent$/i,
  /^cookielawinfo/i,
  /^cmplz_/i,
  /^didomi_token$/i,
  /^euconsent-v2$/i,
  /^__cmpconsent/i,
  /^_cmpqc/i,
  /^addtl_consent$/i,
  /^borlabs-cookie$/i,
  /^consentuuid$/i,
  /^cookie_?consent/i,
  /^truste\.eu\.cookie/i,
  /^notice_(behavior|gdpr_prefs|preferences)$/i,
];

export function isConsentCookie(name: string): boolean {
  return CONSENT_NAMES.some((re) => re.test(name));
}

export interface IdentifierAssessment {
  identifierLike: boolean;
  /** Entropy estimate of the best candidate (or of the whole value when none qualifies). */
  entropyBits: number;
  /** The candidate that qualified: the whole value or one part. */
  candidate: string | null;
  part: 'whole' | 'part' | null;
}

/** Does this value (ignoring name and lifetime) look like a unique identifier? */
export function assessIdentifierValue(rawValue: string, now: number): IdentifierAssessment {
  const value = safeDecode(rawValue.replace(/^"(.*)"$/, '$1')).slice(0, 4_096);
  let bestBits = 0;
  const check = (c: string): number | null => {
    if (c.length < MIN_ID_LENGTH || c.length > MAX_ID_LENGTH) return null;
    if (looksLikeTimestamp(c, now) || isLowEntropyValue(c) || isWordLike(c)) return null;
    const bits = estimateMaxEntropy(c);
    if (bits > bestBits) bestBits = bits;
    return bits > MIN_ID_BITS ? bits : null;
  };
  // The whole value counts only when it is one token: JSON or prose is not an id, its parts may be.
  // With separators, one run must be id-sized: a UUID or GA1.2.<id>.<time> qualifies,
  // a server name such as "beacon-a119" does not.
  if (/^[\w.+/=~:-]+$/.test(value) && longestRun(value) >= MIN_ID_LENGTH) {
    const bits = check(value);
    if (bits !== null)
      return { identifierLike: true, entropyBits: bits, candidate: value, part: 'whole' };
  }
  const parts = value.split(/[^A-Za-z0-9+/~]+/, 64);
  let best: string | null = null;
  let best2 = 0;
  for (const p of parts) {
    const bits = check(p);
    if (bits !== null && bits > best2) {
      best = p;
      best2 = bits;
    }
  }
  if (best) return { identifierLike: true, entropyBits: best2, candidate: best, part: 'part' };
  return {
    identifierLike: false,
    entropyBits: bestBits || estimateMaxEntropy(value.slice(0, MAX_ID_LENGTH)),
    candidate: null,
    part: null,
  };
}

function longestRun(s: string): number {
  let best = 0;
  for (const part of s.split(/[._\-:=~+/]/)) if (part.length > best) best = part.length;
  return best;
}

/** Letters only, all one case, maybe joined by separators: words, not random ids. */
function isWordLike(s: string): boolean {
  return /^[a-z]+([._-][a-z]+)*$/.test(s) || /^[A-Z]+([._-][A-Z]+)*$/.test(s);
}

export const identifierCookie: CookieDetector = {
  id: 'identifier-cookie',
  kinds: ['identifier-cookie'],
  detectCookie(cookie: CookieEvent, ctx: CookieContext) {
    if (cookie.removed || cookie.expires === null || isConsentCookie(cookie.name)) return [];
    const lifetimeDays = (cookie.expires - ctx.now) / DAY_MS;
    if (lifetimeDays < MIN_LIFETIME_DAYS) return [];
    const a = assessIdentifierValue(cookie.value, ctx.now);
    if (!a.identifierLike || !a.candidate) return [];
    if (
      !firstTimeOnPage(ctx.state.scratch, this.id, `${cookie.domain}|${cookie.path}|${cookie.name}`)
    ) {
      return [];
    }
    const { party } = ctx;
    const days = Math.round(lifetimeDays);
    const bits = Math.round(a.entropyBits);
    const whose = party.firstParty ? 'this site' : `the third party ${describeParty(party)}`;
    const partNote = a.part === 'part' ? ' (one part of the value)' : '';
    return [
      makeFinding({
        kind: 'identifier-cookie',
        page: ctx.page,
        party,
        requestUrl: cookie.requestUrl,
        time: cookie.time,
        dataTypes: ['cookie-id'],
        explanation:
          `The cookie "${cookie.name}" set for ${whose} holds a value that looks like a unique ` +
          `identifier${partNote}: ${a.candidate.length} characters, about ${bits} bits of entropy, ` +
          `kept for ${days} days, long enough to recognise this browser on later visits.`,
        evidence: {
          rule: `identifier-cookie:length ${MIN_ID_LENGTH}-${MAX_ID_LENGTH}, entropy > ${MIN_ID_BITS} bits, lifetime >= ${MIN_LIFETIME_DAYS} days`,
          cookieName: cookie.name,
          preview: maskValue(a.candidate),
          ...(cookie.source === 'header' ? { location: 'set-cookie' as const } : {}),
          ...(cookie.scriptUrl ? { scriptUrl: cookie.scriptUrl } : {}),
          details: {
            domain: cookie.domain,
            lifetimeDays: days,
            length: a.candidate.length,
            valueLength: cookie.value.length,
            entropyBits: Math.round(a.entropyBits * 10) / 10,
            part: a.part ?? 'whole',
            firstParty: party.firstParty,
          },
        },
      }),
    ];
  },
};
