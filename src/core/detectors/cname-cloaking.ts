// cname-cloaking: a host on the site's own domain that DNS says is an alias (CNAME) of a
// known tracker. To the browser such a host is first party: it receives the site's cookies
// and escapes third-party cookie blocking, which is the point of the disguise.
//
// The core never resolves names. The caller passes a synchronous `HostAliases` lookup (the
// Firefox adapter fills one from `dns.resolve`, src/platform/dns.ts); `uncloak` turns an
// answer into the tracker's party, and the analyzer hands the alias to this detector
// through RequestContext.cname. Without a lookup (Chrome has no DNS API) nothing happens.
import type { PageContext, PartyInfo, RequestRecord } from '../model.ts';
import type { TrackerKnowledge } from '../trackers.ts';
import { resolveParty } from '../party.ts';
import { hostOf, normalizeHost } from '../url.ts';
import type { CnameAlias, RequestContext, RequestDetector } from './types.ts';
import { categoryLabel, firstTimeOnPage, isTrackingCategory, makeFinding } from './finding.ts';

/** Canonical names of hosts, as far as the caller knows them right now (synchronous). */
export interface HostAliases {
  /** The canonical name `host` is an alias of, or null when unknown or not an alias. */
  canonicalOf(host: string): string | null;
  /** Where the answers come from, cited in findings ("dns.resolve"). */
  readonly source: string;
}

export interface Uncloaked {
  /** The tracker's party, with `host` kept as the host the browser really contacted. */
  party: PartyInfo;
  alias: CnameAlias;
}

/**
 * The tracker behind a first-party-looking host, or null. Only hosts on the page's site
 * other than the page's own host qualify, and only a canonical name that the tracker list
 * puts in a tracking category (advertising, analytics, ...) counts: most CNAMEs point at a
 * CDN or a hosting company, which is how sites are served, not a disguise.
 */
export function uncloak(
  kb: TrackerKnowledge,
  page: PageContext,
  party: PartyInfo,
  path: string,
  aliases: HostAliases,
): Uncloaked | null {
  if (!party.firstParty || !party.host || party.host === hostOf(page.url)) return null;
  const canonical = normalizeHost(aliases.canonicalOf(party.host) ?? '');
  if (!canonical || canonical === party.host) return null;
  const behind = resolveParty(kb, page, canonical, path);
  const t = behind.tracker;
  if (behind.firstParty || behind.sameOrganization || !t || !isTrackingCategory(t.category)) {
    return null;
  }
  return {
    party: { ...behind, host: party.host },
    alias: { host: party.host, canonical, source: aliases.source },
  };
}

export const cnameCloaking: RequestDetector = {
  id: 'cname-cloaking',
  kinds: ['cname-cloaking'],
  detectRequest(req: RequestRecord, ctx: RequestContext) {
    const alias = ctx.cname;
    const t = ctx.party.tracker;
    if (!alias || !t) return [];
    if (!firstTimeOnPage(ctx.state.scratch, this.id, alias.host)) return [];
    return [
      makeFinding({
        kind: 'cname-cloaking',
        page: ctx.page,
        party: ctx.party,
        requestUrl: ctx.url.href,
        time: req.time,
        explanation:
          `${alias.host} looks like part of ${ctx.page.site} but is an alias of ` +
          `${alias.canonical} (${t.organization}). The browser treats it as the site itself, ` +
          `so it gets the site's cookies and is not blocked as a third party ` +
          `(${t.name}, a ${categoryLabel(t.category)} tracker in ${t.list}).`,
        evidence: {
          rule: `cname-cloaking:${alias.source}`,
          details: {
            alias: alias.host,
            canonical: alias.canonical,
            source: alias.source,
            tracker: t.name,
            organization: t.organization,
            category: t.category,
            list: t.list,
            pattern: t.key,
            matched: t.rule,
          },
        },
      }),
    ];
  },
};
