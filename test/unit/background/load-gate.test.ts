import { describe, expect, it } from 'vitest';
import { createLoadGate } from '../../../src/background/load-gate.ts';

/** A gate on a hand-driven clock and timer list. */
function gate(opts: { maxHoldMs?: number; maxHeld?: number } = {}) {
  let t = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const g = createLoadGate({
    ...opts,
    now: () => t,
    setTimer: (fn, ms) => {
      const timer = { at: t + ms, fn };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      const i = timers.indexOf(timer as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
  });
  const ran: string[] = [];
  return {
    g,
    ran,
    pass: (name: string) => g.pass(() => ran.push(name)),
    advance(ms: number) {
      t += ms;
      for (const timer of timers.filter((x) => x.at <= t)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.fn();
      }
    },
  };
}

describe('load gate', () => {
  it('runs work at once when no page is loading', () => {
    const { pass, ran } = gate();
    pass('a');
    expect(ran).toEqual(['a']);
  });

  it('holds work while a page loads and runs it in arrival order at its load event', () => {
    const { g, pass, ran } = gate();
    g.loading(1);
    pass('a');
    pass('b');
    expect(ran).toEqual([]);
    g.loaded(1);
    expect(ran).toEqual(['a', 'b']);
    pass('c');
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('waits for the last of several loading tabs; a closed tab counts as done', () => {
    const { g, pass, ran } = gate();
    g.loading(1);
    g.loading(2);
    pass('a');
    g.loaded(1);
    expect(ran).toEqual([]);
    g.loaded(2);
    expect(ran).toEqual(['a']);
  });

  it('never holds anything longer than the maximum, even for a load that never ends', () => {
    const { g, pass, ran, advance } = gate({ maxHoldMs: 3000 });
    g.loading(1);
    pass('a');
    advance(2999);
    expect(ran).toEqual([]);
    advance(1);
    expect(ran).toEqual(['a']);
    // Still loading: the next item is held again, with its own clock.
    pass('b');
    advance(2000);
    expect(ran).toEqual(['a']);
    advance(1000);
    expect(ran).toEqual(['a', 'b']);
  });

  it('runs everything at once when too much is held', () => {
    const { g, pass, ran } = gate({ maxHeld: 3 });
    g.loading(1);
    pass('a');
    pass('b');
    expect(ran).toEqual([]);
    pass('c');
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('release runs what is held now (the popup, the report, flush)', () => {
    const { g, pass, ran } = gate();
    g.loading(1);
    pass('a');
    g.release();
    expect(ran).toEqual(['a']);
    pass('b');
    expect(ran).toEqual(['a']);
  });

  it('forgets a load whose end never came, keeping the order of what it held', () => {
    const { g, pass, ran, advance } = gate({ maxHoldMs: 60_000 });
    g.loading(1);
    pass('a');
    advance(30_001);
    pass('b');
    expect(ran).toEqual(['a', 'b']);
  });

  it('settled resolves once what is held has run, without hurrying it', async () => {
    const { g, pass, ran } = gate();
    await g.settled();
    g.loading(1);
    pass('a');
    let done = false;
    const settled = g.settled().then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    g.loaded(1);
    await settled;
    expect(ran).toEqual(['a']);
    expect(done).toBe(true);
  });

  it('ignores the end of a load it did not see start', () => {
    const { g, pass, ran } = gate();
    g.loading(1);
    pass('a');
    g.loaded(2);
    expect(ran).toEqual([]);
  });
});
