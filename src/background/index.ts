// The background composition root (Chrome: module service worker; Firefox: event page).
// Everything here runs synchronously on the first turn: an MV3 worker woken by an event
// delivers it only to listeners registered before its first await. Async start-up (open
// the database, read settings, retention) runs behind `ready`, which handlers await.
import { browser } from '../platform/browser.ts';
import { startCapture } from '../platform/capture.ts';
import { createDnsAliases, dnsApiOf } from '../platform/dns.ts';
import {
  getCookieStores,
  getTab,
  openTabIds,
  sendToTab,
  setBadgeColor,
  setBadgeText,
} from '../platform/tabs.ts';
import { isIgnoredPageUrl } from '../platform/urls.ts';
import { createAnalyzer } from '../core/analyzer.ts';
import { COOKIE_DETECTORS } from '../core/detectors/index.ts';
import { registrableDomain } from '../core/party.ts';
import type { PageContext } from '../core/model.ts';
import { openDb } from '../storage/db.ts';
import { createWriter } from '../storage/writer.ts';
import { applyRetention, DEFAULT_RETENTION_DAYS } from '../storage/retention.ts';
import { relieveQuota } from '../storage/quota.ts';
import { readSettings, type Settings } from '../storage/settings.ts';
import { findVisit } from '../storage/queries.ts';
import { countTrackingParties } from '../storage/visits.ts';
import { createMessageListener } from '../messaging/server.ts';
import { createContentServer, isContentMessage } from '../messaging/content.ts';
import { createPageWorldAnalyzer } from '../core/pageworld/analyze.ts';
import { registerSecret } from '../core/leaks/secrets.ts';
import { createPageEventSink } from './page-events.ts';
import { createPageTracker } from './page-tracker.ts';
import { createPrivacyFilter } from './privacy.ts';
import { createPipeline } from './pipeline.ts';
import { BADGE_COLOR, createBadge } from './badge.ts';
import { createHandlers } from './handlers.ts';
import { createCanaryStore, type SessionArea } from './canaries.ts';
import { pageRow } from '../storage/rows.ts';
import { requestUrlsOfVisit, visitRow } from '../storage/recovery.ts';
import { tagChainOfVisit } from '../storage/tag-chain.ts';
import { createReconciler, type ActivityNote } from './reconcile.ts';
import {
  createVisitNotes,
  FORGET_AFTER_MS,
  recoverVisit,
  shownVisit,
  type NoteArea,
} from './visit-notes.ts';

const log = (message: string, error?: unknown) => console.error(message, error);
/** Retention runs at start-up and after this many flushes (no "alarms" permission needed). */
const FLUSHES_PER_RETENTION = 1000;

// Per worker instance; a new one after every restart (the ping reply exposes it to tests).
const bootId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
const db = openDb();
// Firefox only (feature-detected): CNAME answers that uncloak first-party-looking trackers.
const dnsApi = dnsApiOf(browser);
const dns = dnsApi ? createDnsAliases(dnsApi, { log }) : null;
const analyzer = createAnalyzer(undefined, dns ? { aliases: dns } : {});
// Module state, rebuilt on every worker start (losing it is fine): the setting is re-read
// from the `meta` table in `ready` (until then the default, not recording private windows,
// applies), and the flush counter only paces retention, which also runs at start-up.
let recordPrivate = false;
let flushes = 0;
// The report page's settings (meta rows, src/storage/settings.ts): same lifetime as above.
let paused = false;
let retentionDays = DEFAULT_RETENTION_DAYS;
function applySettings(s: Settings): void {
  recordPrivate = s.recordPrivate;
  paused = s.paused;
  retentionDays = s.retentionDays;
}

const runRetention = () =>
  applyRetention(db, Date.now(), retentionDays).catch((e: unknown) =>
    log('leakwatch: retention failed', e),
  );

// The user's canaries (own email, phone) and each tab's visit: storage.session is
// memory-only, survives worker restarts and is cleared when the browser closes
// (./canaries.ts, ./visit-notes.ts). Feature-detected.
const sessionArea =
  (browser.storage as { session?: SessionArea & NoteArea } | undefined)?.session ?? null;
const canaries = createCanaryStore(sessionArea, { log });
const visitNotes = createVisitNotes(sessionArea, { log });

/** A visit's row, for one that starts and for one whose row a stopped worker may have lost. */
const storeVisitRow = (page: PageContext) => writer.page(pageRow(page, false));

const tracker = createPageTracker({
  analyzer,
  siteOf: registrableDomain,
  newPageId: (tabId, time) => `${tabId}-${time}-${Math.random().toString(36).slice(2, 8)}`,
  onPageStarted: (page) => {
    storeVisitRow(page);
    visitNotes.note(page);
    if (page.tabId >= 0) void badge.clear(page.tabId);
  },
  onPageRestored: storeVisitRow,
  onTabClosed: (tabId) => visitNotes.forget(tabId),
  recover: async (tabId) => {
    return recoverVisit(tabId, {
      notes: visitNotes,
      tab: getTab,
      isIgnored: isIgnoredPageUrl,
      storedVisit: async (id, url) => {
        await ready;
        return findVisit(db, id, url, false);
      },
    });
  },
});

const badge = createBadge({
  tracker,
  countTrackingParties: (pageId) => countTrackingParties(db, pageId),
  setBadgeText,
  setBadgeColor: (tabId, color) => setBadgeColor(color, tabId),
  log,
});

