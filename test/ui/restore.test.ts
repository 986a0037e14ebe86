// Chunked backup restore, page and background together: the page's sender (logic/restore.ts)
// talks to the real background handlers through the real message server (valibot schemas,
// sender check), with a lowered chunk size so a small backup takes many messages, as a
// backup over one message's cap does in the browser. Whatever fails or is aborted, the data
// stored before must be untouched.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReportHandlers } from '../../src/background/report-handlers.ts';
import { createRestoreUploads } from '../../src/background/restore-uploads.ts';
import { createClient, type Send } from '../../src/messaging/client.ts';
import { RESTORE_CHUNK_CHARS } from '../../src/messaging/report-protocol.ts';
import { handleMessage } from '../../src/messaging/server.ts';
import { createBackup } from '../../src/storage/backup.ts';
import type { LeakwatchDb } from '../../src/storage/db.ts';
import { createWriter } from '../../src/storage/writer.ts';
import { previewBackup, rowsText, sendRestore } from '../../src/ui/report/logic/restore.ts';
import { freshDb, nytPage, party, seedNyt } from './helpers.ts';

// client.ts binds `send` to the real runtime at import; this test uses createClient only.
vi.mock('../../src/platform/browser.ts', () => ({ browser: { runtime: {} } }));

const ORIGIN = 'chrome-extension://abc/';
let db: LeakwatchDb;
let send: Send;
let sent: string[];

beforeEach(() => {
  db = freshDb();
  sent = [];
  const writer = createWriter(db);
  const report = createReportHandlers({
    ready: Promise.resolve(),
    db,
    writer,
    drain: async () => undefined,
    applySettings: () => undefined,
    info: { generatorVersion: '1', trackerData: { source: 's', version: 'v' } },
    uploads: createRestoreUploads(),
  });
  // Only the report messages are exercised; the rest of the background is not built.
  const handlers = new Proxy(report, {
    get: (target, name) =>
      (target as Record<string | symbol, unknown>)[name] ??
      (() => Promise.reject(new Error('not in this test'))),
  }) as unknown as Parameters<typeof handleMessage>[2]['handlers'];
  send = createClient(async (m) => {
    sent.push((m as { type: string }).type);
    return handleMessage(
      m,
      { id: 'abc', url: `${ORIGIN}src/ui/report/report.html` },
      {
        handlers,
        extensionId: 'abc',
        extensionOrigin: ORIGIN,
      },
    );
  });
});
afterEach(async () => {
  db.close();
  await db.delete();
});

/** A backup of a different store: 30 visits of other.test, one party each. */
async function otherBackup(): Promise<string> {
  const other = freshDb();
  const pages = Array.from({ length: 30 }, (_, i) => ({
    ...nytPage,
    id: `other-${i}`,
    site: 'other.test',
    url: `https://other.test/${i}?q=“ünïcödé” 😀`,
    visitedAt: nytPage.visitedAt + i,
  }));
  await other.pages.bulkAdd(pages);
  await other.parties.bulkAdd(
    pages.map((p) => party('vendor.test', { pageId: p.id, site: 'other.test' })),
  );
  const text = JSON.stringify(await createBackup(other));
  other.close();
  await other.delete();
  return text;
}

const sites = async () => [...new Set((await db.pages.toArray()).map((p) => p.site))].sort();

describe('chunked restore', () => {
  it('restores a backup sent in many chunks, emoji split or not', async () => {
    await seedNyt(db);
    const text = await otherBackup();
    const progress: number[] = [];
    // 7 characters: chunk ends fall inside the emoji's surrogate pair more than once.
    const r = await sendRestore(send, text, { chunkChars: 7, onProgress: (s) => progress.push(s) });
    expect(r.rows).toBe(60);
    expect(sent.filter((t) => t === 'restoreChunk').length).toBeGreaterThan(text.length / 8);
    expect(progress.at(-1)).toBe(text.length);
    expect(await sites()).toEqual(['other.test']);
    expect((await db.pages.get('other-3'))?.url).toBe('https://other.test/3?q=“ünïcödé” 😀');
  });

  it('leaves the stored data untouched when the backup is invalid', async () => {
    await seedNyt(db);
    const before = await db.parties.count();
    const text = (await otherBackup()).replace('"vendor.test"', '42');
    await expect(sendRestore(send, text, { chunkChars: 500 })).rejects.toThrow(/invalid backup/);
    expect(await sites()).toEqual(['nytimes.com']);
    expect(await db.parties.count()).toBe(before);
    expect(sent.at(-1)).toBe('restoreAbort');
  });

  it('writes nothing when the upload is aborted, incomplete, out of order or too long', async () => {
    await seedNyt(db);
    const text = await otherBackup();
    const { restoreId } = await send('restoreBegin', { chars: text.length });
    await send('restoreChunk', { restoreId, index: 0, text: text.slice(0, 100) });
    // Committing before every chunk arrived is refused, and ends the upload.
    await expect(send('restoreCommit', { restoreId })).rejects.toThrow(/incomplete/);
    await expect(
      send('restoreChunk', { restoreId, index: 1, text: text.slice(100) }),
    ).rejects.toThrow(/cancelled or expired/);

    const b = await send('restoreBegin', { chars: text.length });
    await expect(
      send('restoreChunk', { restoreId: b.restoreId, index: 1, text: text.slice(0, 10) }),
    ).rejects.toThrow(/out of order/);

    const c = await send('restoreBegin', { chars: 10 });
    await expect(
      send('restoreChunk', { restoreId: c.restoreId, index: 0, text: text.slice(0, 11) }),
    ).rejects.toThrow(/longer than announced/);

    const d = await send('restoreBegin', { chars: text.length });
    await send('restoreChunk', { restoreId: d.restoreId, index: 0, text });
    await send('restoreAbort', { restoreId: d.restoreId });
    await expect(send('restoreCommit', { restoreId: d.restoreId })).rejects.toThrow(/cancelled/);
    expect(await sites()).toEqual(['nytimes.com']);
  });

  it('refuses chunks over the message limit and unknown ids at the schema', async () => {
    await expect(send('restoreBegin', { chars: 0 })).rejects.toThrow(/bad request/);
    await expect(send('restoreChunk', { restoreId: 'x', index: 0, text: 'a' })).rejects.toThrow(
      /bad request/,
    );
    const { restoreId } = await send('restoreBegin', { chars: RESTORE_CHUNK_CHARS + 1 });
    await expect(
      send('restoreChunk', { restoreId, index: 0, text: 'a'.repeat(RESTORE_CHUNK_CHARS + 1) }),
    ).rejects.toThrow(/bad request/);
  });

  it('drops an upload left idle', async () => {
    const uploads = createRestoreUploads({ idleMs: 5 });
    const id = uploads.begin(3);
    uploads.chunk(id, 0, 'ab');
    await new Promise((r) => setTimeout(r, 30));
    expect(() => uploads.chunk(id, 1, 'c')).toThrow(/expired/);
  });
});

describe('restore preview', () => {
  it('counts what the file holds, for the confirmation', async () => {
    const p = previewBackup(await otherBackup());
    expect(p.rows).toMatchObject({ pages: 30, parties: 30, requests: 0 });
    expect(rowsText(p.rows)).toBe(
      '30 visits, 0 requests, 0 cookie records, 30 party records, 0 findings, 0 settings and lists',
    );
  });

  it('says in words why a file is not a backup', () => {
    expect(() => previewBackup('{')).toThrow(/not valid JSON/);
    expect(() => previewBackup('{"format":"x"}')).toThrow(/not a Leakwatch backup/);
  });
});
