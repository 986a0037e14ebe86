// Findings at rest (schema v2): packed, many per IndexedDB record. Chromium's IndexedDB costs
// a few hundred µs per record written, with or without indexes, so v1's one record per
// finding capped the writer at ~2-3k findings/s; one chunk per site per flush costs about
// one record. Every read and write of the `findings` table goes through this module, and
// every reader gets the flat FindingRow[] the queries always returned.
//
// Invariant kept here: `findingCounts[site].n` is the number of findings in that site's
// chunks. Counts live in their own tiny table so the report's site list never reads chunks.
import type { Table, Transaction } from 'dexie';
import type { Finding } from '../core/model.ts';
import type { FindingChunkRow, FindingCountRow, FindingRow, LeakwatchDb } from './db.ts';

/**
 * At most this many findings per chunk (~400 KB at ~400 bytes each). Measured in Chromium
 * (50,000 findings, raw IndexedDB, 3 runs): 1,000 per record wrote 30-270k findings/s,
 * 5,000 per record 40-70k/s; very large records cost more per byte.
 */
export const CHUNK_ROWS = 1_000;
/** Finding ids are `chunkId * ID_SPACE + index`: unique while CHUNK_ROWS < ID_SPACE. */
const ID_SPACE = 8_192;

type ChunkTable = LeakwatchDb['findings'];
type CountTable = LeakwatchDb['findingCounts'];

/** The stored shape of a finding: the core Finding without a query-time id. */
function stored(f: Finding & { id?: number }): Finding {
  if (f.id === undefined) return f;
  const { id: _id, ...rest } = f;
  return rest;
}

function chunk(site: string, rows: Finding[]): FindingChunkRow {
  let time = Infinity;
  for (const f of rows) if (f.time < time) time = f.time;
  return {
    site,
    pageIds: [...new Set(rows.map((f) => f.pageId))],
    kinds: [...new Set(rows.map((f) => f.kind))],
    time: Number.isFinite(time) ? time : 0,
    rows,
  };
}

/** Groups findings into chunks: one per site (several when a site has > CHUNK_ROWS). */
export function packFindings(rows: readonly (Finding & { id?: number })[]): FindingChunkRow[] {
  const bySite = new Map<string, Finding[]>();
  for (const f of rows) {
    const list = bySite.get(f.site);
    if (list) list.push(stored(f));
    else bySite.set(f.site, [stored(f)]);
  }
  const chunks: FindingChunkRow[] = [];
  for (const [site, list] of bySite) {
    for (let i = 0; i < list.length; i += CHUNK_ROWS) {
      chunks.push(chunk(site, list.slice(i, i + CHUNK_ROWS)));
    }
  }
  return chunks;
}

/** A chunk's findings as the queries return them, each with its derived id. */
export function unpack(c: FindingChunkRow): FindingRow[] {
  const base = (c.id ?? 0) * ID_SPACE;
  return c.rows.map((f, i) => ({ ...f, id: base + i }));
}

const unpackAll = (chunks: readonly FindingChunkRow[]): FindingRow[] => chunks.flatMap(unpack);

/** Adds `delta` (per site) to the stored counts; a count that reaches 0 is deleted. */
async function bumpCounts(counts: CountTable, delta: Map<string, number>): Promise<void> {
  const sites = [...delta.keys()];
  if (sites.length === 0) return;
  const old = await counts.bulkGet(sites);
  const keep: FindingCountRow[] = [];
  const gone: string[] = [];
  sites.forEach((site, i) => {
    const n = (old[i]?.n ?? 0) + (delta.get(site) ?? 0);
    if (n > 0) keep.push({ site, n });
    else gone.push(site);
  });
  if (keep.length) await counts.bulkPut(keep);
  if (gone.length) await counts.bulkDelete(gone);
}

function perSite(chunks: readonly FindingChunkRow[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const c of chunks) n.set(c.site, (n.get(c.site) ?? 0) + c.rows.length);
  return n;
}

async function addTo(chunks: ChunkTable, counts: CountTable, rows: readonly Finding[]) {
  if (rows.length === 0) return;
  const packed = packFindings(rows);
  await chunks.bulkAdd(packed);
  await bumpCounts(counts, perSite(packed));
}

/**
 * Stores findings. Call inside a 'rw' transaction over `findings` and `findingCounts` (the
 * writer's flush, a restore): the chunks and the counts change together.
 */
