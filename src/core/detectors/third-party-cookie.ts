// third-party-cookie: a cookie whose domain is a third party to the page, whether it came
// from a third-party response's Set-Cookie or from the cookies API. Reported once per page
// visit per cookie (domain, path, name); deletions are not reported.
import type { CookieEvent } from '../model.ts';
import type { CookieContext, CookieDetector } from './types.ts';
import { describeParty, firstTimeOnPage, makeFinding } from './finding.ts';

export const thirdPartyCookie: CookieDetector = {
  id: 'third-party-cookie',
  kinds: ['third-party-cookie'],
  detectCookie(cookie: CookieEvent, ctx: CookieContext) {
    const { party, page } = ctx;
    if (cookie.removed || !party.domain || party.firstParty) return [];
    if (
      !firstTimeOnPage(ctx.state.scratch, this.id, `${cookie.domain}|${cookie.path}|${cookie.name}`)
    ) {
      return [];
    }
    const how =
      cookie.source === 'header'
        ? 'in a response from that domain'
        : 'through the browser (cookies API)';
    const scope = cookie.partitioned
      ? 'It is partitioned (CHIPS), so the browser keeps it for this site only and it cannot follow you to other sites.'
      : cookie.sameSite === 'no_restriction'
        ? 'It is marked SameSite=None, so the browser sends it with requests from any site: it can recognise you across sites.'
        : 'Browsers that allow third-party cookies send it whenever this party is embedded on any site.';
    const company = party.sameOrganization ? ' It belongs to the same company as this site.' : '';
    return [
      makeFinding({
        kind: 'third-party-cookie',
        page,
        party,
        requestUrl: cookie.requestUrl,
        time: cookie.time,
        dataTypes: [],
        explanation: `The third party ${describeParty(party)} set the cookie "${cookie.name}" ${how}. ${scope}${company}`,
        evidence: {
          rule: cookie.partitioned
            ? 'third-party-cookie:partitioned'
            : cookie.sameSite === 'no_restriction'
              ? 'third-party-cookie:samesite-none'
              : 'third-party-cookie',
          ...(cookie.source === 'header' ? { location: 'set-cookie' as const } : {}),
          cookieName: cookie.name,
          ...(cookie.scriptUrl ? { scriptUrl: cookie.scriptUrl } : {}),
          details: {
            domain: cookie.domain,
            sameSite: cookie.sameSite,
            partitioned: cookie.partitioned,
            secure: cookie.secure,
            httpOnly: cookie.httpOnly,
            session: cookie.expires === null,
            source: cookie.source,
          },
        },
      }),
    ];
  },
};
