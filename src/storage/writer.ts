// The single writer. Every row the background produces goes through here and lands in one
// Dexie transaction per batch, which keeps IndexedDB write cost per row small and gives the
// UI's liveQuery one change per batch.
//
// Batching is group commit: a batch is committed `intervalMs` after its first row (or at
// `maxRows`), and while a commit is running the next batch keeps gathering rows (up to
// `maxBatchRows`) instead of queueing one small transaction after another. Under light
// load batches stay small and prompt; when IndexedDB falls behind, batches grow, and the
// per-batch costs (a transaction, one findings chunk per site, one merge per party of the
// batch) are paid once for thousands of rows instead of once per 200.
//
// MV3 lifetime: the buffers below are lost if the worker is killed between two flushes
// (at most one batch). The browser keeps a worker alive while events arrive, so
// this only happens on a crash; parties are merged on flush precisely so a restart that
// starts from empty deltas still adds up.
import { MAX_TAG_LINKS_PER_PARTY, type TagLink } from '../core/pageworld/tag-chain.ts';
import {
  allTables,
  type FindingRow,
  type LeakwatchDb,
  type PageRow,
  type RequestRow,
} from './db.ts';
import type { PartyInfo } from '../core/model.ts';
import {
  emptyDelta,
  mergeParty,
  noteInfo,
  partyId,
  preferLoader,
  touch,
  type PartyDelta,
} from './party-merge.ts';
import { mergeCookie, toCookieRow, type CookieObservation } from './cookie-merge.ts';
import type { CookieRow } from './db.ts';
import { isQuotaError, MAX_QUOTA_ATTEMPTS } from './quota.ts';
import { readAuthorizedLists, verdict } from './authorized.ts';
import { addFindings } from './findings.ts';

export type { CookieObservation } from './cookie-merge.ts';

/** A request's contribution to its party's aggregate row. */
export interface PartyObservation {
  pageId: string;
  site: string;
  party: PartyInfo;
  time: number;
  requests?: number;
  pixels?: number;
  loadedBy?: string | null;
  /** A tag-chain edge that brought this party's resource in (page world). */
  edge?: TagLink;
}

export interface Writer {
  page(row: PageRow): void;
  request(row: RequestRow): void;
  party(obs: PartyObservation): void;
  cookie(obs: CookieObservation): void;
  findings(rows: readonly FindingRow[]): void;
  /** Writes everything buffered; resolves when it is committed (or logged as lost). */
  flushNow(): Promise<void>;
  readonly pending: number;
}

export interface WriterOptions {
  /** A batch is committed this long after its first row (default 200 ms). */
  intervalMs?: number;
  /** ...or as soon as it has this many rows (default 200). */
  maxRows?: number;
  /**
   * While a commit is running, rows gather into the next batch up to this many (default
   * 20,000); past it the batch is queued behind the running commit, which bounds memory.
   * (v1 queued every 200-row batch behind the running commit instead: the same rows were
   * held in memory, in 100 transactions instead of one.)
   */
  maxBatchRows?: number;
  /** Called after each committed flush with the pageIds it touched. */
  onFlushed?: (pageIds: Set<string>) => void;
  /**
   * Called when a flush fails because storage is full (./quota.ts), with the attempt number;
   * the batch is retried once it resolves. Without it a full disk loses the batch.
   */
  onQuotaExceeded?: (attempt: number) => Promise<unknown>;
  log?: (message: string, error?: unknown) => void;
}

interface Batch {
  pages: Map<string, PageRow>;
  requests: RequestRow[];
  cookies: Map<string, { row: CookieRow; info: PartyInfo | null }>;
  parties: Map<string, PartyDelta>;
  findings: FindingRow[];
  rows: number;
}

const emptyBatch = (): Batch => ({
  pages: new Map(),
  requests: [],
  cookies: new Map(),
  parties: new Map(),
  findings: [],
  rows: 0,
});

