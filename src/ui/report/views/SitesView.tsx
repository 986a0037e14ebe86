// Sites: every site visited, audited or imported, with its counts. Sortable (column
// buttons), searchable, virtualized; the sort and the search live in the URL. The list comes
// from pages and party aggregates; the stored request and finding counts (an index walk over
// the large tables) are a second query whose cells fill in when it answers.
import { useMemo } from 'preact/hooks';
import { loadSitesOverview, siteCounts } from '../../../storage/report-summary.ts';
import { Text } from '../../shared/Text.tsx';
import { plural } from '../../shared/format.ts';
import { useLiveQuery } from '../../shared/use-live-query.ts';
import { VirtualList } from '../../shared/VirtualList.tsx';
import {
  filterSites,
  isSiteSortKey,
  sortSites,
  summarizeSites,
  type SiteSortKey,
  type SiteSummary,
} from '../logic/sites.ts';
import { siteHref, withParams } from '../route.ts';
import type { ViewProps } from '../types.ts';
import { formatTime, KindChips, Loaded, SearchBox } from './common.tsx';

const COLUMNS: [SiteSortKey | null, string][] = [
  ['site', 'Site'],
  ['visits', 'Visits'],
  ['lastVisit', 'Last visit'],
  ['parties', 'Third parties'],
  ['trackers', 'Collecting'],
  ['findings', 'Findings'],
  ['requests', 'Requests'],
  [null, 'What they did (parties)'],
];

export function SitesView({ db, route, go }: ViewProps) {
  const data = useLiveQuery(() => loadSitesOverview(db), [db]);
  const pages = data.status === 'ready' ? data.value.pages : null;
  // Re-counted when the visits change (or a write touches the counted rows).
  const counts = useLiveQuery(pages ? () => siteCounts(db, pages) : null, [
    db,
    pages?.map((p) => p.id).join('\n'),
  ]);
  const q = route.params['q'] ?? '';
  const sortParam = route.params['sort'] ?? 'lastVisit';
  const sort: SiteSortKey = isSiteSortKey(sortParam) ? sortParam : 'lastVisit';
  const dir = route.params['dir'] === 'asc' ? 'asc' : 'desc';
  const summaries = useMemo(
    () =>
      data.status === 'ready'
        ? summarizeSites(data.value, counts.status === 'ready' ? counts.value : null)
        : [],
    [data, counts],
  );
  const rows = useMemo(
    () => sortSites(filterSites(summaries, q), sort, dir),
    [summaries, q, sort, dir],
  );
  const setSort = (key: SiteSortKey) =>
    go(
      withParams(route, { sort: key, dir: key === sort && dir === 'desc' ? 'asc' : 'desc' }),
      true,
    );
  return (
    <section aria-labelledby="sites-title">
      <h1 id="sites-title">Sites</h1>
      <p class="lede">
        Every site recorded while browsing, audited, or imported from a HAR file. Open one for its
        parties, cookies, findings and tag tree.
      </p>
      <SearchBox
        label="Filter sites"
        value={q}
        testId="sites-search"
        onInput={(v) => go(withParams(route, { q: v }), true)}
      />
      <Loaded result={data}>
        {() =>
          summaries.length === 0 ? (
            <p class="empty">
              Nothing recorded yet. Browse a site with the extension on, or import a HAR file under{' '}
              <a href="#/data">Data &amp; exports</a>.
            </p>
          ) : (
            <>
              <p class="count" role="status">
                {plural(rows.length, 'site')}
                {q ? ` matching “${q}”` : ''}
              </p>
              <div
                role="table"
                class="grid sites-grid"
                aria-label="Sites"
                aria-rowcount={rows.length + 1}
                aria-busy={counts.status === 'loading'}
                data-counts={counts.status}
                data-testid="sites-table"
              >
                <div role="row" aria-rowindex={1} class="grid-head">
                  {COLUMNS.map(([key, label]) => (
                    <div
                      key={label}
                      role="columnheader"
                      aria-sort={
                        key === sort ? (dir === 'asc' ? 'ascending' : 'descending') : undefined
                      }
                    >
                      {key ? (
                        <button type="button" class="sort" onClick={() => setSort(key)}>
                          {label}
                          <span aria-hidden="true">
                            {key === sort ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
                          </span>
                        </button>
                      ) : (
                        label
                      )}
                    </div>
                  ))}
                </div>
                <VirtualList
                  count={rows.length}
                  rowHeight={44}
                  height={600}
                  label="Sites"
                  testId="sites-rows"
                  renderRow={(i) => <SiteRowCells row={rows[i]!} />}
                />
              </div>
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function SiteRowCells({ row }: { row: SiteSummary }) {
  return (
    <>
      <div role="cell" class="site-cell" data-site={row.site}>
        <a href={siteHref(row.site)}>
          <Text value={row.site} max={80} />
        </a>
        {row.imported && <span class="chip imported">imported</span>}
        {row.unattributed && (
          <span
            class="chip"
            title="Requests or cookies no open page explained (background traffic)"
          >
            no page
          </span>
        )}
      </div>
      <div role="cell">{row.visits}</div>
      <div role="cell">{formatTime(row.lastVisit)}</div>
      <div role="cell">{row.parties}</div>
      <div role="cell">{row.trackers}</div>
      <div role="cell">{row.findings ?? <Counting />}</div>
      <div role="cell">{row.requests ?? <Counting />}</div>
      <div role="cell" class="kinds-cell">
        <KindChips kinds={row.kinds} max={4} />
      </div>
    </>
  );
}

/** A count still being taken. */
function Counting() {
  return (
    <span class="muted" title="Counting…">
      …
    </span>
  );
}
