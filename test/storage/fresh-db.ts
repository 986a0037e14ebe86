// A fresh fake-indexeddb database per call, closed and deleted after each test.
import 'fake-indexeddb/auto';
import { afterEach } from 'vitest';
import { openDb, type LeakwatchDb } from '../../src/storage/db.ts';

/** Registers the clean-up and returns the factory; call at a test file's top level. */
export function freshDbs(prefix: string): () => LeakwatchDb {
  let n = 0;
  const dbs: LeakwatchDb[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) {
      db.close();
      await db.delete();
    }
  });
  return () => {
    const db = openDb(`${prefix}-${n++}-${Date.now()}`);
    dbs.push(db);
    return db;
  };
}
