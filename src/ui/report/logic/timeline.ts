// The Timeline view: a site's visits in time order, each with its third parties, what
// appeared or disappeared since the visit before, and (when the site has a saved baseline)
// which of its parties are not in the baseline and which baseline parties it lacked. Pure.
import type { PageRow, PartyRow } from '../../../storage/db.ts';

/** What the timeline needs of a saved baseline (src/storage/site-baseline.ts). */
export interface TimelineBaseline {
  savedAt: number;
  /** The baseline's third-party domains. */
  domains: readonly string[];
}

export interface BaselineMarks {
  /** Third parties of the visit that the baseline does not have. */
  added: string[];
  /** Baseline parties this visit did not load. */
  missing: string[];
}

export interface TimelineVisit {
  page: PageRow;
  thirdParties: string[];
  appeared: string[];
  disappeared: string[];
  /**
   * The visit against the site's baseline, for visits made after it was saved; null for
   * earlier visits (they are what the baseline was made from) and when there is none.
   */
  baseline: BaselineMarks | null;
}

export function timeline(
  pages: readonly PageRow[],
  parties: readonly PartyRow[],
  baseline: TimelineBaseline | null = null,
): TimelineVisit[] {
  const byPage = new Map<string, Set<string>>();
  for (const p of parties) {
    if (p.firstParty || p.sameOrganization) continue;
    const s = byPage.get(p.pageId) ?? new Set<string>();
    s.add(p.domain);
    byPage.set(p.pageId, s);
  }
  const inBaseline = new Set(baseline?.domains ?? []);
  const sorted = [...pages].sort((a, b) => a.visitedAt - b.visitedAt || a.id.localeCompare(b.id));
  let before: Set<string> | null = null;
  return sorted.map((page) => {
    const now = byPage.get(page.id) ?? new Set<string>();
    const appeared = before ? [...now].filter((d) => !before!.has(d)).sort() : [];
    const disappeared = before ? [...before].filter((d) => !now.has(d)).sort() : [];
    before = now;
    const marks =
      baseline && page.visitedAt > baseline.savedAt
        ? {
            added: [...now].filter((d) => !inBaseline.has(d)).sort(),
            missing: [...inBaseline].filter((d) => !now.has(d)).sort(),
          }
        : null;
    return { page, thirdParties: [...now].sort(), appeared, disappeared, baseline: marks };
  });
}
