// The popup: resolves the tab's current visit and lists who collects data on it.
// Everything is read from IndexedDB with liveQuery (no messages to the background), so
// the list grows while the page is still loading.
import { useMemo } from 'preact/hooks';
import type { LeakwatchDb, PageRow, PartyRow } from '../../storage/db.ts';
import type { PartySummary } from '../../report/baseline.ts';
import { readFirstScreen, type FirstScreen } from '../../storage/first-screen.ts';
import { Text } from '../shared/Text.tsx';
import { groupParties } from '../shared/parties.ts';
import { hostOfUrl, isRestrictedUrl, type TargetTab } from '../shared/tab.ts';
import { useLiveQuery } from '../shared/use-live-query.ts';
import { Header } from './Header.tsx';
import { PartySection } from './PartySection.tsx';
import { StateMessage, type StateKind } from './StateMessage.tsx';

export interface PopupProps {
  /** null until Dexie has loaded (the first screen is shown before). */
  db: LeakwatchDb | null;
  /** undefined while the tab is being looked up. */
  tab: TargetTab | undefined;
  /**
   * The tab's first screen, read before Dexie loaded (src/storage/first-screen-direct.ts):
   * shown until the live query answers. undefined: not read, wait for the live query.
   */
  first?: FirstScreen | null | undefined;
  /** Reloads the target tab; absent in tests and when no tab is known. */
  onReload?: (() => void) | undefined;
  /** Adds a party to a site's authorized list (a message); absent in read-only tests. */
  onAuthorize?: ((site: string, party: string) => Promise<void>) | undefined;
}

export function Popup({ db, tab, first, onReload, onAuthorize }: PopupProps) {
  if (tab === undefined) return <Frame site={null} state="loading" />;
  const host = hostOfUrl(tab.url);
  if (tab.url !== null && isRestrictedUrl(tab.url)) return <Frame site={null} state="restricted" />;
  if (tab.tabId === null) return <Frame site={host} state="no-tab" />;
  return (
    <Visit
      db={db}
      first={first}
      tabId={tab.tabId}
      url={tab.url}
      host={host}
      onReload={onReload}
      onAuthorize={onAuthorize}
    />
  );
}

function Frame({
  site,
  state,
  detail,
}: {
  site: string | null;
  state: StateKind;
  detail?: string;
}) {
  return (
    <main class="popup">
      <Header site={site} />
      <StateMessage kind={state} {...(detail ? { detail } : {})} />
    </main>
  );
}

interface VisitProps {
  /** null until Dexie has loaded (the first screen is shown before). */
  db: LeakwatchDb | null;
  first: FirstScreen | null | undefined;
  tabId: number;
  url: string | null;
  host: string | null;
  onReload?: (() => void) | undefined;
  onAuthorize?: PopupProps['onAuthorize'];
}

function Visit({ db, first, tabId, url, host, onReload, onAuthorize }: VisitProps) {
  // One query, not a chain (visit, then its parties): each link would cost a render and a
  // new IndexedDB transaction before the first party row could show. `first` is shown until
  // it answers; the database handle coming is not a change of what is asked.
  const screen = useLiveQuery(db ? () => readFirstScreen(db, tabId, url) : null, [tabId, url], {
    initial: first,
  });
  if (screen.status === 'loading') return <Frame site={host} state="loading" />;
  if (screen.status === 'error')
    return <Frame site={host} state="error" detail={String(screen.error)} />;
  if (screen.value === null) {
    // We hold host permissions for every web page, so a tab whose URL the browser withholds
    // and that has no recorded visit is a browser page such as the new-tab page.
    if (url === null) return <Frame site={null} state="restricted" />;
    return (
      <main class="popup">
        <Header site={host} />
        <StateMessage kind="no-visit" onReload={onReload} />
      </main>
    );
  }
  return (
    <Page
      db={db}
      page={screen.value.visit}
      parties={screen.value.parties}
      newParties={screen.value.newParties}
      onReload={onReload}
      onAuthorize={onAuthorize}
    />
  );
}

function Page({
  db,
  page,
  parties,
  newParties,
  onReload,
  onAuthorize,
}: {
  /** null until Dexie has loaded (the first screen is shown before). */
  db: LeakwatchDb | null;
  page: PageRow;
  parties: PartyRow[];
  newParties: PartySummary[];
  onReload?: (() => void) | undefined;
  onAuthorize?: PopupProps['onAuthorize'];
}) {
  const authorize = useMemo(
    () => (onAuthorize ? (party: string) => onAuthorize(page.site, party) : undefined),
    [onAuthorize, page.site],
  );
  const groups = useMemo(() => groupParties(parties), [parties]);
  const noThirdParties = groups.tracking.length === 0 && groups.other.length === 0;
  // For the bench's breakdown of the first render (bench/browser.ts, popup row).
  if (performance.getEntriesByName('lw:popup-data').length === 0) performance.mark('lw:popup-data');
  return (
    <main class="popup" data-page-id={page.id}>
      <Header site={page.site} groups={groups} />
      {newParties.length > 0 && (
        <p class="baseline-notice" role="status" data-testid="baseline-notice">
          New since your baseline:{' '}
          {newParties.map((p, i) => (
            <span key={p.domain} data-domain={p.domain}>
              {i > 0 && ', '}
              <Text value={p.domain} />
            </span>
          ))}
        </p>
      )}
      {noThirdParties && <StateMessage kind="empty" onReload={onReload} />}
      <PartySection
        title="Collecting data"
        hint="Known trackers and companies seen taking data, most data taken first."
        groups={groups.tracking}
        db={db}
        pageId={page.id}
        testId="section-tracking"
        collapsible={false}
        onAuthorize={authorize}
      />
      <PartySection
        title="Other third parties"
        hint="Services that loaded content (fonts, scripts, images) with no tracking seen."
        groups={groups.other}
        db={db}
        pageId={page.id}
        testId="section-other"
        collapsible
        onAuthorize={authorize}
      />
      <PartySection
        title="This site"
        hint="The site itself and domains owned by the same company."
        groups={groups.firstParty}
        db={db}
        pageId={page.id}
        testId="section-first-party"
        collapsible
      />
    </main>
  );
}
