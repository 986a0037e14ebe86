// Tab, cookie-store and badge calls the background needs, behind plain functions so the
// background's logic stays testable with fakes.
import { browser } from './browser.ts';

export interface TabFacts {
  url: string | null;
  incognito: boolean;
}

/** url needs host permission for the tab's page (we have <all_urls>); null when hidden. */
export async function getTab(tabId: number): Promise<TabFacts | null> {
  try {
    const tab = await browser.tabs.get(tabId);
    return { url: tab.url ?? null, incognito: tab.incognito };
  } catch {
    return null; // closed, or not a tab (prerender, devtools)
  }
}

/** Ids of every open tab (no URLs: the "tabs" permission is not needed); null on failure. */
export async function openTabIds(): Promise<Set<number> | null> {
  try {
    const tabs = await browser.tabs.query({});
    return new Set(tabs.flatMap((t) => (t.id === undefined ? [] : [t.id])));
  } catch {
    return null;
  }
}

export async function getCookieStores() {
  const stores = await browser.cookies.getAllCookieStores();
  return stores.map((s) => ({
    id: s.id,
    tabIds: s.tabIds,
    // Firefox says which store is private; Chrome leaves it to the tabs.
    incognito: typeof s.incognito === 'boolean' ? s.incognito : null,
  }));
}

export async function setBadgeText(tabId: number, text: string): Promise<void> {
  await browser.action.setBadgeText({ tabId, text });
}

/** The default colour, or one tab's colour when `tabId` is given. */
export async function setBadgeColor(color: string, tabId?: number): Promise<void> {
  await browser.action.setBadgeBackgroundColor(tabId === undefined ? { color } : { color, tabId });
}

/** Sends a message to every frame's content scripts in a tab; false when none answered. */
export async function sendToTab(tabId: number, message: unknown): Promise<boolean> {
  try {
    await browser.tabs.sendMessage(tabId, message);
    return true;
  } catch {
    return false; // closed, no content script (a page we do not audit), or still loading
  }
}
