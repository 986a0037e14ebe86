// A visit's script-level tag chain, as stored on its party rows (PartyRow.tagEdges): every
// edge names the inserting script and what it loaded; the child's party is the row's.
import type { TagEdge } from '../core/pageworld/tag-chain.ts';
import type { PartyRow } from './db.ts';
import type { LeakwatchDb } from './db.ts';

/** The edges of a set of party rows, oldest first. */
export function tagEdgesOf(rows: readonly PartyRow[]): TagEdge[] {
  const out: TagEdge[] = [];
  for (const row of rows) {
    for (const e of row.tagEdges ?? []) {
      out.push({
        pageId: row.pageId,
        parentScript: e.parent,
        parentParty: e.parentParty,
        childUrl: e.child,
        childParty: row.domain,
        tag: e.tag,
        time: e.time,
      });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

export async function tagChainOfVisit(db: LeakwatchDb, pageId: string): Promise<TagEdge[]> {
  return tagEdgesOf(await db.parties.where('pageId').equals(pageId).toArray());
}
