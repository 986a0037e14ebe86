// Parties: every third party across all sites, the sites it was seen on and what it took
// where, plus the party graph (sites ↔ parties). The selected party is a URL parameter.
import { useMemo } from 'preact/hooks';
import { allParties } from '../../../storage/report-queries.ts';
import { categoryLabel, dataTypeLabel, plural } from '../../shared/format.ts';
import { Text } from '../../shared/Text.tsx';
import { useLiveQuery } from '../../shared/use-live-query.ts';
import { VirtualList } from '../../shared/VirtualList.tsx';
import { crossSiteParties, filterParties, type CrossSiteParty } from '../logic/cross-site.ts';
import { layoutGraph, partyGraph } from '../logic/graph.ts';
import { siteHref, withParams } from '../route.ts';
import type { ViewProps } from '../types.ts';
import { formatTime, KindChips, Loaded, SearchBox } from './common.tsx';
import { GraphView } from './GraphView.tsx';

export function PartiesView({ db, route, go }: ViewProps) {
  const data = useLiveQuery(() => allParties(db), [db]);
  const all = useMemo(() => (data.status === 'ready' ? crossSiteParties(data.value) : []), [data]);
  const q = route.params['q'] ?? '';
  const rows = useMemo(() => filterParties(all, q), [all, q]);
  const selected = all.find((p) => p.domain === route.params['party']) ?? null;
  const graph = useMemo(
    () =>
      layoutGraph(
        partyGraph(
          all.flatMap((p) =>
            p.sites.map((s) => ({ site: s.site, domain: p.domain, tracking: p.tracking })),
          ),
        ),
        { column: 420, row: 24, padX: 10, padY: 12 },
      ),
    [all],
  );
  const pick = (domain: string) => go(withParams(route, { party: domain }));
  return (
    <section aria-labelledby="parties-title">
      <h1 id="parties-title">Parties across sites</h1>
      <p class="lede">
        Every third party recorded, on how many sites, and what it took on each. A party seen on
        many sites can follow someone from one to the next.
      </p>
      <Loaded result={data}>
        {() =>
          all.length === 0 ? (
            <p class="empty">No third parties recorded yet.</p>
          ) : (
            <>
              <SearchBox
                label="Filter parties"
                value={q}
                testId="parties-search"
                onInput={(v) => go(withParams(route, { q: v }), true)}
              />
              <div
                role="table"
                class="grid parties-grid"
                aria-label="Third parties"
                aria-rowcount={rows.length + 1}
                data-testid="parties-table"
              >
                <div role="row" aria-rowindex={1} class="grid-head">
                  <div role="columnheader">Party</div>
                  <div role="columnheader">Organization</div>
                  <div role="columnheader">Sites</div>
                  <div role="columnheader">What it did</div>
                </div>
                <VirtualList
                  count={rows.length}
                  rowHeight={40}
                  height={420}
                  label="Third parties"
                  testId="parties-rows"
                  renderRow={(i) => (
                    <PartyCells
                      p={rows[i]!}
                      onPick={pick}
                      current={selected?.domain === rows[i]!.domain}
                    />
                  )}
                />
              </div>
              {selected && <PartyDetail p={selected} />}
              <h2>Party graph</h2>
              <p class="hint">
                Sites on the left, the third parties seen on them on the right (the{' '}
                {Math.min(80, all.length)} seen on most sites).
              </p>
              <GraphView
                layout={graph}
                title="Sites and the third parties seen on them"
                testId="party-graph"
              />
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function PartyCells({
  p,
  onPick,
  current,
}: {
  p: CrossSiteParty;
  onPick: (d: string) => void;
  current: boolean;
}) {
  return (
    <>
      <div role="cell" data-party={p.domain}>
        <button type="button" class="link" aria-pressed={current} onClick={() => onPick(p.domain)}>
          <Text value={p.domain} max={60} />
        </button>
        {p.tracking && <span class="chip alert-chip">collects</span>}
      </div>
      <div role="cell">
        <Text value={p.organization} max={60} />{' '}
        <span class="muted">{categoryLabel(p.category)}</span>
      </div>
      <div role="cell">{p.sites.length}</div>
      <div role="cell" class="kinds-cell">
        <KindChips kinds={p.kinds} max={4} />
      </div>
    </>
  );
}

function PartyDetail({ p }: { p: CrossSiteParty }) {
  return (
    <section class="party-detail" aria-labelledby="party-detail-title" data-testid="party-detail">
      <h2 id="party-detail-title">
        <Text value={p.domain} />{' '}
        <span class="muted">
          (<Text value={p.organization} />)
        </span>
      </h2>
      <p>
        Seen on {plural(p.sites.length, 'site')}, {plural(p.requests, 'request')}
        {p.dataTypes.length ? `; took ${p.dataTypes.map(dataTypeLabel).join(', ')}` : ''}.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Site</th>
            <th scope="col">Visits</th>
            <th scope="col">What it did there</th>
            <th scope="col">Data taken</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {p.sites.map((s) => (
            <tr key={s.site}>
              <td>
                <a href={siteHref(s.site, { tab: 'parties' })}>
                  <Text value={s.site} />
                </a>
              </td>
              <td>{s.visits}</td>
              <td>
                <KindChips kinds={s.kinds} max={8} />
              </td>
              <td>{s.dataTypes.map(dataTypeLabel).join(', ') || '–'}</td>
              <td>{formatTime(s.lastSeen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
