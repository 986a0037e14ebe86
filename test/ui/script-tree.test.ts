// The script-level tag tree built from stored tag-chain edges (ReportParty.tagEdges).
import { describe, expect, it } from 'vitest';
import {
  scriptTree,
  MAX_SCRIPT_NODES,
  type ScriptNode,
} from '../../src/ui/report/logic/script-tree.ts';
import type { ReportTagEdge } from '../../src/report/types.ts';
import { reportParty } from './helpers.ts';

const party = (domain: string, tagEdges: ReportTagEdge[]) =>
  reportParty(domain, { tagEdges, loadedBy: null, loadedByChain: [] });
const GTM = 'https://tags.tagmgr.test/gtm.js';
const PIG = 'https://cdn.piggy.test/pig.js';
const PX = 'https://px.pixelco.test/p.gif';
const flat = (nodes: ScriptNode[], depth = 0): string[] =>
  nodes.flatMap((n) => [
    `${'  '.repeat(depth)}${n.url} (${n.tag}, ${n.party})`,
    ...flat(n.children, depth + 1),
  ]);

describe('script tree', () => {
  it('nests page → gtm.js → pig.js → pixel by script URL', () => {
    const t = scriptTree([
      party('pixelco.test', [{ parent: PIG, parentParty: 'piggy.test', child: PX, tag: 'img' }]),
      party('tagmgr.test', [{ parent: null, parentParty: 'page', child: GTM, tag: 'script' }]),
      party('piggy.test', [{ parent: GTM, parentParty: 'tagmgr.test', child: PIG, tag: 'script' }]),
    ]);
    expect(flat(t.roots)).toEqual([
      `${GTM} (script, tagmgr.test)`,
      `  ${PIG} (script, piggy.test)`,
      `    ${PX} (img, pixelco.test)`,
    ]);
    expect(t).toMatchObject({ shown: 3, omitted: 0 });
  });

  it('keeps an edge whose parent was never seen loading, under that parent at the top', () => {
    const t = scriptTree([
      party('pixelco.test', [{ parent: PIG, parentParty: 'piggy.test', child: PX, tag: 'img' }]),
    ]);
    expect(flat(t.roots)).toEqual([`${PIG} (script, piggy.test)`, `  ${PX} (img, pixelco.test)`]);
  });

  it('cuts loops and bounds a hostile flood, counting what it left out', () => {
    const loop = scriptTree([
      party('a.test', [
        { parent: null, parentParty: 'page', child: 'https://a.test/a.js', tag: 'script' },
        {
          parent: 'https://b.test/b.js',
          parentParty: 'b.test',
          child: 'https://a.test/a.js',
          tag: 'script',
        },
      ]),
      party('b.test', [
        {
          parent: 'https://a.test/a.js',
          parentParty: 'a.test',
          child: 'https://b.test/b.js',
          tag: 'script',
        },
      ]),
    ]);
    expect(flat(loop.roots)).toEqual([
      'https://a.test/a.js (script, a.test)',
      '  https://b.test/b.js (script, b.test)',
    ]);
    expect(loop.omitted).toBe(1);
    const many = Array.from({ length: 1_000 }, (_, i) => ({
      parent: null,
      parentParty: 'page',
      child: `https://x.test/${i}.js`,
      tag: 'script' as const,
    }));
    const t = scriptTree([party('x.test', many)]);
    expect(t.shown).toBe(MAX_SCRIPT_NODES);
    expect(t.omitted).toBe(1_000 - MAX_SCRIPT_NODES);
  });
});
