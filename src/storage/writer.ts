// The single writer. Every row the background produces goes through here and lands in one
// Dexie transaction per batch (every ~200 ms or 200 rows), which keeps IndexedDB write
// cost per row small and gives the UI's liveQuery one change per batch.
//
// MV3 lifetime: the buffers below are lost if the worker is killed between two flushes
// (at most ~200 ms of rows). The browser keeps a worker alive while events arrive, so
// this only happens on a crash; parties are merged on flush precisely so a restart that
// starts from empty deltas still adds up.
import { MAX_TAG_LINKS_PER_PARTY, type TagLink } from '../core/pageworld/tag-chain.ts';
import type { FindingRow, LeakwatchDb, PageRow, RequestRow } from './db.ts';
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
  intervalMs?: number;
  maxRows?: number;
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
  const log = opts.log ?? ((m: string, e?: unknown) => console.error(m, e));
  let batch = emptyBatch();
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Flushes run one after another: a single writer never races itself.
  let chain: Promise<void> = Promise.resolve();

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
    if (batch.rows >= maxRows) void schedule(0);
    else if (timer === null) void schedule(intervalMs);
  }

  function schedule(ms: number): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    if (ms > 0) {
      timer = setTimeout(() => void schedule(0), ms);
      return chain;
    }
    timer = null;
    const taken = batch;
    batch = emptyBatch();
    chain = chain.then(() => (taken.rows > 0 ? commit(taken) : undefined));
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
    const tables = [db.pages, db.requests, db.cookies, db.parties, db.findings, db.meta];
    await db.transaction('rw', tables, async () => {
      if (b.pages.size) await db.pages.bulkPut([...b.pages.values()]);
      if (b.requests.length) await db.requests.bulkPut(b.requests);
      if (b.findings.length) await db.findings.bulkAdd(b.findings.map((f) => ({ ...f })));
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
      return schedule(0);
    },
    get pending() {
      return batch.rows;
    },
  };
}
