// tracker-request: a request to a host (or URL) the tracker list knows.
//
// Third-party matches are reported, except the site's own company's content and hosting
// (see isOwnInfrastructure). A first-party match is reported only when the list says the
// host belongs to another organization (a tracker living on the site's own domain) or a
// path filter matched: the site's own pattern on its own domain is not news to anyone.
// Reported once per page visit per host and pattern: the request table already records
// every request, the finding is the "why".
import type { RequestRecord } from '../model.ts';
import type { RequestContext, RequestDetector } from './types.ts';
import {
  categoryLabel,
  describeParty,
  firstTimeOnPage,
  isOwnInfrastructure,
  makeFinding,
} from './finding.ts';

export const trackerRequest: RequestDetector = {
  id: 'tracker-request',
  kinds: ['tracker-request'],
  detectRequest(req: RequestRecord, ctx: RequestContext) {
    const { party, page } = ctx;
    const t = party.tracker;
    if (!t) return [];
    if (isOwnInfrastructure(party, page.organization)) return [];
    if (!firstTimeOnPage(ctx.state.scratch, this.id, `${party.host}|${t.key}`)) return [];
    const where = party.firstParty
      ? 'a host on the site’s own domain'
      : party.sameOrganization
        ? 'a different domain of the same company as this site'
        : 'a third party';
    return [
      makeFinding({
        kind: 'tracker-request',
        page,
        party,
        requestUrl: ctx.url.href,
        time: req.time,
        explanation:
          `This page contacted ${party.host}, ${where}: ${t.name} by ${t.organization}, ` +
          `a known tracker in the ${categoryLabel(t.category)} category ` +
          `(matched ${t.rule} in ${t.list}).`,
        evidence: {
          rule: t.rule,
          details: {
            list: t.list,
            pattern: t.key,
            tracker: t.name,
            organization: t.organization,
            category: t.category,
            party: describeParty(party),
            firstParty: party.firstParty,
          },
        },
      }),
    ];
  },
};
