// The Timeline view: a site's visits in time order, each with its third parties and what
// appeared or disappeared since the visit before. Pure.
import type { PageRow, PartyRow } from '../../../storage/db.ts';

export interface TimelineVisit {
  page: PageRow;
  thirdParties: string[];
  appeared: string[];
  disappeared: string[];
}

export function timeline(pages: readonly PageRow[], parties: readonly PartyRow[]): TimelineVisit[] {
  const byPage = new Map<string, Set<string>>();
  for (const p of parties) {
    if (p.firstParty || p.sameOrganization) continue;
    const s = byPage.get(p.pageId) ?? new Set<string>();
    s.add(p.domain);
    byPage.set(p.pageId, s);
  }
  const sorted = [...pages].sort((a, b) => a.visitedAt - b.visitedAt || a.id.localeCompare(b.id));
  let before: Set<string> | null = null;
  return sorted.map((page) => {
    const now = byPage.get(page.id) ?? new Set<string>();
    const appeared = before ? [...now].filter((d) => !before!.has(d)).sort() : [];
    const disappeared = before ? [...before].filter((d) => !now.has(d)).sort() : [];
    before = now;
    return { page, thirdParties: [...now].sort(), appeared, disappeared };
  });
}
