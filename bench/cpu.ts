// CPU time of a Chromium instance (its browser process and every descendant: renderers, the
// extension's worker, the network service, the GPU process), from /proc. On a shared 2-core
// machine wall-clock load times swing with other work; the CPU a page load costs does not,
// so the page-load rows report both. Linux only: elsewhere it reports nothing.
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface Proc {
  ppid: number;
  cpuMs: number;
}

function readProcs(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command name (which may hold spaces).
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(rest[1]);
      const cpuMs = (Number(rest[11]) + Number(rest[12])) * TICK_MS;
      out.set(Number(name), { ppid, cpuMs });
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

/** The pid of the Chromium browser process whose command line contains `marker`, or null. */
export function findBrowserPid(marker: string): number | null {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (cmd.some((a) => a.startsWith('--type='))) continue;
      if (cmd.some((a) => a.includes(marker))) return Number(name);
    } catch {
      // Gone.
    }
  }
  return null;
}

/**
 * A counter of the CPU time used by `root` and its descendants. Processes that exit between
 * two reads lose their last slice; a page load here keeps its renderer, so that is small.
 */
export function cpuCounter(root: number | null): () => number {
  return () => {
    if (root === null) return Number.NaN;
    const procs = readProcs();
    const children = new Map<number, number[]>();
    for (const [pid, p] of procs) {
      const list = children.get(p.ppid) ?? [];
      list.push(pid);
      children.set(p.ppid, list);
    }
    let total = 0;
    const todo = [root];
    while (todo.length > 0) {
      const pid = todo.pop() as number;
      total += procs.get(pid)?.cpuMs ?? 0;
      todo.push(...(children.get(pid) ?? []));
    }
    return total;
  };
}

/**
 * CPU time of the extension's own process (the renderer that runs its service worker and
 * pages, `--extension-process`) under `root`: the part of a load's CPU that is the
 * extension's JavaScript rather than the browser's work for it.
 */
export function extensionCpuCounter(root: number | null): () => number {
  return () => {
    if (root === null) return Number.NaN;
    const procs = readProcs();
    let total = 0;
    for (const [pid, p] of procs) {
      if (!descends(procs, pid, root)) continue;
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (cmd.includes('--extension-process')) total += p.cpuMs;
      } catch {
        // Gone.
      }
    }
    return total;
  };
}

function descends(procs: Map<number, Proc>, pid: number, root: number): boolean {
  for (let p: number | undefined = pid, hops = 0; p !== undefined && hops < 20; hops++) {
    if (p === root) return true;
    p = procs.get(p)?.ppid;
  }
  return false;
}

/**
 * Waits at least `minMs`, then until the processes behind `counter` used less than
 * `quietCpuMs` of CPU over `windowMs` (or `maxMs` passed): the browser finished the work a
 * load caused, including work the extension put off until after the load event, so none of
 * it runs during the other side's next load and all of it is billed to this one.
 * Returns the time waited. Without /proc (counter NaN) it waits `minMs` only.
 */
export async function waitForQuiet(
  counter: () => number,
  { minMs = 400, windowMs = 200, quietCpuMs = 20, maxMs = 10_000 } = {},
): Promise<number> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const start = performance.now();
  await sleep(minMs);
  for (;;) {
    const c0 = counter();
    if (Number.isNaN(c0)) break;
    await sleep(windowMs);
    if (counter() - c0 < quietCpuMs || performance.now() - start > maxMs) break;
  }
  return performance.now() - start;
}
