// Parties grouped by organization and category; each party opens to its findings with the
// explanation and the evidence (request, parameter, encoding, script). Findings are read only
// when a party is opened, so a site with thousands of findings opens at once.
import { useState } from 'preact/hooks';
import type { FindingRow, LeakwatchDb } from '../../../../storage/db.ts';
import { partyFindings } from '../../../../storage/report-queries.ts';
import type { ReportParty } from '../../../../report/types.ts';
import { categoryLabel, dataTypeLabel, kindLabel, plural } from '../../../shared/format.ts';
import { Text } from '../../../shared/Text.tsx';
import { useLiveQuery } from '../../../shared/use-live-query.ts';
import type { OrgGroup, SiteDetail } from '../../logic/site-detail.ts';
import { formatTime, KindChips, Loaded } from '../common.tsx';

const SECTION_TITLES: Record<OrgGroup['section'], string> = {
  tracking: 'Collecting data',
  other: 'Other third parties',
  'first-party': 'This site',
};

export function PartiesPanel({ db, detail }: { db: LeakwatchDb; detail: SiteDetail }) {
  const sections = (['tracking', 'other', 'first-party'] as const).map(
    (s) => [s, detail.groups.filter((g) => g.section === s)] as const,
  );
  return (
    <div data-testid="parties-panel">
      {sections.map(([section, groups]) =>
        groups.length === 0 ? null : (
          <section key={section} aria-labelledby={`sec-${section}`}>
            <h2 id={`sec-${section}`}>
              {SECTION_TITLES[section]} <span class="count">({groups.length})</span>
            </h2>
            {groups.map((g) => (
              <div class="org" key={`${section}|${g.organization}`} data-org={g.organization}>
                <h3>
                  <Text value={g.organization} />{' '}
                  <span class="chip">{categoryLabel(g.category)}</span>
                </h3>
                <ul class="party-list">
                  {g.parties.map((p) => (
                    <PartyItem key={p.domain} db={db} site={detail.site} party={p} />
                  ))}
                </ul>
              </div>
            ))}
          </section>
        ),
      )}
    </div>
  );
}

function PartyItem({ db, site, party: p }: { db: LeakwatchDb; site: string; party: ReportParty }) {
  const [open, setOpen] = useState(false);
  return (
    <li data-party={p.domain}>
      <details onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>
          <span class="domain">
            <Text value={p.domain} />
          </span>{' '}
          <KindChips kinds={p.kinds} />
          <span class="facts">
            {plural(p.requests, 'request')} · {plural(p.pixels, 'pixel')} ·{' '}
            {plural(p.cookiesSet, 'cookie')} set
            {p.dataTypes.length > 0 && <> · took {p.dataTypes.map(dataTypeLabel).join(', ')}</>}
            {p.loadedByChain.length > 0 && (
              <>
                {' '}
                · loaded by <Text value={p.loadedByChain.join(' ← ')} max={160} />
              </>
            )}
          </span>
        </summary>
        <div class="party-body">
          <p class="facts">
            Hosts: <Text value={p.hosts.join(', ')} max={400} />
            {p.trackerName && (
              <>
                <br />
                Known as <Text value={p.trackerName} /> (
                {p.rule ? (
                  <>
                    matched <Text value={p.rule} /> in{' '}
                  </>
                ) : (
                  ''
                )}
                <Text value={p.list ?? 'a tracker list'} />)
              </>
            )}
          </p>
          {open && <Findings db={db} site={site} domain={p.domain} />}
        </div>
      </details>
    </li>
  );
}

function Findings({ db, site, domain }: { db: LeakwatchDb; site: string; domain: string }) {
  const rows = useLiveQuery(() => partyFindings(db, site, domain), [db, site, domain]);
  return (
    <Loaded result={rows}>
      {(list) =>
        list.length === 0 ? (
          <p class="empty">No findings for this party: it was seen, not caught taking data.</p>
        ) : (
          <ol class="findings" data-testid="findings">
            {list.map((f, i) => (
              <FindingItem key={f.id ?? i} f={f} />
            ))}
          </ol>
        )
      }
    </Loaded>
  );
}

function FindingItem({ f }: { f: FindingRow }) {
  const ev = f.evidence;
  const facts: [string, string][] = [];
  if (f.requestUrl) facts.push(['Request', f.requestUrl]);
  if (ev.location) facts.push(['Where', ev.key ? `${ev.location}: ${ev.key}` : ev.location]);
  if (f.encoding) facts.push(['Encoding', f.encoding]);
  if (ev.preview) facts.push(['Value (masked)', ev.preview]);
  if (ev.cookieName) facts.push(['Cookie', ev.cookieName]);
  if (ev.scriptUrl) facts.push(['Script', ev.scriptUrl]);
  facts.push(['Rule', ev.rule]);
  return (
    <li class="finding" data-kind={f.kind}>
      <p>
        <span class={`chip kind-${f.kind}`}>{kindLabel(f.kind)}</span>{' '}
        <Text value={f.explanation} max={600} />
      </p>
      <dl class="evidence">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>
              <Text value={v} max={400} class="mono" />
            </dd>
          </div>
        ))}
        <div>
          <dt>When</dt>
          <dd>{formatTime(f.time)}</dd>
        </div>
      </dl>
    </li>
  );
}
