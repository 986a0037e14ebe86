// The background's side of the page-world instrumentation: a validated `pageEvents` batch
// (see ../messaging/content.ts) → the page visit of the sending tab → the page-world analysis
// → rows for the writer. Typed form values go to the leak detectors' secret registry for this
// visit only (memory; never written). Runs after the capture pipeline has drained, so the
// navigation that started the visit is always applied before the page's own events.
import type { Analyzer } from '../core/analysis.ts';
import type { PageEventBatch } from '../core/pageworld/events.ts';
import type { PageWorldAnalyzer } from '../core/pageworld/analyze.ts';
import type { SecretKind } from '../core/leaks/secrets.ts';
import type { ContentSender } from '../messaging/content.ts';
import type { Writer } from '../storage/writer.ts';
import { cookieObservation } from '../storage/rows.ts';
import type { PageTracker } from './page-tracker.ts';
import type { PrivacyFilter } from './privacy.ts';

export interface PageEventDeps {
  pageWorld: PageWorldAnalyzer;
  analyzer: Pick<Analyzer, 'analyzeCookie' | 'setPageTitle'>;
  tracker: Pick<PageTracker, 'pageOfTab' | 'pageOfDocument'>;
  writer: Pick<Writer, 'findings' | 'cookie' | 'party'>;
  privacy: Pick<PrivacyFilter, 'allowTabEvent'>;
  /** Waits for every capture event received so far (ordering with navigations). */
  drain: () => Promise<void>;
  /** Registers a typed value for pii-leak matching on one visit (src/core/leaks/secrets.ts). */
  registerTyped: (kind: SecretKind, value: string, pageId: string) => void;
  now?: () => number;
}

export function createPageEventSink(deps: PageEventDeps) {
  const now = deps.now ?? Date.now;
  return {
    async pageEvents(batch: PageEventBatch, sender: ContentSender): Promise<void> {
      await deps.drain();
      if (!(await deps.privacy.allowTabEvent(sender.tabId, sender.incognito))) return;
      // A document's last batch (sent at pagehide) arrives when the tab may already show the
      // next page: its own visit, by document, comes first.
      const page =
        (sender.documentId && deps.tracker.pageOfDocument(sender.documentId)) ||
        (await deps.tracker.pageOfTab(sender.tabId));
      if (!page) return;
      for (const t of batch.typed) deps.registerTyped(t.kind, t.value, page.pageId);
      // The visit's title, for page-url-leak: only the top frame names the page.
      if (batch.title !== undefined && sender.frameId === 0)
        deps.analyzer.setPageTitle(page.pageId, batch.title);
      const r = deps.pageWorld.analyze(page, { url: sender.url }, batch);
      if (r.findings.length > 0) deps.writer.findings(r.findings.map((f) => ({ ...f })));
      for (const cookie of r.cookieUpdates) {
        // Already analysed when the browser reported it: only the row learns the script.
        deps.writer.cookie(
          cookieObservation(page, cookie, deps.analyzer.analyzeCookie(page, cookie)),
        );
      }
      const time = now();
      for (const link of r.links) {
        deps.writer.party({
          pageId: page.pageId,
          site: page.site,
          party: link.party,
          time,
          requests: 0,
          loadedBy: link.loadedBy,
          edge: link.edge,
        });
      }
    },
  };
}