export function createWriter(db: LeakwatchDb, opts: WriterOptions = {}): Writer {
  const intervalMs = opts.intervalMs ?? 200;
  const maxRows = opts.maxRows ?? 200;
  const maxBatchRows = Math.max(maxRows, opts.maxBatchRows ?? 20_000);
  const log = opts.log ?? ((m: string, e?: unknown) => console.error(m, e));
  let batch = emptyBatch();
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Flushes run one after another: a single writer never races itself.
  let chain: Promise<void> = Promise.resolve();
  /** Batches taken and not yet committed (running or queued). */
  let inFlight = 0;

  function delta(pageId: string, site: string, domain: string, time: number): PartyDelta {
    const id = partyId(pageId, domain);
    let d = batch.parties.get(id);
    if (!d) {
      d = emptyDelta(pageId, site, domain, time);
      batch.parties.set(id, d);
    }
    touch(d, time);
    return d;
  }

  function added(n = 1): void {
    batch.rows += n;
    if (batch.rows >= maxBatchRows) void take();
    // A commit is running: this batch is taken when it ends (group commit).
    else if (inFlight > 0) return;
    else if (batch.rows >= maxRows) void take();
    else if (timer === null) timer = setTimeout(onTimer, intervalMs);
  }

  function onTimer(): void {
    timer = null;
    if (inFlight === 0 && batch.rows > 0) void take();
  }

  /** Hands the current batch to the commit chain; resolves once it is committed. */
  function take(): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const taken = batch;
    batch = emptyBatch();
    inFlight++;
    chain = chain
      .then(() => (taken.rows > 0 ? commit(taken) : undefined))
      .finally(() => {
        inFlight--;
        // Rows that gathered during the commit have waited long enough: commit them now.
        if (inFlight === 0 && batch.rows > 0) void take();
      });
    return chain;
  }

  async function commit(b: Batch): Promise<void> {
    let quotaAttempts = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        await write(b);
        break;
      } catch (error) {
        // A full disk: make room (shorter retention) and try again, up to a few times.
        if (opts.onQuotaExceeded && isQuotaError(error) && quotaAttempts < MAX_QUOTA_ATTEMPTS) {
          await opts
            .onQuotaExceeded(++quotaAttempts)
            .catch((e: unknown) => log('leakwatch: freeing storage failed', e));
          attempt--;
          continue;
        }
        if (attempt >= 2) {
          log(`leakwatch: flush of ${b.rows} rows failed twice, batch lost`, error);
          return;
        }
      }
    }
    const pageIds = new Set<string>([...b.pages.keys()]);
    for (const d of b.parties.values()) pageIds.add(d.pageId);
    try {
      opts.onFlushed?.(pageIds);
    } catch (error) {
      log('leakwatch: onFlushed failed', error);
    }
  }

  async function write(b: Batch): Promise<void> {
    // meta: the sites' authorized lists, read in the same transaction as the party rows so a
    // list change (which re-marks stored rows) and a flush never interleave.
    const tables = allTables(db);
    await db.transaction('rw', tables, async () => {
      if (b.pages.size) await db.pages.bulkPut([...b.pages.values()]);
      if (b.requests.length) await db.requests.bulkPut(b.requests);
      // One chunk per site for the whole batch (./findings.ts).
      await addFindings(db, b.findings);
      // Parties get cookiesSet from cookies new to the DB, so this copy is per attempt.
      const parties = new Map<string, PartyDelta>();
      for (const [k, d] of b.parties) parties.set(k, { ...d });
      if (b.cookies.size) {
        const pending = [...b.cookies.values()];
        const existing = await db.cookies.bulkGet(pending.map((p) => p.row.id));
        const rows = pending.map(({ row, info }, i) => {
          const old = existing[i];
          if (!old) {
            // A cookie new to this visit: its party set one more cookie.
            const id = partyId(row.pageId, row.party);
            const d = parties.get(id) ?? emptyDelta(row.pageId, row.site, row.party, row.time);
            // The cookie's party facts name its domain, not a request host: no host added.
            if (info && !d.info) d.info = info;
            d.cookiesSet += 1;
            touch(d, row.time);
            parties.set(id, d);
          }
          return mergeCookie(old, row);
        });
        await db.cookies.bulkPut(rows);
      }
      if (parties.size) {
        const deltas = [...parties.values()];
        const existing = await db.parties.bulkGet(deltas.map((d) => d.id));
        const lists = await readAuthorizedLists(db, [...new Set(deltas.map((d) => d.site))]);
        const merged = deltas.map((d, i) => {
          const row = mergeParty(existing[i], d);
          row.authorized = verdict(row, lists.get(row.site) ?? null);
          return row;
        });
        await db.parties.bulkPut(merged);
      }
    });
  }

  return {
    page(row) {
      batch.pages.set(row.id, row);
      added();
    },
    request(row) {
      batch.requests.push(row);
      added();
    },
    party(obs) {
      const d = delta(obs.pageId, obs.site, obs.party.domain, obs.time);
      noteInfo(d, obs.party);
      d.requests += obs.requests ?? 0;
      d.pixels += obs.pixels ?? 0;
      d.loadedBy = preferLoader(d.loadedBy, obs.loadedBy ?? null);
      if (obs.edge && d.edges.length < MAX_TAG_LINKS_PER_PARTY) d.edges.push(obs.edge);
      added();
    },
    cookie(obs) {
      const row = toCookieRow(obs);
      const prior = batch.cookies.get(row.id);
      batch.cookies.set(row.id, {
        row: mergeCookie(prior?.row, row),
        info: prior?.info ?? obs.party,
      });
      added();
    },
    findings(rows) {
      for (const f of rows) {
        batch.findings.push(f);
        if (!f.party) continue;
        const d = delta(f.pageId, f.site, f.party, f.time);
        d.kinds.add(f.kind);
        for (const t of f.dataTypes) d.dataTypes.add(t);
      }
      if (rows.length) added(rows.length);
    },
    flushNow() {
      return batch.rows > 0 ? take() : chain;
    },
    get pending() {
      return batch.rows;
    },
  };
}