const writer = createWriter(db, {
  intervalMs: 20,
  log,
  onFlushed: (pageIds) => {
    void badge.refresh(pageIds);
    if (++flushes % FLUSHES_PER_RETENTION === 0) void runRetention();
  },
  // Storage full: prune with a shorter retention window, retry, warn (../storage/quota.ts).
  onQuotaExceeded: (attempt) => relieveQuota(db, Date.now(), retentionDays, attempt, log),
});

const ready: Promise<void> = (async () => {
  try {
    await db.open();
    applySettings(await readSettings(db));
    await setBadgeColor(BADGE_COLOR);
  } catch (error) {
    // Keep going: capture still works in memory and the next write retries the open.
    log('leakwatch: start-up failed', error);
  }
  // Re-register the session's canaries before any request is analysed (never throws).
  await canaries.restore();
})();
// Not awaited by `ready`: events (and the ping handshake) need not wait for a purge.
void ready.then(runRetention);

const privacy = createPrivacyFilter({
  recordPrivate: () => recordPrivate,
  paused: () => paused,
  isIncognitoTab: async (tabId) => (await getTab(tabId))?.incognito ?? null,
  cookieStores: getCookieStores,
});

// Page-world instrumentation (issue 4): script attribution, fingerprinting, storage ids,
// key logging, session recording, the tag chain.
const pageWorld = createPageWorldAnalyzer(undefined, {
  onDetectorError: (id, e) => log(`leakwatch: page-world detector ${id} failed`, e),
});

const pipeline = createPipeline({
  analyzer,
  tracker,
  writer,
  privacy,
  ready,
  cookieFindingKinds: new Set(COOKIE_DETECTORS.flatMap((d) => d.kinds)),
  attributeCookie: (page, cookie) => pageWorld.attributeCookie(page, cookie),
  beforeAnalysis: dns ? (c, page) => dns.settle(c.record.url, page.url) : undefined,
  onRequestArrived: (tabId) => reconciler.noteActivity(tabId),
  log,
});

// Requests lost while the worker was stopped, recovered from the pages' Resource Timing
// (./reconcile.ts). The busy-tabs note lives in storage.session next to the canaries.
const ACTIVITY_KEY = 'activity';
const reconciler = createReconciler({
  analyzer,
  tracker,
  pipeline,
  privacy,
  flush: () => writer.flushNow(),
  pageRow: async (pageId) => {
    await ready;
    return visitRow(db, pageId);
  },
  ready,
  notedVisit: (tabId) => visitNotes.get(tabId),
  shownVisit: (tabId) => shownVisit(tabId, { notes: visitNotes, tab: getTab }),
  restoreVisit: storeVisitRow,
  storedUrls: (pageId) => requestUrlsOfVisit(db, pageId),
  readNote: async () => {
    const got = (await sessionArea?.get(ACTIVITY_KEY))?.[ACTIVITY_KEY] as ActivityNote | undefined;
    return got && typeof got.at === 'number' && Array.isArray(got.tabs) ? got : null;
  },
  writeNote: async (note) => {
    await sessionArea?.set({ [ACTIVITY_KEY]: note });
  },
  askTab: async (tabId, message) => {
    await sendToTab(tabId, message);
  },
  idPrefix: `${bootId}-`,
  log,
});
// Not behind `ready`: the question needs no database (./visit-notes.ts), and a worker in a
// storm of stops may be stopped again before its database opens.
const started = reconciler.afterStart().catch((e: unknown) => log('leakwatch: recovery failed', e));
// Notes of tabs closed while no worker ran (or before a forget timer fired): once a closed
// tab's last ledger has had time to be filed.
setTimeout(() => {
  void openTabIds().then((open) => open && visitNotes.sweep(open));
}, FORGET_AFTER_MS);

const pageEvents = createPageEventSink({
  pageWorld,
  analyzer,
  tracker,
  writer,
  privacy,
  // In the pipeline's own time: a batch sent while its page loads waits for the page too.
  drain: async () => {
    await ready;
    await pipeline.settled();
  },
  // Typed values: memory only, scoped to the visit (src/core/leaks/secrets.ts).
  registerTyped: (kind, value, pageId) =>
    void registerSecret(kind, value, { pageId }, { typed: true }),
});
const contentMessages = createContentServer({
  handlers: {
    pageEvents: (batch, sender) => pageEvents.pageEvents(batch, sender),
    resourceLedger: (ledger, sender) => reconciler.resourceLedger(ledger, sender),
  },
  extensionId: browser.runtime.id,
  log,
});

const extensionOrigin = browser.runtime.getURL('');
startCapture(browser, pipeline, {
  idPrefix: `${bootId}-`,
  ownOrigin: extensionOrigin.replace(/\/$/, ''),
  log,
});

const pageMessages = createMessageListener({
  handlers: createHandlers({
    ready,
    started,
    bootId,
    pipeline,
    writer,
    tracker,
    tagChain: async (pageId) => {
      await writer.flushNow();
      return tagChainOfVisit(db, pageId);
    },
    canaries,
    report: {
      ready,
      db,
      writer,
      drain: () => pipeline.drain(),
      applySettings: (s) => {
        applySettings(s);
        void runRetention();
      },
      info: {
        generatorVersion: browser.runtime.getManifest().version,
        trackerData: analyzer.trackerData,
      },
    },
  }),
  extensionId: browser.runtime.id,
  extensionOrigin,
  log,
});
// Content-script messages (hostile senders) have their own checks: ../messaging/content.ts.
browser.runtime.onMessage.addListener(((
  message: unknown,
  sender: unknown,
  sendResponse: (r: unknown) => void,
) => {
  if (!isContentMessage(message)) return pageMessages(message, sender, sendResponse);
  void contentMessages(message, sender).then(sendResponse);
  return true;
}) as Parameters<typeof browser.runtime.onMessage.addListener>[0]);
