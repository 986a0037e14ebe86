// Timeline: a site's visits over time, third parties per visit as a chart, what appeared or
// disappeared between one visit and the next, and, when the site has a saved baseline, what
// each later visit had that the baseline has not and what it lacked.
import { useMemo } from 'preact/hooks';
import { timelineData } from '../../../storage/report-queries.ts';
import { loadSitesOverview } from '../../../storage/report-summary.ts';
import { readBaseline } from '../../../storage/site-baseline.ts';
import { BarChart } from '../../shared/charts.tsx';
import { plural } from '../../shared/format.ts';
import { Text } from '../../shared/Text.tsx';
import { useLiveQuery } from '../../shared/use-live-query.ts';
import { summarizeSites } from '../logic/sites.ts';
import { timeline, type TimelineBaseline, type TimelineVisit } from '../logic/timeline.ts';
import { siteHref, withParams } from '../route.ts';
import type { ViewProps } from '../types.ts';
import { formatTime, Loaded } from './common.tsx';

/** Latest visits listed; the chart shows the same window. */
const MAX_VISITS = 300;

export function TimelineView({ db, route, go }: ViewProps) {
  const sites = useLiveQuery(() => loadSitesOverview(db), [db]);
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
  // The baseline is read in the same live query, so saving or clearing one re-marks the list.
  const data = useLiveQuery(async () => {
    const [rows, saved] = await Promise.all([timelineData(db, site), readBaseline(db, site)]);
    const baseline: TimelineBaseline | null = saved && {
      savedAt: saved.savedAt,
      domains: saved.parties.map((p) => p.domain),
    };
    return { ...rows, baseline };
  }, [db, site]);
  return (
    <Loaded result={data}>
      {(d) => {
        const visits = timeline(d.pages, d.parties, d.baseline).slice(-MAX_VISITS);
        return (
          <>
            <h2>
              Third parties per visit on <Text value={site} />
            </h2>
            {d.baseline ? (
              <p data-testid="timeline-baseline">
                Your baseline for this site was saved {formatTime(d.baseline.savedAt)} with{' '}
                {plural(d.baseline.domains.length, 'third party', 'third parties')}. Each visit
                after it says which third parties are new since the baseline and which baseline
                parties it did not load.
              </p>
            ) : (
              <p data-testid="timeline-baseline">
                No baseline saved for this site: save one on the{' '}
                <a href={siteHref(site)}>site’s page</a> to compare later visits with it.
              </p>
            )}
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
                  {v.baseline && <BaselineMarks marks={v.baseline} />}
                </li>
              ))}
            </ol>
          </>
        );
      }}
    </Loaded>
  );
}

function BaselineMarks({ marks }: { marks: NonNullable<TimelineVisit['baseline']> }) {
  if (marks.added.length === 0 && marks.missing.length === 0)
    return (
      <p class="diff baseline-same" data-testid="baseline-same">
        Same third parties as your baseline.
      </p>
    );
  return (
    <>
      {marks.added.length > 0 && (
        <p class="diff added" data-testid="baseline-added">
          New since your baseline: <Text value={marks.added.join(', ')} max={600} />
        </p>
      )}
      {marks.missing.length > 0 && (
        <p class="diff removed" data-testid="baseline-missing">
          In your baseline but missing from this visit:{' '}
          <Text value={marks.missing.join(', ')} max={600} />
        </p>
      )}
    </>
  );
}
