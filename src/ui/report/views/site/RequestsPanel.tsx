// A site's requests, however many: the count comes from the `site` index and rows are read
// in blocks of 200 as the virtualized list scrolls to them, so 100,000 stored requests cost
// one count and one block on open. The count may still be running (null): the first block
// is shown meanwhile, and the list grows to its full length when the count answers.
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
  /** Stored requests of the site; null while they are being counted. */
  count: number | null;
}) {
  const blocks = useRef(new Map<number, RequestRow[] | 'loading'>());
  const [, setVersion] = useState(0);
  // A new count means rows were added or removed: the blocks read so far may be stale. The
  // first count (from null) only tells how long the list is, so the blocks stay.
  const lastCount = useRef<number | null>(null);
  const stale = count !== null && lastCount.current !== null && count !== lastCount.current;
  if (count !== null) lastCount.current = count;
  useEffect(() => {
    blocks.current = new Map();
    lastCount.current = null;
    setVersion((v) => v + 1);
  }, [db, site]);
  useEffect(() => {
    if (!stale) return;
    blocks.current = new Map();
    setVersion((v) => v + 1);
  }, [stale, count]);
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
  let shown = count;
  if (shown === null) {
    rowAt(0); // starts reading the first block
    const first = blocks.current.get(0);
    shown = Array.isArray(first) ? first.length : 1;
  }
  return (
    <>
      <h2>Requests ({count === null ? 'counting…' : count.toLocaleString()})</h2>
      <div
        role="table"
        class="grid requests-grid"
        aria-label="Requests"
        aria-rowcount={shown + 1}
        aria-busy={count === null}
      >
        <div role="row" aria-rowindex={1} class="grid-head">
          <div role="columnheader">Type</div>
          <div role="columnheader">Party</div>
          <div role="columnheader">Status</div>
          <div role="columnheader">URL</div>
        </div>
        <VirtualList
          count={shown}
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
