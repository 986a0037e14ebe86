// Draws a laid-out graph (../report/logic/graph.ts) as SVG. Labels are SVG text nodes built
// by Preact (never markup), cut and with invisible characters shown. The picture has a text
// alternative: callers also list the edges as text.
import type { Layout, PlacedNode } from '../logic/graph.ts';
import { visibleText } from '../../shared/format.ts';

const NODE_W = 190;
const NODE_H = 20;

const nodeClass = (n: PlacedNode) => `node ${n.kind}${n.tracking ? ' tracking' : ''}`;

export function GraphView({
  layout,
  title,
  testId,
}: {
  layout: Layout;
  title: string;
  testId?: string;
}) {
  const at = new Map(layout.nodes.map((n) => [n.id, n]));
  return (
    <div class="graph-scroll" tabIndex={0} role="group" aria-label={`${title} (scrollable)`}>
      <svg
        class="graph"
        role="img"
        aria-label={`${title}: ${layout.nodes.length} nodes, ${layout.edges.length} links`}
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        data-testid={testId}
      >
        <title>{title}</title>
        {layout.edges.map((e, i) => {
          const a = at.get(e.from);
          const b = at.get(e.to);
          if (!a || !b) return null;
          const x1 = a.x + NODE_W;
          const y1 = a.y + NODE_H / 2;
          const x2 = b.x;
          const y2 = b.y + NODE_H / 2;
          const mid = (x1 + x2) / 2;
          return (
            <path
              key={i}
              class={e.unknown ? 'edge unknown' : 'edge'}
              d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`}
            />
          );
        })}
        {layout.nodes.map((n) => (
          <g
            key={n.id}
            class={nodeClass(n)}
            transform={`translate(${n.x},${n.y})`}
            data-node={n.id}
          >
            <rect width={NODE_W} height={NODE_H} rx={n.kind === 'pixel' ? 10 : 3} />
            <text x={8} y={14}>
              {visibleText(n.label, 28)}
            </text>
            <title>{`${visibleText(n.label, 300)} (${n.kind}${n.tracking ? ', collects data' : ''})`}</title>
          </g>
        ))}
      </svg>
    </div>
  );
}
