// Private windows are not recorded unless the user opted in (meta `recordPrivate`).
// Firefox puts `incognito` on every webRequest/webNavigation event; Chrome does not, so the
// tab is looked up once and cached. Cookie events carry only a store id: a store is private
// when the browser says so (Firefox `incognito`) or when its tabs are incognito (Chrome).
//
// MV3 lifetime: the caches only save lookups; a restarted worker asks again.
import { BoundedMap } from './bounded-map.ts';

export interface CookieStoreInfo {
  id: string;
  tabIds: number[];
  incognito: boolean | null;
}

export interface PrivacyDeps {
  /** Current opt-in; read on every check so a change applies at once. */
  recordPrivate(): boolean;
  /** Recording paused by the user (meta `paused`): every event is dropped while true. */
  paused?(): boolean;
  isIncognitoTab(tabId: number): Promise<boolean | null>;
  cookieStores(): Promise<CookieStoreInfo[]>;
}

export function createPrivacyFilter(deps: PrivacyDeps) {
  const tabs = new BoundedMap<number, boolean>(1_000);
  const stores = new BoundedMap<string, boolean>(100);

  async function tabIsPrivate(tabId: number): Promise<boolean> {
    const known = tabs.get(tabId);
    if (known !== undefined) return known;
    const incognito = (await deps.isIncognitoTab(tabId).catch(() => null)) ?? false;
    tabs.set(tabId, incognito);
    return incognito;
  }

  async function storeIsPrivate(storeId: string): Promise<boolean> {
    const known = stores.get(storeId);
    if (known !== undefined) return known;
    const all = await deps.cookieStores().catch(() => [] as CookieStoreInfo[]);
    for (const s of all) {
      let priv = s.incognito === true;
      for (const t of s.tabIds) if (!priv && (await tabIsPrivate(t))) priv = true;
      stores.set(s.id, priv);
    }
    return stores.get(storeId) ?? false;
  }

  return {
    /** `incognito` from the event when the browser gives it, else the tab's. */
    async allowTabEvent(tabId: number, incognito: boolean | null): Promise<boolean> {
      if (deps.paused?.()) return false;
      if (deps.recordPrivate()) return true;
      if (incognito !== null) {
        if (tabId >= 0) tabs.set(tabId, incognito);
        return !incognito;
      }
      return tabId < 0 ? true : !(await tabIsPrivate(tabId));
    },

    async allowCookieStore(storeId: string | null): Promise<boolean> {
      if (deps.paused?.()) return false;
      if (deps.recordPrivate() || storeId === null) return true;
      return !(await storeIsPrivate(storeId));
    },

    forgetTab(tabId: number): void {
      tabs.delete(tabId);
      // A store's tab set changes with its tabs: look the stores up again next time.
      stores.clear();
    },
  };
}

export type PrivacyFilter = ReturnType<typeof createPrivacyFilter>;
