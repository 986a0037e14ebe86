// A site's requests, however many: the count comes from the `site` index and rows are read
// in blocks of 200 as the virtualized list scrolls to them, so 100,000 stored requests cost
// one count and one block on open.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LeakwatchDb, RequestRow } from '../../../../storage/db.ts';
import { requestBlock } from '../../../../storage/report-queries.ts';
import { Text } from '../../../shared/Text.tsx';
import { VirtualList } from '../../../shared/VirtualList.tsx';

const BLOCK = 200;

export function RequestsPanel({
  db,
  site,
  count,
}: {
  db: LeakwatchDb;
  site: string;
  count: number;
}) {
  const blocks = useRef(new Map<number, RequestRow[] | 'loading'>());
  const [, setVersion] = useState(0);
  useEffect(() => {
    blocks.current = new Map();
    setVersion((v) => v + 1);
  }, [db, site, count]);
  const rowAt = (i: number): RequestRow | null => {
    const b = Math.floor(i / BLOCK);
    const block = blocks.current.get(b);
    if (block === undefined) {
      blocks.current.set(b, 'loading');
      void requestBlock(db, site, b * BLOCK, BLOCK).then((rows) => {
        blocks.current.set(b, rows);
        setVersion((v) => v + 1);
      });
      return null;
    }
    return block === 'loading' ? null : (block[i - b * BLOCK] ?? null);
  };
  if (count === 0) return <p class="empty">No requests are stored for this site.</p>;
  return (
    <>
      <h2>Requests ({count.toLocaleString()})</h2>
      <div role="table" class="grid requests-grid" aria-label="Requests" aria-rowcount={count + 1}>
        <div role="row" aria-rowindex={1} class="grid-head">
          <div role="columnheader">Type</div>
          <div role="columnheader">Party</div>
          <div role="columnheader">Status</div>
          <div role="columnheader">URL</div>
        </div>
        <VirtualList
          count={count}
          rowHeight={30}
          height={560}
          label="Requests"
          testId="requests-rows"
          renderRow={(i) => {
            const r = rowAt(i);
            if (!r)
              return (
                <div role="cell" class="muted">
                  …
                </div>
              );
            return (
              <>
                <div role="cell">{r.type}</div>
                <div role="cell">
                  <Text value={r.party || r.host} max={60} />
                  {r.tracker ? <span class="chip">tracker</span> : null}
                </div>
                <div role="cell">{r.status ?? '–'}</div>
                <div role="cell" class="mono url">
                  <Text value={r.url} max={300} />
                </div>
              </>
            );
          }}
        />
      </div>
    </>
  );
}