export function addFindings(db: LeakwatchDb, rows: readonly Finding[]): Promise<void> {
  return addTo(db.findings, db.findingCounts, rows);
}

/** Stores findings in a transaction of their own (imports of rows made elsewhere, tests). */
export function saveFindings(db: LeakwatchDb, rows: readonly Finding[]): Promise<void> {
  return db.transaction('rw', [db.findings, db.findingCounts], () => addFindings(db, rows));
}

/**
 * Keeps only the findings of `chunks` for which `keep` holds: a chunk left empty is deleted,
 * a changed one rewritten under its key. Returns how many findings went. Inside a 'rw'
 * transaction over `findings` and `findingCounts`.
 */
export async function removeFindings(
  db: LeakwatchDb,
  chunks: readonly FindingChunkRow[],
  drop: (f: Finding) => boolean,
): Promise<number> {
  const emptied: number[] = [];
  const changed: FindingChunkRow[] = [];
  const delta = new Map<string, number>();
  for (const c of chunks) {
    const rows = c.rows.filter((f) => !drop(f));
    const removed = c.rows.length - rows.length;
    if (removed === 0) continue;
    delta.set(c.site, (delta.get(c.site) ?? 0) - removed);
    if (rows.length === 0) emptied.push(c.id as number);
    else changed.push({ ...chunk(c.site, rows), id: c.id as number });
  }
  if (emptied.length) await db.findings.bulkDelete(emptied);
  if (changed.length) await db.findings.bulkPut(changed);
  await bumpCounts(db.findingCounts, delta);
  let n = 0;
  for (const d of delta.values()) n -= d;
  return n;
}

// --- reads: Dexie reads only, safe inside liveQuery ---

/** Every stored finding, in storage order (oldest chunk first). */
export async function allFindings(db: LeakwatchDb): Promise<FindingRow[]> {
  return unpackAll(await db.findings.toArray());
}

/** The findings of one site, in storage order. */
export async function findingsOfSite(db: LeakwatchDb, site: string): Promise<FindingRow[]> {
  return unpackAll(await db.findings.where('site').equals(site).toArray());
}

/** The findings of one visit, in storage order. */
export async function findingsOfPage(db: LeakwatchDb, pageId: string): Promise<FindingRow[]> {
  const chunks = await db.findings.where('pageIds').equals(pageId).toArray();
  return unpackAll(chunks).filter((f) => f.pageId === pageId);
}

/** Stored findings per site (from the counts, never the chunks). */
export async function findingCounts(db: LeakwatchDb): Promise<Map<string, number>> {
  return new Map((await db.findingCounts.toArray()).map((r) => [r.site, r.n]));
}

export async function findingCount(db: LeakwatchDb, site?: string): Promise<number> {
  if (site !== undefined) return (await db.findingCounts.get(site))?.n ?? 0;
  let n = 0;
  for (const r of await db.findingCounts.toArray()) n += r.n;
  return n;
}

// --- the v1 → v2 upgrade ---

/**
 * Dexie upgrade v1 → v2, inside the version-change transaction: v1's one-row-per-finding
 * records are repacked into chunks, a block of CHUNK_ROWS at a time (memory stays bounded
 * however large the v1 table is), and the per-site counts are built. New chunks get keys
 * above the last v1 key, so the loop never meets its own output.
 */
export async function migrateFindingsToChunks(tx: Transaction): Promise<void> {
  // Both shapes live in the table during the upgrade: v1 rows are read, chunks written.
  const table = tx.table('findings') as Table<FindingRow & { rows?: unknown }, number>;
  const chunks = tx.table('findings') as ChunkTable;
  const counts = tx.table('findingCounts') as CountTable;
  const last = await table.orderBy(':id').lastKey();
  if (last === undefined) return;
  const total = new Map<string, number>();
  let after = -Infinity;
  for (;;) {
    const block = await table
      .where(':id')
      .between(after, last, false, true)
      .limit(CHUNK_ROWS)
      .toArray();
    if (block.length === 0) break;
    after = block[block.length - 1]!.id as number;
    // A v2 chunk (`rows`) cannot be below `last`, but never repack one if it were.
    const v1 = block.filter((r) => !Array.isArray(r.rows));
    await table.bulkDelete(v1.map((r) => r.id as number));
    const packed = packFindings(v1);
    await chunks.bulkAdd(packed);
    for (const [site, n] of perSite(packed)) total.set(site, (total.get(site) ?? 0) + n);
  }
  await bumpCounts(counts, total);
}
