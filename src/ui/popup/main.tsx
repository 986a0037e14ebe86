// Popup entry: the only popup module that touches the browser API (through the platform
// adapter). Everything below <Popup> gets plain data and callbacks, so it renders in tests.
import './popup.css';
import { render } from 'preact';
import { browser } from '../../platform/browser.ts';
import { openDb } from '../../storage/db.ts';
import { send } from '../../messaging/client.ts';
import { resolveTargetTab, type TargetTab } from '../shared/tab.ts';
import { Popup } from './Popup.tsx';

performance.mark('lw:popup-start');
const root = document.getElementById('app')!;
const db = openDb();
// Open the database now, while the tab is looked up, instead of on the first query.
void db.open().catch(() => undefined);
// While a page loads, the background holds its work until the load event
// (src/background/load-gate.ts); someone looking wants it now. Not awaited: the live
// queries below show the rows as they land.
void send('flush').catch(() => undefined);

/** The popup's one command: add a party to the site's authorized list (the background re-marks). */
const authorize = async (site: string, party: string): Promise<void> => {
  await send('authorizeParty', { site, party });
};

function show(tab: TargetTab | undefined): void {
  const { tabId } = tab ?? {};
  const onReload =
    tabId === undefined || tabId === null ? undefined : () => void browser.tabs.reload(tabId);
  render(<Popup db={db} tab={tab} onReload={onReload} onAuthorize={authorize} />, root);
}

// Paint "loading" at once; the tab lookup is a round trip to the browser.
show(undefined);
resolveTargetTab(location.search, browser.tabs).then(
  (tab) => {
    performance.mark('lw:popup-tab');
    show(tab);
    // When the popup is open as a page (?tabId=N) the tab can navigate under it: follow it,
    // and the visit query follows the new URL.
    browser.tabs.onUpdated.addListener((tabId, change) => {
      if (tabId === tab.tabId && change.url !== undefined) show({ tabId, url: change.url });
    });
  },
  () => show({ tabId: null, url: null }),
);
