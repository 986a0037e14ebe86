// Cookies of a site, merged across visits: name, party, how it was set (response header or
// which script), lifetime, and whether the value looks like an identifier. Values are never
// stored, so none is shown.
import type { SiteCookie } from '../../logic/site-detail.ts';
import { Text } from '../../../shared/Text.tsx';
import { plural } from '../../../shared/format.ts';

const MAX_ROWS = 1_000;
const DAY = 86_400_000;

export function lifetime(expires: number | null, now = Date.now()): string {
  if (expires === null) return 'session';
  if (expires <= now) return 'expired';
  const days = Math.round((expires - now) / DAY);
  if (days < 1) return 'under a day';
  if (days < 365) return plural(days, 'day');
  const years = Math.round((days / 365) * 10) / 10;
  return years === 1 ? '1 year' : `${years} years`;
}

const SET_BY: Record<SiteCookie['setBy'][number], string> = {
  header: 'response header',
  script: 'script',
  api: 'cookies API',
};

export function CookiesPanel({ cookies }: { cookies: SiteCookie[] }) {
  if (cookies.length === 0) return <p class="empty">No cookies were recorded for this site.</p>;
  const shown = cookies.slice(0, MAX_ROWS);
  return (
    <>
      <h2>Cookies ({cookies.length})</h2>
      <div class="table-scroll" tabIndex={0} role="group" aria-label="Cookies table (scrollable)">
        <table data-testid="cookies-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Domain</th>
              <th scope="col">Party</th>
              <th scope="col">Set by</th>
              <th scope="col">Lifetime</th>
              <th scope="col">Identifier-like</th>
              <th scope="col">Visits</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={`${c.domain}|${c.path}|${c.name}`} data-cookie={c.name}>
                <td>
                  <Text value={c.name} max={80} class="mono" />
                </td>
                <td>
                  <Text value={c.domain} max={80} />
                </td>
                <td>
                  <Text value={c.party} max={80} />
                  {c.firstParty ? ' (first party)' : ''}
                </td>
                <td>
                  {c.setBy.map((s) => SET_BY[s]).join(', ')}
                  {c.scriptUrl && (
                    <>
                      <br />
                      <Text value={c.scriptUrl} max={120} class="mono" />
                    </>
                  )}
                </td>
                <td>{lifetime(c.expires)}</td>
                <td>{c.identifierLike ? <strong class="alert">yes</strong> : 'no'}</td>
                <td>{c.visits}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cookies.length > MAX_ROWS && (
        <p class="hint">The first {MAX_ROWS} are shown; the exports hold all.</p>
      )}
    </>
  );
}
