// A Preact hook over Dexie's liveQuery. Dexie re-runs the query whenever a write that
// touches what it read commits, in this page or in the background worker (dexie.org,
// "Dexie.on.storagemutated"), so the popup follows a page that is still loading.
import { liveQuery } from 'dexie';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

export type LiveResult<T> =
  { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: unknown };

const LOADING = { status: 'loading' } as const;

/**
 * Runs `query` live while `deps` are unchanged. `query` must be a pure Dexie read.
 * When deps change the result is 'loading' until the new query answers, never a stale value
 * from the old deps (a party list from another visit would be wrong, not just late).
 */
export function useLiveQuery<T>(
  query: (() => Promise<T>) | null,
  deps: readonly unknown[],
): LiveResult<T> {
  const [state, setState] = useState<{ gen: number; result: LiveResult<T> }>({
    gen: 0,
    result: LOADING,
  });
  const gen = useRef(0);
  const depsRef = useRef<readonly unknown[] | null>(null);
  // The generation moves during render, so the very render that sees new deps reports loading.
  if (depsRef.current === null || !sameDeps(depsRef.current, deps)) {
    depsRef.current = deps;
    gen.current += 1;
  }
  const current = gen.current;

  // A layout effect, not useEffect: Preact runs plain effects after the next animation frame,
  // and a screen made of chained queries (tab → visit → parties) would wait a frame per link
  // before its query even starts. Subscribing only starts an async read, so nothing blocks.
  useLayoutEffect(() => {
    if (query === null) return;
    const subscription = liveQuery(query).subscribe({
      next: (value) => setState({ gen: current, result: { status: 'ready', value } }),
      error: (error: unknown) => setState({ gen: current, result: { status: 'error', error } }),
    });
    return () => subscription.unsubscribe();
    // `query` is a fresh closure each render; `deps` say when it really changed.
  }, [current]);

  return state.gen === current ? state.result : LOADING;
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}
