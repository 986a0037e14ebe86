// The popup on a site with an authorized list (issue 5): uninvited parties are marked
// "Not authorized" with who brought them in, and "Authorize" sends the command.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Popup } from '../../src/ui/popup/Popup.tsx';
import type { LeakwatchDb } from '../../src/storage/db.ts';
import { groupParties, loaderChain } from '../../src/ui/shared/parties.ts';
import {
  PAGE_URL,
  TAB_ID,
  click,
  freshDb,
  mount,
  nytPage,
  party,
  rows,
  show,
  unmount,
  waitFor,
} from './helpers.ts';

let container: HTMLElement;
let db: LeakwatchDb;

afterEach(() => {
  if (container) unmount(container);
  db?.close();
});

const PARTIES = [
  party('nytimes.com', { organization: 'NYT', firstParty: true, authorized: true, loadedBy: null }),
  party('tagvendor.test', { authorized: true, pixels: 1, loadedBy: 'page' }),
  party('krxd.net', {
    organization: 'Salesforce',
    category: 'advertising',
    authorized: false,
    pixels: 2,
    loadedBy: 'tagvendor.test',
  }),
  party('adnetwork.test', { authorized: false, pixels: 1, loadedBy: 'page' }),
  party('adexchange.test', { authorized: false, pixels: 1, loadedBy: 'adnetwork.test' }),
];

async function render(onAuthorize?: (site: string, party: string) => Promise<void>) {
  db = freshDb();
  await db.pages.add(nytPage);
  await db.parties.bulkAdd(PARTIES);
  container = mount();
  show(
    <Popup db={db} tab={{ tabId: TAB_ID, url: PAGE_URL }} onAuthorize={onAuthorize} />,
    container,
  );
  await waitFor(() => rows(container).length > 0);
}

const byDomain = (d: string) => rows(container).find((r) => r.dataset.domain === d)!;

describe('popup with an authorized list', () => {
  it('marks uninvited parties "Not authorized" with the chain that brought them in', async () => {
    await render(async () => undefined);
    const krux = byDomain('krxd.net');
    expect(krux.dataset.authorized).toBe('false');
    expect(krux.querySelector('.chip-unauthorized')!.textContent).toBe('Not authorized');
    expect(krux.querySelector('[data-testid="party-loader"]')!.textContent).toBe(
      'loaded by tagvendor.test (authorized)',
    );
    expect(byDomain('adnetwork.test').textContent).toContain('loaded directly by the page');
    expect(byDomain('adexchange.test').textContent).toContain(
      'loaded by adnetwork.test (not authorized), which was loaded by the page',
    );
    const vendor = byDomain('tagvendor.test');
    expect(vendor.dataset.authorized).toBe('true');
    expect(vendor.textContent).not.toContain('Not authorized');
    expect(vendor.querySelector('[data-testid="authorize"]')).toBeNull();
  });

  it('sends the organization to authorize from a keyboard-reachable button', async () => {
    const sent: [string, string][] = [];
    await render(async (site, p) => void sent.push([site, p]));
    const button = byDomain('krxd.net').querySelector<HTMLButtonElement>(
      '[data-testid="authorize"]',
    )!;
    expect(button.tagName).toBe('BUTTON');
    expect(button.getAttribute('aria-label')).toBe('Authorize Salesforce on this site');
    click(button);
    await waitFor(() => sent.length > 0);
    expect(sent).toEqual([['nytimes.com', 'Salesforce']]);
    // The background re-marks the rows; the popup follows the stored rows.
    await db.parties.update(`${nytPage.id}|krxd.net`, { authorized: true });
    await waitFor(() => byDomain('krxd.net').dataset.authorized === 'true');
    expect(byDomain('krxd.net').textContent).not.toContain('Not authorized');
  });

  it('shows no marking and no data-authorized without a list', async () => {
    db = freshDb();
    await db.pages.add(nytPage);
    await db.parties.bulkAdd([party('krxd.net', { organization: 'Salesforce', pixels: 1 })]);
    container = mount();
    show(<Popup db={db} tab={{ tabId: TAB_ID, url: PAGE_URL }} />, container);
    await waitFor(() => rows(container).length > 0);
    expect(byDomain('krxd.net').hasAttribute('data-authorized')).toBe(false);
    expect(container.textContent).not.toContain('Not authorized');
  });
});

describe('loader chain', () => {
  it('stops at a cycle and at an unknown loader', () => {
    const a = party('a.test', { loadedBy: 'b.test', authorized: false });
    const b = party('b.test', { loadedBy: 'a.test', authorized: false });
    const map = new Map([
      ['a.test', a],
      ['b.test', b],
    ]);
    expect(loaderChain(a, map)).toEqual(['b.test']);
    expect(loaderChain(party('c.test', { loadedBy: 'zz.test' }), map)).toEqual(['zz.test']);
    expect(loaderChain(party('d.test', { loadedBy: null }), map)).toEqual([]);
    const g = groupParties([party('d.test', { loadedBy: null, authorized: false })]);
    expect(g.other[0]!.loaderText).toBe('what loaded it is not known');
  });
});
