// Timeline: a site's visits over time, third parties per visit as a chart, and what
// appeared or disappeared between one visit and the next.
import { useMemo } from 'preact/hooks';
import { loadSites, timelineData } from '../../../storage/report-queries.ts';
import { BarChart } from '../../shared/charts.tsx';
import { plural } from '../../shared/format.ts';
import { Text } from '../../shared/Text.tsx';
import { useLiveQuery } from '../../shared/use-live-query.ts';
import { summarizeSites } from '../logic/sites.ts';
import { timeline } from '../logic/timeline.ts';
import { siteHref, withParams } from '../route.ts';
import type { ViewProps } from '../types.ts';
import { formatTime, Loaded } from './common.tsx';

/** Latest visits listed; the chart shows the same window. */
const MAX_VISITS = 300;

export function TimelineView({ db, route, go }: ViewProps) {
  const sites = useLiveQuery(() => loadSites(db), [db]);
  const list = useMemo(
    () =>
      sites.status === 'ready'
        ? summarizeSites(sites.value).sort((a, b) => b.lastVisit - a.lastVisit)
        : [],
    [sites],
  );
  const site = route.params['site'] || list[0]?.site || '';
  return (
    <section aria-labelledby="timeline-title">
      <h1 id="timeline-title">Timeline</h1>
      <p class="lede">
        Visits to a site over time, and which third parties came and went between visits.
      </p>
      <Loaded result={sites}>
        {() =>
          list.length === 0 ? (
            <p class="empty">No visits recorded yet.</p>
          ) : (
            <>
              <label class="search">
                <span>Site</span>
                <select
                  value={site}
                  data-testid="timeline-site"
                  onChange={(e) =>
                    go(withParams(route, { site: (e.currentTarget as HTMLSelectElement).value }))
                  }
                >
                  {list.map((s) => (
                    <option key={s.site} value={s.site}>
                      {s.site} ({plural(s.visits, 'visit')})
                    </option>
                  ))}
                </select>
              </label>
              {site && <SiteTimeline {...{ db, site }} />}
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function SiteTimeline({ db, site }: Pick<ViewProps, 'db'> & { site: string }) {
  const data = useLiveQuery(() => timelineData(db, site), [db, site]);
  return (
    <Loaded result={data}>
      {(d) => {
        const visits = timeline(d.pages, d.parties).slice(-MAX_VISITS);
        return (
          <>
            <h2>
              Third parties per visit on <Text value={site} />
            </h2>
            <BarChart
              title={`Third parties per visit on ${site}`}
              unit="third parties"
              bars={visits.map((v) => ({
                label: formatTime(v.page.visitedAt),
                value: v.thirdParties.length,
              }))}
            />
            <p>
              <a href={siteHref(site)}>Open the site</a>
            </p>
            <ol class="timeline" reversed data-testid="timeline-visits">
              {[...visits].reverse().map((v) => (
                <li key={v.page.id}>
                  <p>
                    <strong>{formatTime(v.page.visitedAt)}</strong>{' '}
                    <Text value={v.page.url} max={140} class="mono" />
                    {v.page.imported && <span class="chip imported">imported</span>} ·{' '}
                    {plural(v.thirdParties.length, 'third party', 'third parties')}
                  </p>
                  {v.appeared.length > 0 && (
                    <p class="diff added">
                      New: <Text value={v.appeared.join(', ')} max={600} />
                    </p>
                  )}
                  {v.disappeared.length > 0 && (
                    <p class="diff removed">
                      Gone: <Text value={v.disappeared.join(', ')} max={600} />
                    </p>
                  )}
                </li>
              ))}
            </ol>
          </>
        );
      }}
    </Loaded>
  );
}
