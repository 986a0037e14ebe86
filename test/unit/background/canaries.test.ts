// The canary messages (setCanaries, getCanaries, removeCanary, registerCanaries) through the
// background's handlers, with a fake storage.session: the list survives a "worker restart"
// (a new store over the same area), the registry always holds exactly the list, and pages
// only ever get masked previews back.
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../../src/background/handlers.ts';
import {
  CANARY_KEY,
  createCanaryStore,
  type SessionArea,
} from '../../../src/background/canaries.ts';
import { SecretRegistry, replaceCanaries } from '../../../src/core/leaks/secrets.ts';
import { REQUEST_SCHEMAS } from '../../../src/messaging/protocol.ts';
import * as v from 'valibot';

const EMAIL = 'jane.reader@example.com';
const PHONE = '+44 20 7946 0958';

/** storage.session: a map in memory. */
function fakeSession(initial: Record<string, unknown> = {}) {
  const data = new Map(Object.entries(initial));
  const area: SessionArea = {
    get: async (key) => (data.has(key) ? { [key]: structuredClone(data.get(key)) } : {}),
    set: async (items) => {
      for (const [k, val] of Object.entries(items)) data.set(k, structuredClone(val));
    },
  };
  return { area, data };
}

function boot(area: SessionArea) {
  const registry = new SecretRegistry();
  const registered: string[][] = [];
  const canaries = createCanaryStore(area, {
    register: (values) => {
      registered.push([...values]);
      return replaceCanaries(values, registry);
    },
  });
  const ready = canaries.restore();
  const handlers = createHandlers({
    ready,
    bootId: 'b',
    pipeline: { drain: async () => {} },
    writer: { flushNow: async () => {} },
    tracker: { pageOfTab: async () => null },
    canaries,
  });
  /** The registry's canary for a value (register is idempotent: the one in force). */
  const inForce = (val: string) => {
    const s = registry.register('email', val);
    return !!s && registry.indexesFor('none')[0]!.has(s);
  };
  return { handlers, registered, inForce };
}

describe('canary handlers', () => {
  it('set, list masked, remove, clear; storage.session holds the list', async () => {
    const { area, data } = fakeSession();
    const { handlers, registered } = boot(area);
    const set = await handlers.setCanaries({ values: [` ${EMAIL} `, PHONE, EMAIL, 'abc', ''] });
    // Trimmed, deduplicated, too-short values dropped.
    expect(set.canaries.map((c) => c.kind)).toEqual(['email', 'phone']);
    expect(data.get(CANARY_KEY)).toEqual([EMAIL, PHONE]);
    expect(registered.at(-1)).toEqual([EMAIL, PHONE]);

    const listed = await handlers.getCanaries({});
    expect(listed).toEqual(set);
    const text = JSON.stringify(listed);
    expect(text).not.toContain('jane.reader');
    expect(text).not.toContain('7946');
    expect(listed.canaries[0]!.preview).toMatch(/^j\*+@e\*+\.com$/);

    const removed = await handlers.removeCanary({ index: 0 });
    expect(removed.canaries.map((c) => c.kind)).toEqual(['phone']);
    expect(data.get(CANARY_KEY)).toEqual([PHONE]);
    expect(registered.at(-1)).toEqual([PHONE]);
    await expect(handlers.removeCanary({ index: 5 })).rejects.toThrow(/no such canary/);

    expect((await handlers.setCanaries({ values: [] })).canaries).toEqual([]);
    expect(data.get(CANARY_KEY)).toEqual([]);
    expect(registered.at(-1)).toEqual([]);
  });

  it('registerCanaries appends to the list, up to 32', async () => {
    const { area, data } = fakeSession();
    const { handlers } = boot(area);
    expect(await handlers.registerCanaries({ values: [EMAIL] })).toEqual({ registered: 1 });
    expect(await handlers.registerCanaries({ values: [PHONE, 'x'] })).toEqual({ registered: 1 });
    expect(await handlers.registerCanaries({ values: [EMAIL.toUpperCase()] })).toEqual({
      registered: 1,
    });
    expect(data.get(CANARY_KEY)).toEqual([EMAIL, PHONE]);
    const many = Array.from({ length: 31 }, (_, i) => `person${i}@example.org`);
    await expect(handlers.registerCanaries({ values: many })).rejects.toThrow(/at most 32/);
    expect(data.get(CANARY_KEY)).toEqual([EMAIL, PHONE]);
  });

  it('a restarted worker registers the session list again inside ready', async () => {
    const { area } = fakeSession();
    const first = boot(area);
    await first.handlers.setCanaries({ values: [EMAIL, PHONE] });
    await first.handlers.removeCanary({ index: 1 });

    const second = boot(area);
    await second.handlers.ping({});
    expect(second.registered).toEqual([[EMAIL]]);
    expect(second.inForce(EMAIL)).toBe(true);
    expect((await second.handlers.getCanaries({})).canaries.map((c) => c.kind)).toEqual(['email']);
  });

  it('ignores junk in storage and works without a session area', async () => {
    const { area } = fakeSession({ [CANARY_KEY]: [EMAIL, 42, { a: 1 }, 'x'.repeat(300)] });
    const { handlers } = boot(area);
    expect((await handlers.getCanaries({})).canaries).toHaveLength(1);

    const memoryOnly = createCanaryStore(null, { register: () => 0 });
    expect((await memoryOnly.set([EMAIL])).canaries).toHaveLength(1);
    expect((await memoryOnly.list()).canaries).toHaveLength(1);
  });

  it('the schemas bound the requests', () => {
    const ok = (name: 'setCanaries' | 'removeCanary' | 'getCanaries', p: unknown) =>
      v.safeParse(REQUEST_SCHEMAS[name], p).success;
    expect(ok('setCanaries', { values: [EMAIL] })).toBe(true);
    expect(ok('setCanaries', { values: Array(33).fill(EMAIL) })).toBe(false);
    expect(ok('setCanaries', { values: ['x'.repeat(257)] })).toBe(false);
    expect(ok('setCanaries', { values: [1] })).toBe(false);
    expect(ok('getCanaries', {})).toBe(true);
    expect(ok('getCanaries', { values: [] })).toBe(false);
    expect(ok('removeCanary', { index: 0 })).toBe(true);
    expect(ok('removeCanary', { index: -1 })).toBe(false);
    expect(ok('removeCanary', { index: 0.5 })).toBe(false);
  });
});
