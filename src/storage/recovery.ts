// The two reads request recovery needs (src/background/reconcile.ts): a visit's row, and
// the URLs of its stored requests, through the requests table's pageId index.
import type { LeakwatchDb } from './db.ts';

export async function visitRow(
  db: LeakwatchDb,
  pageId: string,
): Promise<{ url: string; tabId: number; visitedAt: number } | null> {
  return (await db.pages.get(pageId)) ?? null;
}

export async function requestUrlsOfVisit(db: LeakwatchDb, pageId: string): Promise<string[]> {
  const urls: string[] = [];
  await db.requests
    .where('pageId')
    .equals(pageId)
    .each((r) => {
      urls.push(r.url);
    });
  return urls;
}
