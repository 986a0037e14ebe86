// Two small SVG charts, drawn from plain numbers: bars over time and a dot matrix. Every
// chart has a text alternative (aria-label plus a <title>), and the views list the same
// numbers as text next to it, so nothing is said by the picture alone.
import { visibleText } from './format.ts';

export interface Bar {
  label: string;
  value: number;
}

export function BarChart({
  bars,
  title,
  unit,
}: {
  bars: readonly Bar[];
  title: string;
  unit: string;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const barW = Math.max(6, Math.min(36, Math.floor(640 / Math.max(1, bars.length))));
  const h = 140;
  const width = Math.max(200, bars.length * barW + 40);
  const summary = `${title}: ${bars.map((b) => `${b.label} ${b.value} ${unit}`).join(', ')}`;
  return (
    <svg
      class="chart"
      role="img"
      aria-label={summary.slice(0, 1000)}
      width={width}
      height={h + 24}
      viewBox={`0 0 ${width} ${h + 24}`}
    >
      <title>{title}</title>
      <line x1={30} y1={h} x2={width} y2={h} class="axis" />
      <text x={0} y={12} class="tick">
        {max}
      </text>
      <text x={0} y={h} class="tick">
        0
      </text>
      {bars.map((b, i) => {
        const bh = Math.round((b.value / max) * (h - 16));
        return (
          <rect key={i} x={34 + i * barW} y={h - bh} width={barW - 3} height={bh} class="bar">
            <title>{`${visibleText(b.label, 80)}: ${b.value} ${unit}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}

export interface MatrixRow {
  label: string;
  cells: boolean[];
}

/** Rows × columns of filled or empty dots (e.g. party × kind of data taken). */
export function DotMatrix({
  rows,
  columns,
  title,
}: {
  rows: readonly MatrixRow[];
  columns: readonly string[];
  title: string;
}) {
  const labelW = 200;
  const colW = 74;
  const rowH = 22;
  const top = 70;
  const width = labelW + columns.length * colW;
  const height = top + rows.length * rowH + 8;
  const summary = rows
    .map((r) => `${r.label}: ${columns.filter((_, i) => r.cells[i]).join(', ')}`)
    .join('; ');
  return (
    <svg
      class="chart matrix"
      role="img"
      aria-label={`${title}. ${summary}`.slice(0, 2000)}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      <title>{title}</title>
      {columns.map((c, i) => (
        <text
          key={c}
          class="col-label"
          transform={`translate(${labelW + i * colW + colW / 2 - 4},${top - 8}) rotate(-35)`}
        >
          {c}
        </text>
      ))}
      {rows.map((r, y) => (
        <g key={y} transform={`translate(0,${top + y * rowH})`}>
          <text x={0} y={rowH / 2 + 4} class="row-label">
            {visibleText(r.label, 28)}
          </text>
          {r.cells.map((on, x) => (
            <circle
              key={x}
              cx={labelW + x * colW + colW / 2}
              cy={rowH / 2}
              r={on ? 7 : 3}
              class={on ? 'dot on' : 'dot'}
            />
          ))}
        </g>
      ))}
    </svg>
  );
}
