// The report page shell: a skip link, the view navigation and the current view. The view
// comes from the URL hash (./route.ts), so reloads and links keep it.
import type { ComponentChild } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { viewHref, type View } from './route.ts';
import type { ViewProps } from './types.ts';
import { SitesView } from './views/SitesView.tsx';
import { SiteView } from './views/SiteView.tsx';
import { PartiesView } from './views/PartiesView.tsx';
import { TimelineView } from './views/TimelineView.tsx';
import { SearchView } from './views/SearchView.tsx';
import { DataView } from './views/DataView.tsx';

const NAV: [View, string][] = [
  ['sites', 'Sites'],
  ['parties', 'Parties'],
  ['timeline', 'Timeline'],
  ['search', 'Search'],
  ['data', 'Data & exports'],
];

function body(props: ViewProps): ComponentChild {
  switch (props.route.view) {
    case 'site':
      return <SiteView {...props} site={props.route.site ?? ''} />;
    case 'parties':
      return <PartiesView {...props} />;
    case 'timeline':
      return <TimelineView {...props} />;
    case 'search':
      return <SearchView {...props} />;
    case 'data':
      return <DataView {...props} />;
    default:
      return <SitesView {...props} />;
  }
}

export function App(props: ViewProps) {
  const { view, site } = props.route;
  const main = useRef<HTMLElement>(null);
  const key = `${view}|${site ?? ''}`;
  const first = useRef(true);
  // On a view change, move focus to the new view, as a page load would.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [key]);
  const current = view === 'site' ? 'sites' : view;
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header class="topbar">
        <p class="brand">Leakwatch report</p>
        <nav aria-label="Report views">
          <ul>
            {NAV.map(([v, label]) => (
              <li key={v}>
                <a href={viewHref(v)} aria-current={current === v ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1} data-view={view}>
        {body(props)}
      </main>
    </>
  );
}
