// A site's baseline (issue 5, item 4): save the site's third parties of the last 30 days,
// then see what changed in the visits made since: new parties, parties gone, and parties
// that now take more kinds of data. Saving and clearing are messages; this reads the stored
// row with liveQuery. Page data is shown as text only.
import { isFindingKind } from '../../../report/baseline.ts';
import type { PartySummary } from '../../../report/baseline.ts';
import type { DataType } from '../../../core/model.ts';
import { siteBaselineDiff } from '../../../storage/site-baseline.ts';
import { dataTypeLabel, kindLabel, plural } from '../../shared/format.ts';
import { Text } from '../../shared/Text.tsx';
import { useLiveQuery } from '../../shared/use-live-query.ts';
import type { ViewProps } from '../types.ts';
import { formatTime } from './common.tsx';
import { useCommandStatus } from '../../shared/use-command-status.ts';

/** "tracking pixel, email address": kinds then data types, in words. */
export function takesText(kinds: readonly string[], dataTypes: readonly string[]): string {
  return [
    ...kinds.map((k) => (isFindingKind(k) ? kindLabel(k) : k)),
    ...dataTypes.map((t) => dataTypeLabel(t as DataType)),
  ].join(', ');
}

function PartyList({ parties, testId }: { parties: readonly PartySummary[]; testId: string }) {
  return (
    <ul data-testid={testId}>
      {parties.map((p) => (
        <li key={p.domain} data-domain={p.domain}>
          <Text value={p.domain} />
          {p.organization !== p.domain && (
            <>
              {' '}
              (<Text value={p.organization} />)
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

export function BaselinePanel({
  db,
  send,
  site,
}: Pick<ViewProps, 'db' | 'send'> & { site: string }) {
  const data = useLiveQuery(() => siteBaselineDiff(db, site), [db, site]);
  const { status, run } = useCommandStatus();
  const current = data.status === 'ready' ? data.value : null;

  return (
    <section class="baseline" aria-labelledby="baseline-title" data-testid="baseline">
      <h2 id="baseline-title">Baseline</h2>
      <p>
        Save the third parties seen on this site in the last 30 days as a baseline; later visits are
        compared with it, here and in the popup.
      </p>
      {current === null ? (
        <p data-testid="baseline-none">No baseline for this site.</p>
      ) : (
        <>
          <p data-testid="baseline-saved">
            Baseline saved {formatTime(current.baseline.savedAt)} with{' '}
            {plural(current.baseline.parties.length, 'third party', 'third parties')};{' '}
            {plural(current.visitsSince, 'visit')} since.
          </p>
          {current.visitsSince > 0 && (
            <>
              <h3>New since {formatTime(current.baseline.savedAt)}</h3>
              {current.diff.newParties.length === 0 ? (
                <p>None.</p>
              ) : (
                <PartyList parties={current.diff.newParties} testId="baseline-new" />
              )}
              <h3>Gone</h3>
              {current.diff.goneParties.length === 0 ? (
                <p>None.</p>
              ) : (
                <PartyList parties={current.diff.goneParties} testId="baseline-gone" />
              )}
              <h3>Now also takes</h3>
              {current.diff.newKinds.length === 0 ? (
                <p>None.</p>
              ) : (
                <ul data-testid="baseline-new-kinds">
                  {current.diff.newKinds.map((p) => (
                    <li key={p.domain} data-domain={p.domain}>
                      <Text value={p.domain} />: <Text value={takesText(p.kinds, p.dataTypes)} />
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </>
      )}
      <button
        type="button"
        data-testid="baseline-save"
        onClick={() => void run('Saving the baseline', () => send('saveBaseline', { site }))}
      >
        {current === null ? 'Save as baseline' : 'Replace the baseline'}
      </button>{' '}
      <button
        type="button"
        data-testid="baseline-clear"
        disabled={current === null}
        onClick={() => void run('Clearing the baseline', () => send('clearBaseline', { site }))}
      >
        Clear the baseline
      </button>
      <p class="status" role="status" data-testid="baseline-status">
        {status}
      </p>
    </section>
  );
}
