// The relay's extension calls, made without webextension-polyfill: the relay is injected
// into every frame, and the polyfill was about 60% of its code, parsed and run per frame for
// two calls. Chrome (MV3, 148+ also as `browser`) and Firefox both return a promise
// from runtime.sendMessage natively. Isolated world: the page cannot reach these globals.
interface Runtime {
  sendMessage(message: unknown): Promise<unknown> | undefined;
  onMessage?: { addListener(listener: (message: unknown) => undefined): void };
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

/** runtime.onMessage for messages that need no answer (the background's ledger request). */
export function onMessage(listener: (message: unknown) => void): void {
  try {
    (g.browser?.runtime ?? g.chrome?.runtime)?.onMessage?.addListener((message) => {
      listener(message);
      return undefined;
    });
  } catch {
    // No runtime (the extension was reloaded): nothing will ask.
  }
}
