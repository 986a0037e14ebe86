// The popup on a site with a saved baseline (issue 5, item 4): a notice names the current
// visit's third parties the baseline does not have, as text.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Popup } from '../../src/ui/popup/Popup.tsx';
import type { LeakwatchDb } from '../../src/storage/db.ts';
import { baselineKey, type BaselineRecord } from '../../src/storage/site-baseline.ts';
import {
  PAGE_URL,
  TAB_ID,
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

const summary = (domain: string) => ({ domain, organization: domain, kinds: [], dataTypes: [] });

async function render(baseline: BaselineRecord | null) {
  db = freshDb();
  await db.pages.add(nytPage);
  await db.parties.bulkAdd([
    party('nytimes.com', { firstParty: true }),
    party('krxd.net', { organization: 'Salesforce', pixels: 1 }),
    party('<b>evil</b>.test', { pixels: 1 }),
    party('known.test', { pixels: 1 }),
  ]);
  if (baseline) await db.meta.put({ key: baselineKey('nytimes.com'), value: baseline });
  container = mount();
  show(<Popup db={db} tab={{ tabId: TAB_ID, url: PAGE_URL }} />, container);
  await waitFor(() => rows(container).length > 0);
}

const notice = () => container.querySelector<HTMLElement>('[data-testid="baseline-notice"]');

describe('popup baseline notice', () => {
  it('names the parties new since the baseline, as text, at the top', async () => {
    await render({ savedAt: 1, parties: [summary('known.test')] });
    await waitFor(() => notice() !== null);
    expect(notice()!.textContent).toBe('New since your baseline: <b>evil</b>.test, krxd.net');
    expect(notice()!.querySelector('b')).toBeNull();
    // Above the party sections.
    const first = container.querySelector('[data-testid="section-tracking"], section');
    expect(
      notice()!.compareDocumentPosition(first!) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('shows no notice without a baseline or when nothing is new', async () => {
    await render(null);
    expect(notice()).toBeNull();
    unmount(container);
    db.close();
    await render({
      savedAt: 1,
      parties: ['krxd.net', '<b>evil</b>.test', 'known.test'].map(summary),
    });
    expect(notice()).toBeNull();
  });

  it('appears live when a baseline is saved', async () => {
    await render(null);
    await db.meta.put({
      key: baselineKey('nytimes.com'),
      value: { savedAt: 1, parties: [summary('krxd.net'), summary('<b>evil</b>.test')] },
    });
    await waitFor(() => notice() !== null);
    expect(notice()!.textContent).toBe('New since your baseline: known.test');
  });
});
