// Test-only bundle evaluated in an extension page by ./migration.test.ts (bundled as an IIFE
// like the bench's storage entry): the frozen v1 schema to create a database the way a v1
// install did, and the report queries the UI reads it with after the upgrade.
export { openV1Db, V1_STORES } from '../storage/v1-schema.ts';
export { openDb } from '../../src/storage/db.ts';
export { findingsForParties, partiesForPage } from '../../src/storage/queries.ts';
export {
  loadSites,
  loadSite,
  partyFindings,
  tableCounts,
} from '../../src/storage/report-queries.ts';
