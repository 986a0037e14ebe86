// The tag chain: which script brought in which script, frame, image or request. Each 'load'
// event is an edge from the calling script to the URL it loaded; joined with the parties of
// both ends it says "tagvendor.test's tag brought in krxd.net" (the piggyback). Edges name
// scripts; party links are what the party rows can hold today (PartyRow.loadedBy).
import type { PartyInfo } from '../model.ts';
import type { LoadTag, PageEvent } from './events.ts';
import { addBounded, type DetectorContext } from './state.ts';

export interface TagEdge {
  pageId: string;
  /** The inserting script; null for the document itself (inline code, the HTML). */
  parentScript: string | null;
  /** Party domain of the parent, or 'page' for the page's own site. */
  parentParty: string;
  childUrl: string;
  childParty: string;
  tag: LoadTag;
  time: number;
}

export interface PartyLink {
  party: PartyInfo;
  /** Party domain of the script that brought it in, or 'page'. */
  loadedBy: string;
}

const MAX_EDGES_PER_PAGE = 2_000;

function edgeKey(parent: string, url: string): string {
  const q = url.indexOf('?');
  return `${parent}>${q >= 0 ? url.slice(0, q) : url}`;
}

/** The edge (and party link) a load event adds, or null for repeats and same-party loads. */
export function tagEdge(
  e: PageEvent,
  ctx: DetectorContext,
  seen: Set<string>,
): { edge: TagEdge; link: PartyLink | null } | null {
  if (e.t !== 'load') return null;
  const s = ctx.script;
  const parent = s.url ? s.party : s.frameParty;
  const parentParty = parent.firstParty || !parent.domain ? 'page' : parent.domain;
  if (!addBounded(seen, edgeKey(s.url ?? s.frameUrl, e.url), MAX_EDGES_PER_PAGE)) return null;
  const child = ctx.partyOf(e.url);
  const edge: TagEdge = {
    pageId: ctx.page.pageId,
    parentScript: s.url,
    parentParty,
    childUrl: e.url,
    childParty: child.domain,
    tag: e.tag,
    time: e.time,
  };
  const crossParty = child.domain && !child.firstParty && child.domain !== parent.domain;
  return { edge, link: crossParty ? { party: child, loadedBy: parentParty } : null };
}
