// The script-level tag tree of a site: the page → the scripts it loaded → what each of them
// loaded, from the parties' stored tag-chain edges (ReportParty.tagEdges). The party-level
// graph says "tagmgr brought in piggy"; this says which file did it. Pure.
import type { ReportParty, ReportTagEdge } from '../../../report/types.ts';

export interface ScriptNode {
  /** The loaded URL (a script or frame URL, a pixel's origin and path). */
  url: string;
  party: string;
  tag: ReportTagEdge['tag'];
  children: ScriptNode[];
}

export interface ScriptTree {
  /** What the page's own markup and inline code loaded, and what hangs below. */
  roots: ScriptNode[];
  /** Nodes drawn (bounded: a hostile page can produce thousands of edges). */
  shown: number;
  /** Edges left out by the bound or because they close a loop. */
  omitted: number;
}

export const MAX_SCRIPT_NODES = 400;
const MAX_DEPTH = 12;

/**
 * Builds the tree. An edge whose parent script was never seen being loaded (its own load
 * came before the instrumentation, or from a same-party script not stored) hangs from a
 * node for that script at the top, so nothing recorded is dropped.
 */
export function scriptTree(parties: readonly ReportParty[]): ScriptTree {
  const edges: (ReportTagEdge & { party: string })[] = [];
  for (const p of parties) for (const e of p.tagEdges) edges.push({ ...e, party: p.domain });
  const byParent = new Map<string, typeof edges>();
  const loaded = new Set<string>();
  for (const e of edges) {
    const k = e.parent ?? '';
    byParent.set(k, [...(byParent.get(k) ?? []), e]);
    loaded.add(e.child);
  }
  let shown = 0;
  const placed = new Set<string>();
  const grow = (parent: string, depth: number, path: Set<string>): ScriptNode[] => {
    const out: ScriptNode[] = [];
    for (const e of byParent.get(parent) ?? []) {
      if (shown >= MAX_SCRIPT_NODES || path.has(e.child) || depth > MAX_DEPTH) continue;
      shown++;
      placed.add(`${e.parent ?? ''}>${e.child}>${e.tag}`);
      const next = new Set(path).add(e.child);
      out.push({
        url: e.child,
        party: e.party,
        tag: e.tag,
        children: grow(e.child, depth + 1, next),
      });
    }
    return out;
  };
  const roots = grow('', 0, new Set());
  // Parents nobody was seen loading: shown at the top as the script they are.
  for (const [parent, list] of byParent) {
    if (parent === '' || loaded.has(parent) || shown >= MAX_SCRIPT_NODES) continue;
    shown++;
    roots.push({
      url: parent,
      party: list[0]?.parentParty ?? '',
      tag: 'script',
      children: grow(parent, 1, new Set([parent])),
    });
  }
  const omitted = edges.filter((e) => !placed.has(`${e.parent ?? ''}>${e.child}>${e.tag}`)).length;
  return { roots, shown, omitted };
}
