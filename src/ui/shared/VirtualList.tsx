// A small windowing list: only the rows in view (plus a few) are in the DOM, so a list of
// 100,000 rows costs the same to render as one of fifty. Rows have a fixed height, which
// keeps the arithmetic exact and scrolling smooth. The viewport is focusable, so keyboard
// users can scroll it with the arrow keys, and each row carries aria-rowindex for screen
// readers, which otherwise only see the rendered slice.
import type { ComponentChild } from 'preact';
import { useState } from 'preact/hooks';

export interface WindowRange {
  start: number;
  end: number;
}

/** Rows [start, end) to render for a scroll position. Pure, for tests. */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 6,
): WindowRange {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(viewport / rowHeight);
  return {
    start: Math.max(0, first - overscan),
    end: Math.min(count, first + shown + overscan),
  };
}

interface Props {
  count: number;
  rowHeight: number;
  /** Viewport height in px; the list is shorter when the rows are fewer. */
  height: number;
  renderRow: (index: number) => ComponentChild;
  label: string;
  class?: string;
  testId?: string;
}

export function VirtualList({
  count,
  rowHeight,
  height,
  renderRow,
  label,
  class: cls,
  testId,
}: Props) {
  const [scrollTop, setScrollTop] = useState(0);
  const viewport = Math.min(height, Math.max(count, 1) * rowHeight);
  const { start, end } = visibleRange(scrollTop, viewport, rowHeight, count);
  const rows: ComponentChild[] = [];
  for (let i = start; i < end; i++) {
    rows.push(
      <div
        key={i}
        role="row"
        aria-rowindex={i + 2}
        class="vrow"
        style={{ top: `${i * rowHeight}px`, height: `${rowHeight}px` }}
      >
        {renderRow(i)}
      </div>,
    );
  }
  return (
    <div
      class={cls ? `vlist ${cls}` : 'vlist'}
      style={{ height: `${viewport}px` }}
      tabIndex={0}
      role="rowgroup"
      aria-label={label}
      data-testid={testId}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLElement).scrollTop)}
    >
      <div class="vlist-inner" style={{ height: `${count * rowHeight}px` }}>
        {rows}
      </div>
    </div>
  );
}
