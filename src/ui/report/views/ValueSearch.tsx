// "Where did this value go": a pasted value (say, an id from a cookie) is looked for in every
// stored request URL, plain and in common encodings, in blocks with progress. What cannot be
// found is said on the page (see ../logic/value-search.ts for why).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FindingRow, RequestRow } from '../../../storage/db.ts';
import { findingsWithPreview, scanRequests } from '../../../storage/report-queries.ts';
import { kindLabel, plural } from '../../shared/format.ts';
import { Text } from '../../shared/Text.tsx';
import { VirtualList } from '../../shared/VirtualList.tsx';
import {
  matchRequest,
  MIN_VALUE_CHARS,
  previewMatches,
  valueForms,
} from '../logic/value-search.ts';
import { siteHref, withParams } from '../route.ts';
import type { ViewProps } from '../types.ts';

interface Hit {
  request: RequestRow;
  encoding: string;
}

interface State {
  running: boolean;
  scanned: number;
  total: number;
  hits: Hit[];
  possible: FindingRow[];
  complete: boolean;
  error: string;
}

const IDLE: State = {
  running: false,
  scanned: 0,
  total: 0,
  hits: [],
  possible: [],
  complete: false,
  error: '',
};

export function ValueSearch({ db, route, go }: ViewProps) {
  const value = route.params['value'] ?? '';
  const [draft, setDraft] = useState(value);
  const [state, setState] = useState<State>(IDLE);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    abort.current?.abort();
    setDraft(value);
    const forms = valueForms(value);
    if (forms.length === 0) {
      setState({ ...IDLE, error: value ? `Enter at least ${MIN_VALUE_CHARS} characters.` : '' });
      return;
    }
    const ctl = new AbortController();
    abort.current = ctl;
    const hits: Hit[] = [];
    setState({ ...IDLE, running: true });
    void (async () => {
      try {
        const res = await scanRequests(
          db,
          (r) => {
            const f = matchRequest(r, forms);
            if (f) hits.push({ request: r, encoding: f.encoding });
            return f !== null;
          },
          {
            signal: ctl.signal,
            onProgress: (p) =>
              !ctl.signal.aborted &&
              setState((s) => ({ ...s, scanned: p.scanned, total: p.total, hits: [...hits] })),
          },
        );
        const possible = (await findingsWithPreview(db))
          .filter((f) => previewMatches(f, value))
          .slice(0, 200);
        if (!ctl.signal.aborted) {
          setState({
            running: false,
            scanned: res.scanned,
            total: res.scanned,
            hits: [...hits],
            possible,
            complete: res.complete,
            error: '',
          });
        }
      } catch (error) {
        if (!ctl.signal.aborted) setState({ ...IDLE, error: String(error) });
      }
    })();
    return () => ctl.abort();
  }, [db, value]);

  return (
    <section aria-labelledby="value-title" class="value-search">
      <h2 id="value-title">Where did this value go?</h2>
      <p class="hint">
        Paste a value, such as an identifier from a cookie, to see every stored request whose URL
        carried it: as is, URL-encoded, base64, or as an MD5, SHA-1 or SHA-256 hash. Request bodies,
        headers and cookie values are never stored, so values sent only there cannot be found. URLs
        that carried personal data (an email address, a typed value) are stored without their
        parameter values, so personal data cannot be found here either, on purpose. Findings keep
        only the first characters of a value, so those matches are marked “possible”.
      </p>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          go(withParams(route, { value: draft.trim() }));
        }}
      >
        <label>
          <span>Value</span>
          <input
            type="text"
            value={draft}
            data-testid="value-input"
            onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="submit">Find requests</button>
      </form>
      <p class="status" role="status" data-testid="value-status">
        {state.error ||
          (state.running
            ? `Searching… ${state.scanned.toLocaleString()} of ${state.total.toLocaleString()} requests, ${plural(state.hits.length, 'match', 'matches')} so far`
            : value
              ? `${plural(state.hits.length, 'request')} carried it${state.complete ? ` (all ${state.scanned.toLocaleString()} stored requests searched)` : ' (stopped at the first 500)'}; ${plural(state.possible.length, 'possible finding match', 'possible finding matches')}.`
              : '')}
      </p>
      {state.hits.length > 0 && (
        <div
          role="table"
          class="grid value-grid"
          aria-label="Requests that carried the value"
          aria-rowcount={state.hits.length + 1}
        >
          <div role="row" aria-rowindex={1} class="grid-head">
            <div role="columnheader">Site</div>
            <div role="columnheader">Party</div>
            <div role="columnheader">As</div>
            <div role="columnheader">Request</div>
          </div>
          <VirtualList
            count={state.hits.length}
            rowHeight={30}
            height={420}
            label="Matching requests"
            testId="value-hits"
            renderRow={(i) => {
              const h = state.hits[i]!;
              return (
                <>
                  <div role="cell">
                    <a href={siteHref(h.request.site, { tab: 'requests' })}>
                      <Text value={h.request.site} max={50} />
                    </a>
                  </div>
                  <div role="cell">
                    <Text value={h.request.party} max={50} />
                  </div>
                  <div role="cell">{h.encoding}</div>
                  <div role="cell" class="mono url">
                    <Text value={h.request.url} max={300} />
                  </div>
                </>
              );
            }}
          />
        </div>
      )}
      {state.possible.length > 0 && (
        <>
          <h3>Possible matches in findings</h3>
          <ul>
            {state.possible.map((f, i) => (
              <li key={f.id ?? i}>
                {kindLabel(f.kind)}: <Text value={f.party} /> on <Text value={f.site} /> (value
                shown as <Text value={f.evidence.preview ?? ''} class="mono" />)
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
