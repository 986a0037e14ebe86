// The background's side of the message protocol (see ../messaging/protocol.ts).
import type { Handlers } from '../messaging/server.ts';
import type { PageTracker } from './page-tracker.ts';
import type { Pipeline } from './pipeline.ts';
import type { Writer } from '../storage/writer.ts';
import type { TagEdge } from '../core/pageworld/tag-chain.ts';
import { createCanaryStore, type CanaryStore } from './canaries.ts';
import {
  createReportHandlers,
  unavailableReportHandlers,
  type ReportHandlerDeps,
} from './report-handlers.ts';

export interface HandlerDeps {
  ready: Promise<unknown>;
  /** Start-up done, including the ledger asks of a restart (./reconcile.ts afterStart). */
  started?: Promise<unknown>;
  bootId: string;
  pipeline: Pick<Pipeline, 'drain'>;
  writer: Pick<Writer, 'flushNow'>;
  tracker: Pick<PageTracker, 'pageOfTab'>;
  /** The visit's stored tag chain (after the writer's buffer is committed). */
  tagChain?: (pageId: string) => Promise<TagEdge[]>;
  /** The canary list (./canaries.ts); absent: kept in this worker's memory only. */
  canaries?: CanaryStore;
  /** The report page's commands (./report-handlers.ts); absent in unit harnesses. */
  report?: ReportHandlerDeps;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const canaries = deps.canaries ?? createCanaryStore(null);
  return {
    ...(deps.report ? createReportHandlers(deps.report) : unavailableReportHandlers()),
    async ping() {
      // Answering only after start-up is the point: tests use it as the readiness handshake.
      // A restarted worker also has its recovery questions out by then: a test may close a
      // busy tab once the worker answers.
      await deps.ready;
      await deps.started;
      return { ready: true, bootId: deps.bootId };
    },
    async flush() {
      await deps.ready;
      await deps.pipeline.drain();
      await deps.writer.flushNow();
      return { flushed: true };
    },
    async registerCanaries({ values }) {
      await deps.ready;
      return { registered: await canaries.add(values) };
    },
    async setCanaries({ values }) {
      await deps.ready;
      return canaries.set(values);
    },
    async getCanaries() {
      await deps.ready;
      return canaries.list();
    },
    async removeCanary({ index }) {
      await deps.ready;
      return canaries.remove(index);
    },
    async getTagChain({ pageId }) {
      await deps.ready;
      await deps.pipeline.drain();
      return (await deps.tagChain?.(pageId)) ?? [];
    },
    async getTabPage({ tabId }) {
      await deps.ready;
      await deps.pipeline.drain();
      const page = await deps.tracker.pageOfTab(tabId);
      return page ? { pageId: page.pageId, url: page.url, site: page.site } : null;
    },
  };
}
