// One organization on the page: name, category, counts, what it takes and why it is listed.
// Expands (a real button, so Enter/Space and screen readers work) to its domains and findings.
import { useId, useState } from 'preact/hooks';
import type { LeakwatchDb } from '../../storage/db.ts';
import { categoryLabel, dataTypeLabel, kindLabel, plural, visibleText } from '../shared/format.ts';
import type { OrgGroup } from '../shared/parties.ts';
import { Text } from '../shared/Text.tsx';
import { PartyDetails } from './PartyDetails.tsx';

interface Props {
  group: OrgGroup;
  /** null until Dexie has loaded (the first screen is shown before). */
  db: LeakwatchDb | null;
  pageId: string;
  /** Adds the organization (or domain) to the site's authorized list; absent: no button. */
  onAuthorize?: ((party: string) => Promise<void>) | undefined;
}

/**
 * What to put on the list for a row: the organization when the tracker data names one,
 * else the domain (an unknown party's organization is its domain).
 */
export const authorizeTarget = (g: OrgGroup): string => g.organization;

function stats(g: OrgGroup): string {
  const parts = [plural(g.requests, 'request')];
  if (g.pixels > 0) parts.push(plural(g.pixels, 'pixel'));
  if (g.cookiesSet > 0) parts.push(plural(g.cookiesSet, 'cookie') + ' set');
  return parts.join(' · ');
}

export function PartyRow({ group, db, pageId, onAuthorize }: Props) {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  const detailsId = useId();
  return (
    <li
      class={`party party-${group.section}`}
      data-testid="party-row"
      data-org={group.organization}
      data-domain={group.domains[0]}
      data-domains={group.domains.join(' ')}
      data-section={group.section}
      data-authorized={group.authorized === null ? undefined : String(group.authorized)}
    >
      <button
        type="button"
        class="party-toggle"
        aria-expanded={open}
        aria-controls={detailsId}
        onClick={() => setOpen(!open)}
      >
        <span class="chevron" aria-hidden="true" />
        <Text value={group.organization} max={120} class="party-name" />
        <span class="chip chip-category">{categoryLabel(group.category)}</span>
      </button>
      <p class="why" data-testid="party-why">
        {visibleText(group.why)}
      </p>
      {group.authorized === false && (
        <div class="unauthorized" data-testid="party-unauthorized">
          <p>
            <strong class="chip chip-unauthorized">Not authorized</strong>{' '}
            <span data-testid="party-loader">{visibleText(group.loaderText)}</span>
          </p>
          {onAuthorize && (
            <button
              type="button"
              class="button authorize"
              data-testid="authorize"
              aria-label={`Authorize ${visibleText(group.organization)} on this site`}
              onClick={() => {
                setStatus('Authorizing…');
                onAuthorize(authorizeTarget(group)).then(
                  () => setStatus(''),
                  (e: unknown) => setStatus(`Could not authorize: ${String(e)}`),
                );
              }}
            >
              Authorize
            </button>
          )}
          {status !== '' && <p role="status">{status}</p>}
        </div>
      )}
      <p class="stats">{stats(group)}</p>
      {group.dataTypes.length > 0 && (
        <div class="takes">
          <span class="takes-label">Takes:</span>
          <ul role="list" class="chips" aria-label="Data taken">
            {group.dataTypes.map((d) => (
              <li key={d} class="chip chip-data" data-type={d}>
                {dataTypeLabel(d)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {group.kinds.length > 0 && (
        <ul role="list" class="chips" aria-label="Findings">
          {group.kinds.map((k) => (
            <li key={k} class="chip chip-kind" data-kind={k}>
              {kindLabel(k)}
            </li>
          ))}
        </ul>
      )}
      {open && <PartyDetails id={detailsId} group={group} db={db} pageId={pageId} />}
    </li>
  );
}
