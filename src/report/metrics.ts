// Krux-style site metrics (issue 5): how many third parties a page view carries, how many
// cookie writes, and how much of the data collection the publisher did not invite itself.
import type { CookieRow } from '../storage/db.ts';
import type { ReportPage, ReportParty, SiteMetrics } from './types.ts';

const isThirdParty = (p: ReportParty): boolean => !p.firstParty && !p.sameOrganization;

/**
 * A data collector is a third party that set a cookie, sent a pixel, or has any finding
 * besides being unauthorized: merely being present is not collecting.
 */
export const isDataCollector = (p: ReportParty): boolean =>
  isThirdParty(p) &&
  (p.cookiesSet > 0 || p.pixels > 0 || p.kinds.some((k) => k !== 'unauthorized-party'));

const share = (n: number, d: number): number | null =>
  d === 0 ? null : Math.round((n / d) * 1000) / 1000;
const perView = (n: number, views: number): number =>
  views === 0 ? 0 : Math.round((n / views) * 100) / 100;

export function siteMetrics(
  pages: ReportPage[],
  parties: ReportParty[],
  cookies: CookieRow[],
): SiteMetrics[] {
  // Grouped by site once: a history of many sites (or a HAR with a site per entry) made
  // filtering every list for every site quadratic, 100 s for 40,000 sites.
  const views = new Map<string, number>();
  for (const p of pages) views.set(p.site, (views.get(p.site) ?? 0) + (p.error === null ? 1 : 0));
  const partiesOf = new Map<string, ReportParty[]>();
  for (const p of parties) {
    const list = partiesOf.get(p.site);
    if (list) list.push(p);
    else partiesOf.set(p.site, [p]);
  }
  const writesOf = new Map<string, { header: number; script: number; api: number }>();
  for (const c of cookies) {
    let writes = writesOf.get(c.site);
    if (!writes) writesOf.set(c.site, (writes = { header: 0, script: 0, api: 0 }));
    writes[c.setBy] += 1;
  }
  const sites = [...views.keys()].sort();
  return sites.map((site) => {
    const pageViews = views.get(site) ?? 0;
    const mine = partiesOf.get(site) ?? [];
    const third = mine.filter(isThirdParty);
    const firstPartyDomains = new Set(mine.filter((p) => !isThirdParty(p)).map((p) => p.domain));
    const writes = writesOf.get(site) ?? { header: 0, script: 0, api: 0 };
    const collectors = third.filter(isDataCollector);
    // Only collectors whose loader is known count towards the loader shares.
    const known = collectors.filter((p) => p.loadedBy !== null);
    const notByPage = known.filter((p) => p.loadedBy !== 'page');
    const byThird = notByPage.filter((p) => !firstPartyDomains.has(p.loadedBy ?? ''));
    const judged = collectors.filter((p) => p.authorized !== null);
    return {
      site,
      pageViews,
      thirdParties: third.length,
      thirdPartiesPerPageView: perView(
        third.reduce((n, p) => n + p.pages, 0),
        pageViews,
      ),
      cookieWritesPerPageView: perView(writes.header + writes.script + writes.api, pageViews),
      cookieWritesBySetter: writes,
      dataCollectors: collectors.length,
      shareNotLoadedByPage: share(notByPage.length, known.length),
      shareLoadedByThirdParty: share(byThird.length, known.length),
      shareUnauthorized: share(judged.filter((p) => p.authorized === false).length, judged.length),
    };
  });
}
