// A Preact hook over Dexie's liveQuery. Dexie re-runs the query whenever a write that
// touches what it read commits, in this page or in the background worker (dexie.org,
// "Dexie.on.storagemutated"), so the popup follows a page that is still loading.
// Dexie is imported when a first query needs it, not with this module: the popup shows its
// first screen before Dexie is loaded (src/storage/first-screen-direct.ts).
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

type LiveQuery = typeof import('dexie').liveQuery;
let loaded: LiveQuery | null = null;
let loading: Promise<LiveQuery> | null = null;
function loadLiveQuery(): Promise<LiveQuery> {
  loading ??= import('dexie').then((m) => (loaded = m.liveQuery));
  return loading;
}

export type LiveResult<T> =
  { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: unknown };

const LOADING = { status: 'loading' } as const;

export interface LiveQueryOptions<T> {
  /**
   * The answer for the first deps, already read (the popup's first screen, read before
   * Dexie loaded): shown until the live query's own first answer, never for later deps.
   */
  initial?: T | undefined;
}

/**
 * Runs `query` live while `deps` are unchanged. `query` must be a pure Dexie read; null
 * means not yet (no database handle): the result stays as it is until a query comes.
 * When deps change the result is 'loading' until the new query answers, never a stale value
 * from the old deps (a party list from another visit would be wrong, not just late).
 */
export function useLiveQuery<T>(
  query: (() => Promise<T>) | null,
  deps: readonly unknown[],
  options: LiveQueryOptions<T> = {},
): LiveResult<T> {
  const [state, setState] = useState<{ gen: number; result: LiveResult<T> }>(() => ({
    // The first render's generation is 1 (below).
    gen: 1,
    result: options.initial === undefined ? LOADING : { status: 'ready', value: options.initial },
  }));
  const gen = useRef(0);
  const depsRef = useRef<readonly unknown[] | null>(null);
  // The generation moves during render, so the very render that sees new deps reports loading.
  if (depsRef.current === null || !sameDeps(depsRef.current, deps)) {
    depsRef.current = deps;
    gen.current += 1;
  }
  const current = gen.current;
  const hasQuery = query !== null;

  // A layout effect, not useEffect: Preact runs plain effects after the next animation frame,
  // and a screen made of chained queries (tab → visit → parties) would wait a frame per link
  // before its query even starts. Subscribing only starts an async read, so nothing blocks.
  useLayoutEffect(() => {
    if (query === null) return;
    let closed = false;
    let subscription: { unsubscribe(): void } | null = null;
    const subscribe = (liveQuery: LiveQuery): void => {
      if (closed) return;
      subscription = liveQuery(query).subscribe({
        next: (value) => setState({ gen: current, result: { status: 'ready', value } }),
        error: (error: unknown) => setState({ gen: current, result: { status: 'error', error } }),
      });
    };
    if (loaded) subscribe(loaded);
    else
      loadLiveQuery().then(subscribe, (error: unknown) => {
        if (!closed) setState({ gen: current, result: { status: 'error', error } });
      });
    return () => {
      closed = true;
      subscription?.unsubscribe();
    };
    // `query` is a fresh closure each render; `deps` say when it really changed, and a query
    // that was null (no database yet) starts when it comes.
  }, [current, hasQuery]);

  return state.gen === current ? state.result : LOADING;
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}
