// Site detail: metrics, charts and the tag tree (overview), parties grouped by organization
// with their findings, cookies, and the site's requests. The panel is a URL parameter.
import { useMemo, useState } from 'preact/hooks';
import { loadSite } from '../../../storage/report-queries.ts';
import { Text } from '../../shared/Text.tsx';
import { plural } from '../../shared/format.ts';
import { useLiveQuery } from '../../shared/use-live-query.ts';
import { siteDetail } from '../logic/site-detail.ts';
import { viewHref, withParams } from '../route.ts';
import type { ViewProps } from '../types.ts';
import { Loaded } from './common.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { AuthorizedParties } from './AuthorizedParties.tsx';
import { BaselinePanel } from './BaselinePanel.tsx';
import { Overview } from './site/Overview.tsx';
import { PartiesPanel } from './site/PartiesPanel.tsx';
import { CookiesPanel } from './site/CookiesPanel.tsx';
import { RequestsPanel } from './site/RequestsPanel.tsx';
import { ConfirmDanger } from '../../shared/ConfirmDanger.tsx';

const PANELS = [
  ['overview', 'Overview'],
  ['parties', 'Parties & findings'],
  ['cookies', 'Cookies'],
  ['requests', 'Requests'],
] as const;
type Panel = (typeof PANELS)[number][0];

export function SiteView(props: ViewProps & { site: string }) {
  const { db, site, route } = props;
  const data = useLiveQuery(() => loadSite(db, site), [db, site]);
  const detail = useMemo(() => (data.status === 'ready' ? siteDetail(data.value) : null), [data]);
  const tabParam = route.params['tab'];
  const panel: Panel = PANELS.some(([p]) => p === tabParam) ? (tabParam as Panel) : 'overview';
  return (
    <section aria-labelledby="site-title">
      <p class="crumbs">
        <a href={viewHref('sites')}>Sites</a> ›
      </p>
      <h1 id="site-title" data-testid="site-title">
        <Text value={site} max={120} />
      </h1>
      <Loaded result={data}>
        {(d) =>
          d.pages.length === 0 || !detail ? (
            <p class="empty" data-testid="site-empty">
              Nothing is stored for this site (it may have been deleted or aged out).
            </p>
          ) : (
            <>
              <p class="lede" data-testid="site-summary">
                {plural(d.pages.length, 'visit')}
                {d.pages.every((p) => p.imported) ? ' (imported)' : ''},{' '}
                {plural(
                  detail.parties.filter((p) => !p.firstParty && !p.sameOrganization).length,
                  'third party',
                  'third parties',
                )}
                , {plural(d.findingCount, 'finding')}, {plural(d.requestCount, 'request')}.{' '}
                <a href={viewHref('timeline', { site })}>Timeline of visits</a>
              </p>
              <nav aria-label="Site sections" class="subnav">
                <ul>
                  {PANELS.map(([p, label]) => (
                    <li key={p}>
                      <a
                        href={`#/site/${encodeURIComponent(site)}?tab=${p}`}
                        aria-current={panel === p ? 'page' : undefined}
                        onClick={(e) => {
                          e.preventDefault();
                          props.go(withParams(route, { tab: p }));
                        }}
                      >
                        {label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              {panel === 'overview' && <Overview detail={detail} />}
              {panel === 'parties' && <PartiesPanel db={db} detail={detail} />}
              {panel === 'cookies' && <CookiesPanel cookies={detail.cookies} />}
              {panel === 'requests' && <RequestsPanel db={db} site={site} count={d.requestCount} />}
              <BaselinePanel db={db} send={props.send} site={site} />
              <AuthorizedParties db={db} send={props.send} site={site} />
              <SiteActions {...props} />
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function SiteActions({ db, send, site, go }: ViewProps & { site: string }) {
  const [status, setStatus] = useState('');
  async function remove() {
    setStatus('Deleting…');
    try {
      await send('deleteSite', { site });
      go({ view: 'sites', site: null, params: {} });
    } catch (error) {
      setStatus(`Could not delete: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return (
    <section class="actions" aria-labelledby="site-actions">
      <h2 id="site-actions">Export or delete this site</h2>
      <ExportButtons db={db} send={send} site={site} />
      <ConfirmDanger
        label="Delete this site…"
        question={
          <>
            Delete every visit, request, cookie and finding stored for <Text value={site} />?
          </>
        }
        confirmLabel="Delete site"
        testId="delete-site"
        onConfirm={() => void remove()}
      />
      <p class="status" role="status">
        {status}
      </p>
    </section>
  );
}
