// A titled list of organization rows. Secondary sections start collapsed: someone asking
// "who collects data here" should see the collectors first, the rest on request.
import { useEffect, useId, useState } from 'preact/hooks';
import type { LeakwatchDb } from '../../storage/db.ts';
import type { OrgGroup } from '../shared/parties.ts';
import { PartyRow } from './PartyRow.tsx';

/** Rows rendered before a "show all": a page with hundreds of parties stays fast. */
const PAGE_SIZE = 50;
/**
 * Rows in the very first paint: about what the popup shows without scrolling. The rest of
 * the page follows one frame later, so the first screen does not wait for rows below it.
 */
const FIRST_PAINT = 12;

interface Props {
  title: string;
  /** One sentence under the title saying what belongs here. */
  hint: string;
  groups: OrgGroup[];
  /** null until Dexie has loaded (the first screen is shown before). */
  db: LeakwatchDb | null;
  pageId: string;
  testId: string;
  collapsible: boolean;
  onAuthorize?: ((party: string) => Promise<void>) | undefined;
}

export function PartySection(props: Props) {
  const { title, hint, groups, db, pageId, testId, collapsible, onAuthorize } = props;
  const [open, setOpen] = useState(!collapsible);
  const [limit, setLimit] = useState(PAGE_SIZE);
  const [painted, setPainted] = useState(false);
  // Preact runs this after the browser painted the first rows.
  useEffect(() => setPainted(true), []);
  const shown = painted ? limit : Math.min(limit, FIRST_PAINT);
  const headingId = useId();
  const listId = useId();
  if (groups.length === 0) return null;
  const heading = (
    <>
      <span>{title}</span> <span class="section-count">({groups.length})</span>
    </>
  );
  return (
    <section class="section" aria-labelledby={headingId} data-testid={testId}>
      <h2 class="section-heading" id={headingId}>
        {collapsible ? (
          <button
            type="button"
            class="section-toggle"
            aria-expanded={open}
            aria-controls={listId}
            onClick={() => setOpen(!open)}
          >
            <span class="chevron" aria-hidden="true" />
            {heading}
          </button>
        ) : (
          heading
        )}
      </h2>
      {open && (
        <div id={listId}>
          <p class="section-hint">{hint}</p>
          <ul role="list" class="party-list">
            {groups.slice(0, shown).map((g) => (
              <PartyRow
                key={g.organization}
                group={g}
                db={db}
                pageId={pageId}
                onAuthorize={onAuthorize}
              />
            ))}
          </ul>
          {groups.length > limit && (
            <button type="button" class="button more" onClick={() => setLimit(groups.length)}>
              Show all {groups.length}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
