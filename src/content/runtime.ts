// The relay's one extension call, made without webextension-polyfill: the relay is injected
// into every frame, and the polyfill was about 60% of its code, parsed and run per frame for
// this single call. Chrome (MV3, 148+ also as `browser`) and Firefox both return a promise
// from runtime.sendMessage natively. Isolated world: the page cannot reach these globals.
interface Runtime {
  sendMessage(message: unknown): Promise<unknown> | undefined;
}

const g = globalThis as { browser?: { runtime?: Runtime }; chrome?: { runtime?: Runtime } };

/** runtime.sendMessage; rejects (never throws) when the extension context is gone. */
export function sendMessage(message: unknown): Promise<unknown> {
  try {
    const runtime = g.browser?.runtime ?? g.chrome?.runtime;
    if (!runtime) return Promise.reject(new Error('no extension runtime'));
    return Promise.resolve(runtime.sendMessage(message));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
