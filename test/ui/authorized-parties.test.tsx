// The report page's authorized-list panel (issue 5): reads the site's meta row, parses list
// files with the CLI's parser, and sends commands for every change.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthorizedParties,
  entriesOf,
  fetchAdsTxt,
} from '../../src/ui/report/views/AuthorizedParties.tsx';
import type { Send } from '../../src/messaging/client.ts';
import type { LeakwatchDb } from '../../src/storage/db.ts';
import { authorizedKey } from '../../src/storage/authorized.ts';
import { click, freshDb, mount, show, unmount, waitFor } from './helpers.ts';

let container: HTMLElement;
let db: LeakwatchDb;
afterEach(() => {
  if (container) unmount(container);
  db?.close();
});

describe('authorized list files', () => {
  it('reads JSON arrays, {parties}, and ads.txt-style text with the CLI parser', () => {
    expect(entriesOf('["tagvendor.test", "Google LLC"]')).toEqual(['tagvendor.test', 'google llc']);
    expect(entriesOf('{"parties": [{"domain": "a.test"}]}')).toEqual(['a.test']);
    expect(entriesOf('# ads.txt\ngoogle.com, pub-1, DIRECT\n\nhttps://x.test/path\n')).toEqual([
      'google.com',
      'x.test',
    ]);
    expect(() => entriesOf('{"nope": 1}')).toThrow(/parties/);
  });
});

describe('authorized parties panel', () => {
  it('lists the stored entries and sends remove and clear commands', async () => {
    db = freshDb();
    await db.meta.put({
      key: authorizedKey('news.test'),
      value: { parties: ['tagvendor.test', 'Salesforce'], updatedAt: 1 },
    });
    const sent: unknown[] = [];
    const send = (async (type: string, payload: unknown) => {
      sent.push([type, payload]);
      return null;
    }) as unknown as Send;
    container = mount();
    show(<AuthorizedParties db={db} send={send} site="news.test" />, container);
    await waitFor(() => container.querySelector('[data-testid="authorized-list"]'));
    const items = [...container.querySelectorAll('[data-testid="authorized-list"] li')];
    expect(items.map((li) => li.getAttribute('data-party'))).toEqual([
      'tagvendor.test',
      'Salesforce',
    ]);
    click(items[1]!.querySelector('button'));
    click(container.querySelector('[data-testid="authorized-clear"]'));
    await waitFor(() => sent.length === 2);
    expect(sent).toEqual([
      ['unauthorizeParty', { site: 'news.test', party: 'Salesforce' }],
      ['setAuthorized', { site: 'news.test', parties: null }],
    ]);
  });

  it('says when the site has no list, with export disabled', async () => {
    db = freshDb();
    container = mount();
    show(
      <AuthorizedParties db={db} send={(async () => null) as unknown as Send} site="x.test" />,
      container,
    );
    await waitFor(() => container.querySelector('[data-testid="authorized-none"]'));
    expect(
      container.querySelector<HTMLButtonElement>('[data-testid="authorized-export"]')!.disabled,
    ).toBe(true);
  });
});

describe('ads.txt prefill', () => {
  const adsTxt =
    '# ads.txt for news.test\ngoogle.com, pub-123, DIRECT, f08c47fec0942fa0\nrubiconproject.com, 1234, RESELLER\ncontact=ads@news.test\n';

  it("reads the ad systems from the site's ads.txt, without cookies", async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const fetcher = (async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return new Response(adsTxt, { status: 200 });
    }) as unknown as typeof fetch;
    expect(await fetchAdsTxt('news.test', fetcher)).toEqual(['google.com', 'rubiconproject.com']);
    expect(calls).toEqual([
      ['https://news.test/ads.txt', { credentials: 'omit', cache: 'no-store' }],
    ]);
  });

  it('says so when the site has no ads.txt', async () => {
    const fetcher = (async () => new Response('nope', { status: 404 })) as unknown as typeof fetch;
    await expect(fetchAdsTxt('news.test', fetcher)).rejects.toThrow(/answered 404/);
  });

  it('adds the ad systems to the existing list when the user asks', async () => {
    db = freshDb();
    await db.meta.put({
      key: authorizedKey('news.test'),
      value: { parties: ['tagvendor.test'], updatedAt: 1 },
    });
    const sent: unknown[] = [];
    const send = (async (type: string, payload: unknown) => {
      sent.push([type, payload]);
      return null;
    }) as unknown as Send;
    const real = globalThis.fetch;
    globalThis.fetch = (async () => new Response(adsTxt)) as unknown as typeof fetch;
    try {
      container = mount();
      show(<AuthorizedParties db={db} send={send} site="news.test" />, container);
      await waitFor(() => container.querySelector('[data-testid="authorized-list"]'));
      click(container.querySelector('[data-testid="authorized-adstxt"]'));
      await waitFor(() => sent.length === 1);
    } finally {
      globalThis.fetch = real;
    }
    expect(sent).toEqual([
      [
        'setAuthorized',
        { site: 'news.test', parties: ['tagvendor.test', 'google.com', 'rubiconproject.com'] },
      ],
    ]);
  });
});
