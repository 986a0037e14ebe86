// The Public Suffix List as the installed tldts (MIT, https://github.com/remusao/tldts) knows
// it, repacked as one string table the worker can use without building anything
// (src/core/psl.ts walks it). tldts ships the list as a flat trie (a DAWG: shared suffixes
// stored once) in typed arrays built from number literals, plus a hashing pass at import;
// that costs ~10 ms per fresh start. The nodes and edges here are exactly tldts's, so the
// walk, and with it every answer, is the same (test/unit/psl.test.ts compares them).
//
// Format, one block per trie node, referenced by the offset of its header line:
//   header: flags digit (1 ICANN, 2 private, 0 none) + base-36 length of its edge lines, '\n'
//   edges:  `label\t<child node offset, 4 base-36 digits>\n`, sorted by label, so a node's
//           edges are a packed table (src/core/packed-table.ts); a '*' edge sorts first.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface FlatTrie {
  nodeFlags: Uint8Array;
  edgeStart: Uint16Array | Uint32Array;
  edgeLength: Uint8Array;
  edgeChild: Uint16Array | Uint32Array;
  labelText: string;
  rulesRoot: number;
  exceptionsRoot: number;
}

export const REF_WIDTH = 4;

/**
 * A plain string literal holding `text`, every character beyond ASCII escaped. Not a template
 * literal, though one would keep the table's lines as lines and diff better: V8 keeps a
 * template literal's raw text as well as its value while it scans it, and a fresh Node
 * loaded the tracker knowledge bundle in 15.5-16.2 ms with string literals against 18.5 ms
 * with template literals (median of 21 alternating runs each, 2026-12-06). To review a data
 * upgrade, compare the old and new tables split on '\n'.
 */
export function stringLiteral(text: string): string {
  // \u{...}, as JSON.stringify has no ASCII mode: one escape per code point.
  return JSON.stringify(text).replace(
    /\P{ASCII}/gu,
    (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`,
  );
}

async function loadTldtsTrie(): Promise<{ trie: FlatTrie; version: string }> {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('tldts/package.json');
  const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  // An internal module of tldts: if a new version moves or reshapes it, this fails here,
  // at data build time, never at run time.
  const file = join(dirname(pkg), 'dist/es6/src/data/trie.js');
  const code = readFileSync(file, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
  const trie = (await import(
    `data:text/javascript;charset=utf-8,${encodeURIComponent(code)}`
  )) as FlatTrie;
  for (const k of ['nodeFlags', 'edgeStart', 'edgeLength', 'edgeChild', 'labelText'] as const)
    if (!trie[k]) throw new Error(`tldts ${version}: ${file} has no ${k}`);
  return { trie, version };
}

export async function compilePsl(): Promise<string> {
  const { trie, version } = await loadTldtsTrie();
  const { nodeFlags, edgeStart, edgeLength, edgeChild, labelText } = trie;
  const nodes = nodeFlags.length;
  const labelsOf: { label: string; child: number }[][] = [];
  let offset = 0;
  for (let n = 0; n < nodes; n++) {
    const edges: { label: string; child: number }[] = [];
    for (let e = edgeStart[n] ?? 0; e < (edgeStart[n + 1] ?? 0); e++) {
      const len = edgeLength[e] ?? 0;
      const label = labelText.slice(offset, offset + len);
      offset += len;
      if (/[\t\n]/.test(label) || label === '') throw new Error(`bad label ${label}`);
      edges.push({ label, child: edgeChild[e] ?? 0 });
    }
    edges.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    for (let i = 1; i < edges.length; i++)
      if (edges[i]?.label === '*' || edges[i]?.label === edges[i - 1]?.label)
        throw new Error(`node ${n}: '*' not first or duplicate label`);
    labelsOf.push(edges);
  }
  if (offset !== labelText.length) throw new Error('labels do not add up to labelText');
  // Edge lines have a fixed width reference, so a node's size is known before the offsets.
  const bodies = labelsOf.map((edges) =>
    edges.map((e) => `${e.label}\t${'#'.repeat(REF_WIDTH)}\n`).join(''),
  );
  const headers = bodies.map((body, n) => `${nodeFlags[n] ?? 0}${body.length.toString(36)}\n`);
  const nodeOffset: number[] = [];
  let at = 0;
  for (let n = 0; n < nodes; n++) {
    nodeOffset.push(at);
    at += (headers[n] ?? '').length + (bodies[n] ?? '').length;
  }
  const ref = (n: number): string => {
    const s = (nodeOffset[n] ?? -1).toString(36);
    if (s.length > REF_WIDTH || s.startsWith('-')) throw new Error(`node ${n} offset`);
    return s.padStart(REF_WIDTH, '0');
  };
  let table = '';
  for (let n = 0; n < nodes; n++) {
    table += headers[n];
    for (const e of labelsOf[n] ?? []) table += `${e.label}\t${ref(e.child)}\n`;
  }
  if (table.length !== at) throw new Error('layout mismatch');
  return `// Generated by scripts/build-tracker-index.ts (scripts/psl-source.ts). Do not edit by hand;
// run npm run data:trackers. The Public Suffix List (https://publicsuffix.org, MPL 2.0) as
// tldts ${version} (MIT) packs it; src/core/psl.ts reads it.

export const PSL_SOURCE = ${JSON.stringify(`tldts ${version}`)};
export const RULES_ROOT = ${nodeOffset[trie.rulesRoot]};
export const EXCEPTIONS_ROOT = ${nodeOffset[trie.exceptionsRoot]};
export const PSL = ${stringLiteral(table)};
`;
}
