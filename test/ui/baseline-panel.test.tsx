// The report page's Baseline panel (issue 5, item 4): reads the site's baseline and the
// visits since, lists what is new, gone and newly taken (as text), and sends save/clear.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { BaselinePanel } from '../../src/ui/report/views/BaselinePanel.tsx';
import type { Send } from '../../src/messaging/client.ts';
import type { LeakwatchDb } from '../../src/storage/db.ts';
import { baselineKey } from '../../src/storage/site-baseline.ts';
import { click, freshDb, mount, nytPage, party, show, unmount, waitFor } from './helpers.ts';

let container: HTMLElement;
let db: LeakwatchDb;
afterEach(() => {
  if (container) unmount(container);
  db?.close();
});

const q = (id: string) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const summary = (domain: string, kinds: string[] = []) => ({
  domain,
  organization: domain,
  kinds,
  dataTypes: [],
});

describe('baseline panel', () => {
  it('shows new, gone and now-also-takes lists, and sends save and clear', async () => {
    db = freshDb();
    await db.pages.add(nytPage);
    await db.parties.bulkAdd([
      party('<i>new</i>.test'),
      party('kept.test', { kinds: ['pixel', 'fingerprinting'], dataTypes: ['email'] }),
    ]);
    const sent: unknown[] = [];
    const send = (async (type: string, payload: unknown) => {
      sent.push([type, payload]);
      return null;
    }) as unknown as Send;
    container = mount();
    show(<BaselinePanel db={db} send={send} site="nytimes.com" />, container);
    await waitFor(() => q('baseline-none'));
    click(q('baseline-save'));
    await waitFor(() => sent.length === 1);
    expect(sent[0]).toEqual(['saveBaseline', { site: 'nytimes.com' }]);

    await db.meta.put({
      key: baselineKey('nytimes.com'),
      value: {
        savedAt: nytPage.visitedAt - 1,
        parties: [summary('kept.test', ['pixel']), summary('gone.test')],
      },
    });
    await waitFor(() => q('baseline-new'));
    expect(q('baseline-new')!.textContent).toBe('<i>new</i>.test');
    expect(q('baseline-new')!.querySelector('i')).toBeNull();
    expect(q('baseline-gone')!.textContent).toBe('gone.test');
    expect(q('baseline-new-kinds')!.textContent).toContain('kept.test: ');
    expect(q('baseline-new-kinds')!.textContent).not.toContain('pixel');
    expect(container.textContent).toContain('New since');
    click(q('baseline-clear'));
    await waitFor(() => sent.length === 2);
    expect(sent[1]).toEqual(['clearBaseline', { site: 'nytimes.com' }]);
  });
});
