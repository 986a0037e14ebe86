// The report page's location lives in the URL hash (`#/site/example.com?tab=cookies`), so a
// reload, a bookmark or a link from the popup opens the same view. Pure: parse and format.

export const VIEWS = ['sites', 'site', 'parties', 'timeline', 'search', 'data'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  /** The site of `site` view (a registrable domain). */
  site: string | null;
  params: Record<string, string>;
}

export const DEFAULT_ROUTE: Route = { view: 'sites', site: null, params: {} };

/** `#/site/a.com?tab=cookies` → {view: 'site', site: 'a.com', params: {tab: 'cookies'}}. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const params: Record<string, string> = {};
  if (q !== -1) {
    for (const [k, v] of new URLSearchParams(raw.slice(q + 1))) params[k] = v;
  }
  const [head = '', ...rest] = path.split('/');
  const view = (VIEWS as readonly string[]).includes(head) ? (head as View) : null;
  if (view === null) return { ...DEFAULT_ROUTE, params };
  if (view === 'site') {
    let site: string | null;
    try {
      site = rest.length ? decodeURIComponent(rest.join('/')) : null;
    } catch {
      // A malformed escape (%E0%A4%A) is no site: fall back to the Sites view.
      site = null;
    }
    return site ? { view, site, params } : { ...DEFAULT_ROUTE, params };
  }
  return { view, site: null, params };
}

/** The hash for a route; empty params are left out so links stay short. */
export function formatRoute(route: Route): string {
  const path =
    route.view === 'site' && route.site ? `site/${encodeURIComponent(route.site)}` : route.view;
  const entries = Object.entries(route.params).filter(([, v]) => v !== '');
  const query = entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
  return `#/${path}${query}`;
}

export const siteHref = (site: string, params: Record<string, string> = {}): string =>
  formatRoute({ view: 'site', site, params });

export const viewHref = (view: View, params: Record<string, string> = {}): string =>
  formatRoute({ view, site: null, params });

/** The same route with some params changed ('' removes one). */
export function withParams(route: Route, changes: Record<string, string>): Route {
  return { ...route, params: { ...route.params, ...changes } };
}
