// Wires the real background modules (analyzer, tracker, pipeline, writer on fake-indexeddb,
// badge) to the fake browser, the way src/background/index.ts wires them to the real one.
import { afterEach } from 'vitest';
import { createAnalyzer } from '../../../src/core/analyzer.ts';
import { COOKIE_DETECTORS } from '../../../src/core/detectors/index.ts';
import { registrableDomain } from '../../../src/core/party.ts';
import { startCapture } from '../../../src/platform/capture.ts';
import { isIgnoredPageUrl } from '../../../src/platform/urls.ts';
import { openDb, type LeakwatchDb } from '../../../src/storage/db.ts';
import { createWriter } from '../../../src/storage/writer.ts';
import { findVisit } from '../../../src/storage/queries.ts';
import { pageRow } from '../../../src/storage/rows.ts';
import { countTrackingParties } from '../../../src/storage/visits.ts';
import { createPageTracker } from '../../../src/background/page-tracker.ts';
import { createPrivacyFilter, type CookieStoreInfo } from '../../../src/background/privacy.ts';
import { createPipeline } from '../../../src/background/pipeline.ts';
import { createBadge } from '../../../src/background/badge.ts';
import { createHandlers } from '../../../src/background/handlers.ts';
import {
  createVisitNotes,
  recoverVisit,
  type NoteArea,
} from '../../../src/background/visit-notes.ts';
import { createFakeBrowser, type Flavor } from '../platform/fake-browser.ts';

/** Databases a test file opens: closed and deleted after each of its tests. */
export function dropDatabasesAfterEach(): LeakwatchDb[] {
  const opened: LeakwatchDb[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) {
      db.close();
      await db.delete();
    }
  });
  return opened;
}

let dbCount = 0;
export function freshDb(): LeakwatchDb {
  return openDb(`bg-test-${dbCount++}-${Date.now()}`);
}

export interface HarnessOptions {
  flavor: Flavor;
  db?: LeakwatchDb;
  /** What tabs.get says: tabId → url / incognito. */
  tabs?: Map<number, { url: string; incognito: boolean }>;
  recordPrivate?: boolean;
  stores?: CookieStoreInfo[];
  bootId?: string;
  /** storage.session, shared by the workers of one browser run (./visit-notes.ts). */
  session?: FakeSession;
}

/** storage.session in memory: what a restarted worker finds again. */
export class FakeSession implements NoteArea {
  readonly items = new Map<string, unknown>();
  async get(key: string | null) {
    if (key === null) return Object.fromEntries(this.items);
    return this.items.has(key) ? { [key]: structuredClone(this.items.get(key)) } : {};
  }
  async set(items: Record<string, unknown>) {
    for (const [k, v] of Object.entries(items)) this.items.set(k, structuredClone(v));
  }
  async remove(keys: string | string[]) {
    for (const k of typeof keys === 'string' ? [keys] : keys) this.items.delete(k);
  }
}

export function startBackground(opts: HarnessOptions) {
  const db = opts.db ?? freshDb();
  const tabs = opts.tabs ?? new Map<number, { url: string; incognito: boolean }>();
  const badges: [number, string][] = [];
  let ids = 0;
  const analyzer = createAnalyzer();
  const visitNotes = createVisitNotes(opts.session ?? null);
  const tracker = createPageTracker({
    analyzer,
    siteOf: registrableDomain,
    newPageId: (tabId, time) => `${tabId}-${time}-${opts.bootId ?? 'x'}${ids++}`,
    onPageStarted: (page) => {
      writer.page({
        id: page.pageId,
        tabId: page.tabId,
        url: page.url,
        site: page.site,
        visitedAt: page.visitedAt,
        imported: false,
      });
      visitNotes.note(page);
      if (page.tabId >= 0) void badge.clear(page.tabId);
    },
    onPageRestored: (page) => writer.page(pageRow(page, false)),
    onTabClosed: (tabId) => visitNotes.forget(tabId),
    recover: (tabId) =>
      recoverVisit(tabId, {
        notes: visitNotes,
        tab: async (id) => tabs.get(id) ?? null,
        isIgnored: isIgnoredPageUrl,
        storedVisit: (id, url) => findVisit(db, id, url),
      }),
  });
  const badge = createBadge({
    tracker,
    countTrackingParties: (pageId) => countTrackingParties(db, pageId),
    setBadgeText: async (tabId, text) => {
      badges.push([tabId, text]);
    },
  });
  const pending: Promise<void>[] = [];
  const writer = createWriter(db, {
    intervalMs: 10_000,
    onFlushed: (pageIds) => pending.push(badge.refresh(pageIds)),
  });
  const privacy = createPrivacyFilter({
    recordPrivate: () => opts.recordPrivate ?? false,
    isIncognitoTab: async (tabId) => tabs.get(tabId)?.incognito ?? null,
    cookieStores: async () => opts.stores ?? [],
  });
  const ready = db.open();
  const pipeline = createPipeline({
    analyzer,
    tracker,
    writer,
    privacy,
    ready,
    cookieFindingKinds: new Set(COOKIE_DETECTORS.flatMap((d) => d.kinds)),
  });
  const fake = createFakeBrowser(opts.flavor);
  startCapture(fake.api, pipeline, { idPrefix: `${opts.bootId ?? 'b'}-`, ownOrigin: null });
  const handlers = createHandlers({
    ready,
    bootId: opts.bootId ?? 'b',
    pipeline,
    writer,
    tracker,
  });
  return {
    db,
    fake,
    badges,
    tracker,
    visitNotes,
    handlers,
    analyzer,
    pipeline,
    writer,
    privacy,
    /** Everything handled, written, and badges updated. */
    async settle() {
      await handlers.flush({});
      await Promise.all(pending.splice(0));
    },
  };
}
