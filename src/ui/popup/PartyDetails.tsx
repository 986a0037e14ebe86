// The expanded part of a row: each domain with its hosts and reason, then the findings'
// own explanations (deduplicated: a pixel fired 40 times is one line with "×40").
// Findings are read only here, once the user asks, so the first render stays cheap.
import type { FindingRow, LeakwatchDb } from '../../storage/db.ts';
import { findingsForParties } from '../../storage/queries.ts';
import { kindLabel, plural, visibleText } from '../shared/format.ts';
import type { OrgGroup } from '../shared/parties.ts';
import { whyLine } from '../shared/parties.ts';
import { Text } from '../shared/Text.tsx';
import { dedupeFindings } from '../shared/findings.ts';
import { useLiveQuery, type LiveResult } from '../shared/use-live-query.ts';

const MAX_HOSTS = 20;
const MAX_EXPLANATIONS = 30;

interface Props {
  id: string;
  group: OrgGroup;
  /** null until Dexie has loaded (the first screen is shown before). */
  db: LeakwatchDb | null;
  pageId: string;
}

export function PartyDetails({ id, group, db, pageId }: Props) {
  const findings = useLiveQuery(db ? () => findingsForParties(db, pageId, group.domains) : null, [
    db,
    pageId,
    group.domains.join(' '),
  ]);
  return (
    <div id={id} class="details" data-testid="party-details">
      <h3 class="details-heading">Domains</h3>
      <ul role="list" class="domains">
        {group.parties.map((p) => (
          <li key={p.domain} class="domain" data-domain={p.domain}>
            <Text value={p.domain} class="domain-name" />
            <span class="domain-why">{visibleText(whyLine(p))}</span>
            <ul role="list" class="hosts" aria-label={`Hosts of ${visibleText(p.domain, 80)}`}>
              {p.hosts.slice(0, MAX_HOSTS).map((h) => (
                <li key={h} class="host">
                  <Text value={h} />
                </li>
              ))}
              {p.hosts.length > MAX_HOSTS && (
                <li class="host more">and {plural(p.hosts.length - MAX_HOSTS, 'more host')}</li>
              )}
            </ul>
          </li>
        ))}
      </ul>
      <h3 class="details-heading">What was seen</h3>
      <Explanations result={findings} />
    </div>
  );
}

function Explanations({ result }: { result: LiveResult<FindingRow[]> }) {
  if (result.status === 'loading') return <p class="muted">Loading…</p>;
  if (result.status === 'error') return <p class="muted">Couldn't read the findings.</p>;
  const lines = dedupeFindings(result.value);
  if (lines.length === 0) return <p class="muted">No findings: only requests were seen.</p>;
  return (
    <ul role="list" class="explanations">
      {lines.slice(0, MAX_EXPLANATIONS).map(({ key, finding, count }) => (
        <li key={key} class="explanation" data-kind={finding.kind}>
          <span class="chip chip-kind">{kindLabel(finding.kind)}</span>{' '}
          <span class="explanation-text">{visibleText(finding.explanation)}</span>
          {count > 1 && <span class="count"> ×{count}</span>}
          {finding.evidence.rule && (
            <span class="rule">
              {' '}
              (rule: <Text value={finding.evidence.rule} max={120} />)
            </span>
          )}
        </li>
      ))}
      {lines.length > MAX_EXPLANATIONS && (
        <li class="muted">and {plural(lines.length - MAX_EXPLANATIONS, 'more finding')}</li>
      )}
    </ul>
  );
}
