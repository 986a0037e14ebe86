// The script-level tag tree as nested lists: readable, searchable with the browser's find,
// and keyboard friendly (native <details>). Every URL is page data: rendered as text only.
import { useMemo } from 'preact/hooks';
import type { ReportParty } from '../../../../report/types.ts';
import { Text } from '../../../shared/Text.tsx';
import { scriptTree, type ScriptNode } from '../../logic/script-tree.ts';

const TAG_WORDS: Record<ScriptNode['tag'], string> = {
  script: 'script',
  iframe: 'frame',
  img: 'image / pixel',
  fetch: 'fetch',
  xhr: 'XHR',
  beacon: 'beacon',
  websocket: 'WebSocket',
};

function Node({ node }: { node: ScriptNode }) {
  return (
    <li data-url={node.url}>
      <span class="script-url">
        <Text value={node.url} />
      </span>{' '}
      <span class="hint">
        {TAG_WORDS[node.tag]}, <Text value={node.party} />
      </span>
      {node.children.length > 0 && (
        <ul>
          {node.children.map((c, i) => (
            <Node key={`${c.url}|${i}`} node={c} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function ScriptTree({ site, parties }: { site: string; parties: readonly ReportParty[] }) {
  const tree = useMemo(() => scriptTree(parties), [parties]);
  if (tree.roots.length === 0) {
    return (
      <p class="empty" data-testid="script-tree">
        No script-level chain was recorded (it comes from the page-world instrumentation, in the
        extension only).
      </p>
    );
  }
  return (
    <details class="alt" data-testid="script-tree" open>
      <summary>Which script loaded what ({tree.shown} items)</summary>
      <ul class="script-tree">
        <li>
          <Text value={site} /> <span class="hint">the page: its markup and inline code</span>
          <ul>
            {tree.roots.map((n, i) => (
              <Node key={`${n.url}|${i}`} node={n} />
            ))}
          </ul>
        </li>
      </ul>
      {tree.omitted > 0 && (
        <p class="hint">{tree.omitted} more links are not shown (too many, or a loop).</p>
      )}
    </details>
  );
}
