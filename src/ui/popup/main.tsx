// Popup entry: the only popup module that touches the browser API (through the platform
// adapter). Everything below <Popup> gets plain data and callbacks, so it renders in tests.
//
// Dexie is not loaded until the first screen is up: the tab's visit is read with IndexedDB
// itself (src/storage/first-screen-direct.ts), then Dexie and the live queries follow and
// take over, so Dexie's 98 KB and its evaluation are not on the way to the first rows.
import './popup.css';
import { render } from 'preact';
import { browser } from '../../platform/browser.ts';
import type { LeakwatchDb } from '../../storage/db.ts';
import type { FirstScreen } from '../../storage/first-screen.ts';
import { openDirect, readFirstScreenDirect } from '../../storage/first-screen-direct.ts';
import { send } from '../../messaging/client.ts';
import { resolveTargetTab, type TargetTab } from '../shared/tab.ts';
import { Popup } from './Popup.tsx';

performance.mark('lw:popup-start');
const root = document.getElementById('app')!;
// Opened now, while the tab is looked up.
const direct = openDirect();

let db: LeakwatchDb | null = null;
let tab: TargetTab | undefined;
let first: FirstScreen | null | undefined;

/** The popup's one command: add a party to the site's authorized list (the background re-marks). */
const authorize = async (site: string, party: string): Promise<void> => {
  await send('authorizeParty', { site, party });
};

function show(): void {
  const { tabId } = tab ?? {};
  const onReload =
    tabId === undefined || tabId === null ? undefined : () => void browser.tabs.reload(tabId);
  render(
    <Popup db={db} tab={tab} first={first} onReload={onReload} onAuthorize={authorize} />,
    root,
  );
}

let dexieAsked = false;
/**
 * After the first screen: Dexie and the live queries, and the background's held work.
 * While a page loads, the background holds its work until the load event
 * (src/background/load-gate.ts); someone looking wants it now, and the live queries show the
 * rows as they land. Against the previous popup (median of paired differences, 31
 * alternating openings each, 2026-12-06): -3 ms with this message sent before the first
 * screen, -17 ms with it sent after (and -19 ms with no message at all).
 */
function afterFirstScreen(): void {
  if (dexieAsked) return;
  dexieAsked = true;
  void send('flush').catch(() => undefined);
  import('../../storage/db.ts').then(
    ({ openDb }) => {
      db = openDb();
      show();
    },
    // Only a broken build gets here: the first screen stays, without live updates.
    (error: unknown) => console.error('Leakwatch: the database module did not load', error),
  );
}

// Paint "loading" at once; the tab lookup is a round trip to the browser.
show();
resolveTargetTab(location.search, browser.tabs).then(
  async (target) => {
    performance.mark('lw:popup-tab');
    const conn = await direct;
    first =
      target.tabId === null
        ? undefined
        : await readFirstScreenDirect(conn, target.tabId, target.url);
    conn?.close();
    tab = target;
    show();
    afterFirstScreen();
    // When the popup is open as a page (?tabId=N) the tab can navigate under it: follow it,
    // and the visit query follows the new URL.
    browser.tabs.onUpdated.addListener((tabId, change) => {
      if (tabId !== target.tabId || change.url === undefined) return;
      tab = { tabId, url: change.url };
      first = undefined;
      show();
    });
  },
  () => {
    void direct.then((conn) => conn?.close());
    tab = { tabId: null, url: null };
    show();
    afterFirstScreen();
  },
);
