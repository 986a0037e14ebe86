// Site detail: metrics, charts and the tag tree (overview), parties grouped by organization
// with their findings, cookies, and the site's requests. The panel is a URL parameter.
// The first screen reads pages, party aggregates and cookies only; the stored request and
// finding counts are a second query (counting walks the large tables) shown when it answers.
import { useMemo, useState } from 'preact/hooks';
import { loadSiteOverview, siteCounts } from '../../../storage/report-summary.ts';
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
  const data = useLiveQuery(() => loadSiteOverview(db, site), [db, site]);
  const pages = data.status === 'ready' ? data.value.pages : null;
  const counts = useLiveQuery(
    pages
      ? async () => (await siteCounts(db, pages)).get(site) ?? { requests: 0, findings: 0 }
      : null,
    [db, site, pages?.map((p) => p.id).join('\n')],
  );
  const known = counts.status === 'ready' ? counts.value : null;
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
                {known ? (
                  <>
                    , {plural(known.findings, 'finding')}, {plural(known.requests, 'request')}.
                  </>
                ) : (
                  <span class="muted">, counting findings and requests…</span>
                )}{' '}
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
              {panel === 'requests' && (
                <RequestsPanel db={db} site={site} count={known?.requests ?? null} />
              )}
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
