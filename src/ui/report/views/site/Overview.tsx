// The site overview: Krux-style metrics (src/report/metrics.ts), the data-taken chart and the
// tag tree with its text alternative.
import { useMemo } from 'preact/hooks';
import type { SiteMetrics } from '../../../../report/types.ts';
import { DotMatrix } from '../../../shared/charts.tsx';
import { dataTypeLabel } from '../../../shared/format.ts';
import { Text } from '../../../shared/Text.tsx';
import { layoutGraph, PAGE_NODE, tagTree } from '../../logic/graph.ts';
import { dataMatrix, type SiteDetail } from '../../logic/site-detail.ts';
import { GraphView } from '../GraphView.tsx';
import { ScriptTree } from './ScriptTree.tsx';

const pct = (n: number | null) => (n === null ? '–' : `${Math.round(n * 100)}%`);

function Metrics({ m }: { m: SiteMetrics }) {
  const items: [string, string, string][] = [
    ['Page views', String(m.pageViews), 'Visits recorded without a load error.'],
    ['Third parties', String(m.thirdParties), 'Distinct third-party domains.'],
    ['Third parties per page view', String(m.thirdPartiesPerPageView), ''],
    [
      'Cookie writes per page view',
      String(m.cookieWritesPerPageView),
      `by header ${m.cookieWritesBySetter.header}, script ${m.cookieWritesBySetter.script}, cookies API ${m.cookieWritesBySetter.api}`,
    ],
    [
      'Data collectors',
      String(m.dataCollectors),
      'Third parties that set a cookie, sent a pixel or took data.',
    ],
    [
      'Collectors not loaded by the page',
      pct(m.shareNotLoadedByPage),
      'Brought in by another tag (piggybacking).',
    ],
    ['Collectors loaded by a third party', pct(m.shareLoadedByThirdParty), ''],
    ['Unauthorized collectors', pct(m.shareUnauthorized), 'Only when an authorized list applies.'],
  ];
  return (
    <dl class="metrics" data-testid="metrics">
      {items.map(([k, v, hint]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            <strong>{v}</strong>
            {hint && <span class="hint">{hint}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function Overview({ detail }: { detail: SiteDetail }) {
  const matrix = useMemo(() => dataMatrix(detail.parties), [detail]);
  const layout = useMemo(() => layoutGraph(tagTree(detail.site, detail.parties)), [detail]);
  const labelOf = (id: string) => (id === PAGE_NODE ? `${detail.site} (the page)` : id);
  return (
    <>
      <h2>Krux-style metrics</h2>
      {detail.metrics ? <Metrics m={detail.metrics} /> : <p class="empty">No metrics.</p>}
      <h2>Kinds of data taken, per party</h2>
      {matrix.rows.length === 0 ? (
        <p class="empty">No third party was seen taking a kind of data on this site.</p>
      ) : (
        <DotMatrix
          title="Kinds of data each third party took"
          columns={matrix.dataTypes.map(dataTypeLabel)}
          rows={matrix.rows.map((r) => ({
            label: r.domain,
            cells: matrix.dataTypes.map((d) => r.dataTypes.has(d)),
          }))}
        />
      )}
      <h2>Tag tree: who brought in whom</h2>
      <p class="hint">
        Columns: the page, the tags it loaded, the tags those piggybacked, and so on. Rounded boxes
        sent pixels; bold boxes collect data; dashed links: loader unknown.
      </p>
      <GraphView layout={layout} title={`Tag tree of ${detail.site}`} testId="tag-tree" />
      <details class="alt">
        <summary>The tag tree as a list</summary>
        <ul data-testid="tag-tree-list">
          {layout.edges.map((e) => (
            <li key={`${e.from}>${e.to}`}>
              <Text value={labelOf(e.from)} /> → <Text value={e.to} />
              {e.unknown ? ' (loader unknown)' : ''}
            </li>
          ))}
        </ul>
      </details>
      <h3>Script by script</h3>
      <ScriptTree site={detail.site} parties={detail.parties} />
    </>
  );
}
