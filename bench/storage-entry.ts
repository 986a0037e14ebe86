// What the storage bench evaluates inside an extension page (bundled as an IIFE by
// bundle.ts): the production Dexie schema, writer and popup queries, nothing bench-made.
export { openDb } from '../src/storage/db.ts';
export { createWriter } from '../src/storage/writer.ts';
export { findVisit, partiesForPage } from '../src/storage/queries.ts';
export { loadSite, loadSites } from '../src/storage/report-queries.ts';
export { findingsOfSite } from '../src/storage/findings.ts';
