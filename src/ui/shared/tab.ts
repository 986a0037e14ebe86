// Which tab the popup describes. Kept free of the polyfill (it takes a minimal `tabs` API)
// so it runs in tests; main.tsx passes the real `browser.tabs`.

export interface TargetTab {
  /** null when no tab could be found (no active tab, or a closed ?tabId). */
  tabId: number | null;
  /**
   * The tab's URL, or null when the browser withheld it. Without the "tabs" permission,
   * Chrome only reveals URLs that match our host permissions, so a missing URL on an
   * existing tab usually means a browser page (chrome://newtab).
   */
  url: string | null;
}

interface TabLike {
  id?: number;
  url?: string;
  pendingUrl?: string;
}

export interface TabsApi {
  query(q: { active: boolean; currentWindow: boolean }): Promise<TabLike[]>;
  get(tabId: number): Promise<TabLike>;
}

const tabUrl = (t: TabLike): string | null => t.url || t.pendingUrl || null;

/**
 * `?tabId=N` (the popup opened as a page, as the e2e tests and a "pop out" link do) wins over
 * the active tab, which would then be the popup page itself.
 */
export async function resolveTargetTab(search: string, tabs: TabsApi): Promise<TargetTab> {
  const param = new URLSearchParams(search).get('tabId');
  if (param !== null && /^\d+$/.test(param)) {
    const tabId = Number(param);
    try {
      return { tabId, url: tabUrl(await tabs.get(tabId)) };
    } catch {
      // The tab may be gone; its recorded visits are still worth showing.
      return { tabId, url: null };
    }
  }
  const [active] = await tabs.query({ active: true, currentWindow: true });
  if (!active || active.id === undefined) return { tabId: null, url: null };
  return { tabId: active.id, url: tabUrl(active) };
}

// Stores where browsers keep extensions from seeing requests.
const RESTRICTED_HOSTS: [host: string, path: string][] = [
  ['chromewebstore.google.com', '/'],
  ['chrome.google.com', '/webstore'],
  ['microsoftedge.microsoft.com', '/addons'],
  ['addons.mozilla.org', '/'],
];

/** Pages no extension may observe, so there is nothing to show rather than nothing found. */
export function isRestrictedUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return true;
  }
  // chrome:, about:, chrome-extension:, moz-extension:, file:, view-source:, data: ...
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return true;
  return RESTRICTED_HOSTS.some(
    ([host, path]) => parsed.hostname === host && parsed.pathname.startsWith(path),
  );
}

/** The host to name in the header before a visit is found. */
export function hostOfUrl(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}
