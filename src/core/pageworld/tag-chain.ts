// The tag chain: which script brought in which script, frame, image or request. Each 'load'
// event is an edge from the calling script to the URL it loaded; joined with the parties of
// both ends it says "tagvendor.test's tag brought in krxd.net" (the piggyback). Edges name
// scripts; each is stored on the row of the party it brought in (PartyRow.tagEdges, as a
// TagLink), and a cross-party edge also sets that party's loadedBy.
import type { PartyInfo } from '../model.ts';
import { storableUrl } from '../leaks/common.ts';
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
  /** Party domain of the script that brought it in, or 'page'; null for a same-party load. */
  loadedBy: string | null;
  /** The edge as stored on that party's row. */
  edge: TagLink;
}

/** A tag-chain edge as stored on the row of the party it brought in. */
export interface TagLink {
  /** The inserting script's URL; null for the document itself. */
  parent: string | null;
  /** Party domain of the parent, or 'page'. */
  parentParty: string;
  /** What was loaded: a script or frame URL as stored at rest, a pixel's origin and path. */
  child: string;
  tag: LoadTag;
  time: number;
}

/** Edges kept per party row: enough for the tree, bounded against hostile pages. */
export const MAX_TAG_LINKS_PER_PARTY = 100;

/**
 * The URL of a tag-chain end as kept at rest: scripts and frames as sent (their query names
 * the container or account, which publishers need), masked when they may hold personal data;
 * pixels and requests without their query, which is where they carry data.
 */
export function storableChild(url: string, tag: LoadTag): string {
  if (tag === 'script' || tag === 'iframe') return storableUrl(url);
  const cut = url.search(/[?#]/);
  return storableUrl(cut >= 0 ? url.slice(0, cut) : url);
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
  // The page's own resources loaded by the page itself are not part of the chain.
  const kept = child.domain && !(parentParty === 'page' && child.firstParty);
  if (!kept) return { edge, link: null };
  const link: TagLink = {
    parent: s.url === null ? null : storableUrl(s.url),
    parentParty,
    child: storableChild(e.url, e.tag),
    tag: e.tag,
    time: e.time,
  };
  return { edge, link: { party: child, loadedBy: crossParty ? parentParty : null, edge: link } };
}
