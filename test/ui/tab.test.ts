import { describe, expect, it } from 'vitest';
import {
  hostOfUrl,
  isRestrictedUrl,
  resolveTargetTab,
  type TabsApi,
} from '../../src/ui/shared/tab.ts';

describe('isRestrictedUrl', () => {
  it.each([
    ['chrome://extensions/', true],
    ['chrome://newtab/', true],
    ['about:blank', true],
    ['about:addons', true],
    ['chrome-extension://abc/src/ui/popup/popup.html', true],
    ['moz-extension://1234-5678/popup.html', true],
    ['file:///tmp/a.html', true],
    ['view-source:https://example.com/', true],
    ['edge://settings', true],
    ['data:text/html,hi', true],
    ['https://chromewebstore.google.com/detail/x/abc', true],
    ['https://chrome.google.com/webstore/detail/abc', true],
    ['https://addons.mozilla.org/en-US/firefox/', true],
    ['not a url', true],
    ['https://www.nytimes.com/', false],
    ['http://localhost:8080/page', false],
    ['https://chrome.google.com/search', false],
    ['https://google.com/webstore', false],
  ])('%s -> %s', (url, restricted) => {
    expect(isRestrictedUrl(url)).toBe(restricted);
  });
});

describe('hostOfUrl', () => {
  it.each([
    ['https://www.nytimes.com/a?b#c', 'www.nytimes.com'],
    ['about:blank', null],
    ['nonsense', null],
    [null, null],
  ])('%s -> %s', (url, host) => {
    expect(hostOfUrl(url)).toBe(host);
  });
});

function fakeTabs(tabs: { id?: number; url?: string; pendingUrl?: string }[]): TabsApi {
  return {
    query: async () => tabs.slice(0, 1),
    get: async (id) => {
      const tab = tabs.find((t) => t.id === id);
      if (!tab) throw new Error(`No tab with id: ${id}.`);
      return tab;
    },
  };
}

describe('resolveTargetTab', () => {
  const tabs = fakeTabs([
    { id: 1, url: 'https://active.example/' },
    { id: 42, url: 'https://other.example/page' },
    { id: 5, pendingUrl: 'https://loading.example/' },
  ]);

  it.each([
    ['active tab', '', { tabId: 1, url: 'https://active.example/' }],
    [
      '?tabId wins over the active tab',
      '?tabId=42',
      { tabId: 42, url: 'https://other.example/page' },
    ],
    ['pending URL while loading', '?tabId=5', { tabId: 5, url: 'https://loading.example/' }],
    ['closed tab keeps the id', '?tabId=9', { tabId: 9, url: null }],
    [
      'malformed tabId falls back to the active tab',
      '?tabId=1x',
      { tabId: 1, url: 'https://active.example/' },
    ],
  ])('%s', async (_name, search, expected) => {
    expect(await resolveTargetTab(search, tabs)).toEqual(expected);
  });

  it('no active tab', async () => {
    expect(await resolveTargetTab('', fakeTabs([]))).toEqual({ tabId: null, url: null });
  });

  it('URL withheld by the browser', async () => {
    expect(await resolveTargetTab('', fakeTabs([{ id: 3 }]))).toEqual({ tabId: 3, url: null });
  });
});
