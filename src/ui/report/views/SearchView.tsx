// Search: text over hosts, organizations, cookie names and finding kinds; and "where did
// this value go" (./ValueSearch.tsx).
import { useMemo } from 'preact/hooks';
import type { FindingKind } from '../../../core/model.ts';
import type { LeakwatchDb } from '../../../storage/db.ts';
import { allParties, cookiesNamed, findingsOfKind } from '../../../storage/report-queries.ts';
import { kindLabel, plural } from '../../shared/format.ts';
import { Text } from '../../shared/Text.tsx';
import { useLiveQuery } from '../../shared/use-live-query.ts';
import { searchRows } from '../logic/search.ts';
import { siteHref, viewHref, withParams } from '../route.ts';
import type { ViewProps } from '../types.ts';
import { Loaded, SearchBox } from './common.tsx';
import { ValueSearch } from './ValueSearch.tsx';

const SiteLinks = ({ sites }: { sites: string[] }) => (
  <>
    {sites.slice(0, 8).map((s, i) => (
      <span key={s}>
        {i > 0 ? ', ' : ''}
        <a href={siteHref(s)}>
          <Text value={s} />
        </a>
      </span>
    ))}
    {sites.length > 8 ? ` and ${sites.length - 8} more` : ''}
  </>
);

export function SearchView(props: ViewProps) {
  const { db, route, go } = props;
  const q = route.params['q'] ?? '';
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search</h1>
      <SearchBox
        label="Search hosts, organizations, cookie names and finding kinds"
        value={q}
        testId="search-input"
        placeholder="e.g. facebook, _ga, pixel"
        onInput={(v) => go(withParams(route, { q: v }), true)}
      />
      {q.trim() && <TextResults db={db} q={q.trim()} />}
      <ValueSearch {...props} />
    </section>
  );
}

function TextResults({ db, q }: { db: LeakwatchDb; q: string }) {
  const data = useLiveQuery(
    async () => ({ parties: await allParties(db), cookies: await cookiesNamed(db, q, 2_000) }),
    [db, q],
  );
  const results = useMemo(
    () => (data.status === 'ready' ? searchRows(q, data.value.parties, data.value.cookies) : null),
    [data, q],
  );
  return (
    <Loaded result={data}>
      {() =>
        results && (
          <div class="results" data-testid="search-results" aria-live="polite">
            <h2>Sites ({results.sites.length})</h2>
            {results.sites.length ? (
              <p>
                <SiteLinks sites={results.sites} />
              </p>
            ) : (
              <p class="empty">None.</p>
            )}
            <h2>Hosts ({results.hosts.length})</h2>
            <ul>
              {results.hosts.map((h) => (
                <li key={h.host} data-host={h.host}>
                  <a href={viewHref('parties', { party: h.domain })}>
                    <Text value={h.host} />
                  </a>{' '}
                  (<Text value={h.organization} />) on <SiteLinks sites={h.sites} />
                </li>
              ))}
            </ul>
            <h2>Organizations ({results.organizations.length})</h2>
            <ul>
              {results.organizations.map((o) => (
                <li key={o.organization}>
                  <strong>
                    <Text value={o.organization} />
                  </strong>
                  : <Text value={o.domains.join(', ')} max={300} /> on <SiteLinks sites={o.sites} />
                </li>
              ))}
            </ul>
            <h2>Cookie names ({results.cookies.length})</h2>
            <ul>
              {results.cookies.map((c) => (
                <li key={`${c.domain}|${c.name}`} data-cookie={c.name}>
                  <Text value={c.name} class="mono" /> on <Text value={c.domain} />, seen on{' '}
                  <SiteLinks sites={c.sites} />
                </li>
              ))}
            </ul>
            <h2>Finding kinds ({results.kinds.length})</h2>
            <ul>
              {results.kinds.map((k) => (
                <KindHit key={k} db={db} kind={k} />
              ))}
            </ul>
          </div>
        )
      }
    </Loaded>
  );
}

function KindHit({ db, kind }: { db: LeakwatchDb; kind: FindingKind }) {
  const rows = useLiveQuery(() => findingsOfKind(db, kind, 1_000), [db, kind]);
  const bySite = useMemo(() => {
    if (rows.status !== 'ready') return [];
    const m = new Map<string, number>();
    for (const f of rows.value) m.set(f.site, (m.get(f.site) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1]);
  }, [rows]);
  return (
    <li data-kind={kind}>
      <strong>{kindLabel(kind)}</strong> <span class="muted">({kind})</span>:{' '}
      {rows.status === 'ready' &&
        (bySite.length === 0
          ? 'not found on any site'
          : bySite.map(([s, n], i) => (
              <span key={s}>
                {i > 0 ? ', ' : ''}
                <a href={siteHref(s, { tab: 'parties' })}>
                  <Text value={s} />
                </a>{' '}
                ({plural(n, 'finding')})
              </span>
            )))}
    </li>
  );
}
