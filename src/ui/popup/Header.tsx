// Site name, how many companies collect on it, and a plain-language summary.
import type { GroupedParties } from '../shared/parties.ts';
import { countLine, summaryLine } from '../shared/summary.ts';
import { Text } from '../shared/Text.tsx';

interface Props {
  /** Registrable domain or host of the page; null before a tab is known. */
  site: string | null;
  groups?: GroupedParties | undefined;
}

export function Header({ site, groups }: Props) {
  const collecting = groups?.tracking.length ?? 0;
  return (
    <header class="header">
      <p class="brand" aria-hidden="true">
        Leakwatch
      </p>
      {/* The report page, deep-linked to this site (a new tab; the popup closes). */}
      <a
        class="report-link"
        href={`../report/report.html#/${groups && site !== null ? `site/${encodeURIComponent(site)}` : 'sites'}`}
        target="_blank"
        rel="noopener"
        data-testid="report-link"
      >
        Full report
      </a>
      <h1 class="site" data-testid="site">
        {site === null ? 'Leakwatch' : <Text value={site} max={120} />}
      </h1>
      {groups && site !== null && (
        <>
          <p
            class={collecting > 0 ? 'count-line has-collectors' : 'count-line'}
            data-testid="count-line"
          >
            {countLine(site, collecting)}
          </p>
          <p class="summary" data-testid="summary">
            {summaryLine(groups)}
          </p>
        </>
      )}
    </header>
  );
}
