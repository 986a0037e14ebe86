// The canaries the user registers on the report page (own email, phone): kept in
// storage.session, which lives in memory only (never written to disk), survives MV3 worker
// restarts and is cleared when the browser closes. The background registers the list with
// the secret registry at start-up and after every change; pages only ever get masked
// previews back.
import {
  canaryPreview,
  isUsableCanary,
  replaceCanaries,
  type CanaryPreview,
} from '../core/leaks/secrets.ts';
import { MAX_CANARIES, MAX_CANARY_CHARS, type CanaryList } from '../messaging/protocol.ts';

/** The part of browser.storage.session (a StorageArea) this module uses. */
export interface SessionArea {
  get(keys: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export const CANARY_KEY = 'canaries';

export interface CanaryStore {
  /** Registers the stored list (call once at start-up, inside `ready`). Never throws. */
  restore(): Promise<void>;
  list(): Promise<CanaryList>;
  /** Replaces the list; values too short to match are dropped. */
  set(values: readonly string[]): Promise<CanaryList>;
  /** Appends values; answers how many of them are registered. */
  add(values: readonly string[]): Promise<number>;
  remove(index: number): Promise<CanaryList>;
}

/** Trimmed, usable, no duplicates (case-insensitive). */
function normalize(values: readonly unknown[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    if (typeof v !== 'string' || v.length > MAX_CANARY_CHARS) continue;
    const value = v.trim();
    const key = value.toLowerCase();
    if (!value || seen.has(key) || !isUsableCanary(value)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

/**
 * `area` is browser.storage.session, or null where the browser has none: then the list
 * lives in this worker's memory only. `register` defaults to the analyzer's registry.
 */
export function createCanaryStore(
  area: SessionArea | null,
  opts: {
    register?: (values: readonly string[]) => number;
    log?: (message: string, error?: unknown) => void;
  } = {},
): CanaryStore {
  const register = opts.register ?? ((values) => replaceCanaries(values));
  let current: string[] = [];
  let loaded: Promise<void> | null = null;
  // Changes run one at a time, so two quick clicks cannot lose one another's change.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const run = queue.then(f, f);
    queue = run.catch(() => {});
    return run;
  };

  const load = () =>
    (loaded ??= (async () => {
      if (!area) return;
      try {
        const stored = (await area.get(CANARY_KEY))[CANARY_KEY];
        current = Array.isArray(stored) ? normalize(stored).slice(0, MAX_CANARIES) : [];
      } catch (error) {
        opts.log?.('leakwatch: reading the canaries failed', error);
      }
      register(current);
    })());

  const previews = (): CanaryList => ({
    canaries: current.map((v): CanaryPreview => canaryPreview(v)),
  });

  async function save(next: string[]): Promise<number> {
    if (next.length > MAX_CANARIES)
      throw new Error(`Leakwatch keeps at most ${MAX_CANARIES} canaries`);
    await area?.set({ [CANARY_KEY]: next });
    current = next;
    return register(next);
  }

  return {
    restore: load,
    list: async () => {
      await load();
      return previews();
    },
    set: (values) =>
      serial(async () => {
        await load();
        await save(normalize(values));
        return previews();
      }),
    add: (values) =>
      serial(async () => {
        await load();
        const added = normalize(values).filter(
          (v) => !current.some((c) => c.toLowerCase() === v.toLowerCase()),
        );
        await save(normalize([...current, ...added]));
        return normalize(values).length;
      }),
    remove: (index) =>
      serial(async () => {
        await load();
        if (index >= current.length) throw new Error('no such canary');
        await save(current.filter((_, i) => i !== index));
        return previews();
      }),
  };
}
