// Graphs drawn as SVG: the tag tree of a site (publisher → tag → piggybacked tag → pixel,
// from the parties' loadedBy) and the cross-site party graph (sites ↔ parties). A simple
// layered layout: each node sits in the column of its depth; within a column, nodes are
// ordered by the mean row of their parents (one barycentre pass), which keeps edges short
// and uncrossed enough to stay readable at 100+ nodes. Pure.
import { isTrackingParty } from '../../../core/tracking.ts';
import type { ReportParty } from '../../../report/types.ts';

export type NodeKind = 'page' | 'tag' | 'pixel' | 'party' | 'site';

export interface GraphNode {
  id: string;
  label: string;
  kind: NodeKind;
  layer: number;
  tracking: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** The loader is not known: the edge is drawn dashed from the page. */
  unknown?: boolean;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
}

export interface Layout {
  nodes: PlacedNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

export const PAGE_NODE = 'page';

/** The publisher and who brought in whom. Parties with no known loader hang off the page. */
export function tagTree(site: string, parties: readonly ReportParty[]): Graph {
  const third = parties.filter((p) => !p.firstParty);
  const known = new Set(third.map((p) => p.domain));
  const own = new Set(parties.filter((p) => p.firstParty).map((p) => p.domain));
  const loaderOf = (p: ReportParty): string | null => {
    const l = p.loadedBy;
    if (l === null) return null;
    if (l === 'page' || own.has(l)) return PAGE_NODE;
    return known.has(l) ? l : PAGE_NODE;
  };
  const loads = new Set(third.map(loaderOf).filter((l): l is string => l !== null));
  const depth = new Map<string, number>();
  const byDomain = new Map(third.map((p) => [p.domain, p]));
  const depthOf = (d: string, seen: Set<string>): number => {
    const cached = depth.get(d);
    if (cached !== undefined) return cached;
    const p = byDomain.get(d);
    const l = p ? loaderOf(p) : null;
    // A loop (a loads b loads a) is cut where it closes.
    const v =
      l === null || l === PAGE_NODE || seen.has(l) ? 1 : depthOf(l, new Set(seen).add(d)) + 1;
    depth.set(d, v);
    return v;
  };
  const nodes: GraphNode[] = [
    { id: PAGE_NODE, label: site, kind: 'page', layer: 0, tracking: false },
  ];
  const edges: GraphEdge[] = [];
  for (const p of third) {
    const kind: NodeKind = loads.has(p.domain) ? 'tag' : p.pixels > 0 ? 'pixel' : 'party';
    nodes.push({
      id: p.domain,
      label: p.domain,
      kind,
      layer: depthOf(p.domain, new Set()),
      tracking: isTrackingParty(p),
    });
    const l = loaderOf(p);
    edges.push(
      l === null ? { from: PAGE_NODE, to: p.domain, unknown: true } : { from: l, to: p.domain },
    );
  }
  return { nodes, edges };
}

export interface GraphSize {
  column: number;
  row: number;
  padX: number;
  padY: number;
}

const DEFAULT_SIZE: GraphSize = { column: 230, row: 26, padX: 10, padY: 16 };

export function layoutGraph(graph: Graph, size: GraphSize = DEFAULT_SIZE): Layout {
  const layers = new Map<number, GraphNode[]>();
  for (const n of graph.nodes) {
    const list = layers.get(n.layer) ?? [];
    list.push(n);
    layers.set(n.layer, list);
  }
  const parents = new Map<string, string[]>();
  for (const e of graph.edges) parents.set(e.to, [...(parents.get(e.to) ?? []), e.from]);
  const row = new Map<string, number>();
  const order = [...layers.keys()].sort((a, b) => a - b);
  for (const layer of order) {
    const list = layers.get(layer)!;
    const centre = (n: GraphNode): number => {
      const rows = (parents.get(n.id) ?? []).map((p) => row.get(p)).filter((r) => r !== undefined);
      return rows.length ? rows.reduce((s, r) => s + r, 0) / rows.length : 0;
    };
    list.sort((a, b) => centre(a) - centre(b) || a.label.localeCompare(b.label));
    list.forEach((n, i) => row.set(n.id, i));
  }
  const tallest = Math.max(1, ...[...layers.values()].map((l) => l.length));
  const nodes: PlacedNode[] = graph.nodes.map((n) => {
    const inLayer = layers.get(n.layer)!.length;
    // Short columns are centred against the tallest one.
    const offset = ((tallest - inLayer) * size.row) / 2;
    return {
      ...n,
      x: size.padX + n.layer * size.column,
      y: size.padY + offset + row.get(n.id)! * size.row,
    };
  });
  return {
    nodes,
    edges: graph.edges,
    width: size.padX * 2 + (order.length ? Math.max(...order) + 1 : 1) * size.column,
    height: size.padY * 2 + tallest * size.row,
  };
}

export interface SitePartyLink {
  site: string;
  domain: string;
  tracking: boolean;
}

/** Sites (left) and the third parties seen on them (right); the parties on most sites first. */
export function partyGraph(links: readonly SitePartyLink[], maxParties = 80): Graph {
  const sitesOf = new Map<string, Set<string>>();
  const tracking = new Map<string, boolean>();
  for (const l of links) {
    sitesOf.set(l.domain, (sitesOf.get(l.domain) ?? new Set()).add(l.site));
    tracking.set(l.domain, (tracking.get(l.domain) ?? false) || l.tracking);
  }
  const kept = [...sitesOf.entries()]
    .sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))
    .slice(0, maxParties);
  const sites = [...new Set(kept.flatMap(([, s]) => [...s]))].sort();
  const nodes: GraphNode[] = [
    ...sites.map((s) => ({
      id: `site:${s}`,
      label: s,
      kind: 'site' as const,
      layer: 0,
      tracking: false,
    })),
    ...kept.map(([d]) => ({
      id: `party:${d}`,
      label: d,
      kind: 'party' as const,
      layer: 1,
      tracking: tracking.get(d) ?? false,
    })),
  ];
  const edges = kept.flatMap(([d, s]) =>
    [...s].map((site) => ({ from: `site:${site}`, to: `party:${d}` })),
  );
  return { nodes, edges };
}
