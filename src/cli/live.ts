// Live audit: Chromium with the built extension (src/cli/chromium.ts), each URL visited in
// its own tab, then the extension's own store is read back. The report is built from what
// the extension recorded, so the CLI and the extension can never disagree.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { createAnalyzer } from '../core/analyzer.ts';
import { registrableDomain } from '../core/party.ts';
import type { ReportInput } from '../report/types.ts';
import { type CliOptions, UsageError } from './args.ts';
import { chromiumPath, isExecutable, launchWithExtension, type StoreSnapshot } from './chromium.ts';
import { crawlQueue, sameSiteLinks, sitemapUrls } from './crawl.ts';
import { interact, interactValues } from './interact.ts';
import type { Collected } from './offline.ts';
import type { Progress } from './progress.ts';

const NAV_TIMEOUT_MS = 30_000;

function checkEnvironment(opts: CliOptions, repoRoot: string, cwd: string): string {
  const extensionDir = join(repoRoot, 'dist/chrome');
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new UsageError('no built extension in dist/chrome: run npm run build first');
  }
  const chromium = opts.chromium ? resolve(cwd, opts.chromium) : chromiumPath();
  if (!isExecutable(chromium)) {
    throw new UsageError(
      `Chromium not found or not executable at ${JSON.stringify(chromium)} (use --chromium PATH or LEAKWATCH_CHROMIUM)`,
    );
  }
  // The harness reads the binary from the environment (see the report: an option is asked for).
  process.env['LEAKWATCH_CHROMIUM'] = chromium;
  return extensionDir;
}

function siteOf(url: string): string {
  try {
    return registrableDomain(new URL(url).hostname);
  } catch {
    return '';
  }
}

/** "page.goto: net::ERR_NAME_NOT_RESOLVED at https://x/" → "net::ERR_NAME_NOT_RESOLVED". */
function message(err: unknown): string {
  const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  return first.replace(/^page\.goto: /, '').replace(/ at https?:\S+$/, '') || 'failed';
}

/**
 * Rows of the audited visits only. Visits in a real tab (tabId >= 0) with an http(s) URL
 * are ours; the background's synthetic per-site visits (tabId -1, traffic no tab explains)
 * and the sitemap document stay out.
 */
function selectRows(store: StoreSnapshot, skip: Set<string>): ReportInput {
  const pages = store.pages.filter(
    (p) => p.tabId >= 0 && /^https?:/i.test(p.url) && !skip.has(p.url),
  );
  const ids = new Set(pages.map((p) => p.id));
  const mine = <T extends { pageId: string }>(rows: T[]): T[] =>
    rows.filter((r) => ids.has(r.pageId));
  return {
    pages,
    requests: mine(store.requests),
    cookies: mine(store.cookies),
    parties: mine(store.parties),
    findings: mine(store.findings),
  };
}

export async function auditLive(
  opts: CliOptions,
  repoRoot: string,
  cwd: string,
  makeProgress: (total: number) => Progress,
): Promise<Collected> {
  const extensionDir = checkEnvironment(opts, repoRoot, cwd);
  const browser = await launchWithExtension({ extensionDir, hostRules: opts.hostRules });
  // The background watches every request for the canaries (and for the values --interact
  // types), in all their encodings; they are kept in its memory only.
  const canaries = opts.interact
    ? [...opts.canaries, ...interactValues(opts.canaries)]
    : opts.canaries;
  if (canaries.length > 0) await browser.send('registerCanaries', { values: canaries });
  const failedPages: NonNullable<ReportInput['failedPages']> = [];
  const skip = new Set<string>();
  let progress: Progress | null = null;
  try {
    const starts = [...opts.urls];
    if (opts.sitemap) {
      const page = await browser.context.newPage();
      try {
        starts.push(...(await sitemapUrls(page, opts.sitemap)));
      } finally {
        await page.close();
      }
      skip.add(opts.sitemap);
    }
    const queue = crawlQueue(starts, opts.pages);
    const bar = makeProgress(queue.total());
    progress = bar;

    const visit = async (url: string, root: string): Promise<void> => {
      bar.start(url);
      const page: Page = await browser.context.newPage();
      const visitedAt = Date.now();
      try {
        await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
        if (opts.interact) await interact(page, opts.canaries);
        if (opts.waitMs > 0) await page.waitForTimeout(opts.waitMs);
        if (queue.wantsMore(root)) {
          queue.add(root, await sameSiteLinks(page, root));
          bar.setTotal(queue.total());
        }
        bar.done(url, null);
      } catch (err) {
        const error = message(err);
        failedPages.push({ url, site: siteOf(url), visitedAt, error });
        bar.done(url, error);
      } finally {
        await page.close().catch(() => undefined);
      }
    };

    // A small pool: each worker takes the next queued page until none is left.
    const worker = async (): Promise<void> => {
      for (let next = queue.next(); next; next = queue.next()) await visit(next.url, next.root);
    };
    const running = new Set<Promise<void>>();
    while (queue.pending() > 0 || running.size > 0) {
      while (running.size < opts.concurrency && queue.pending() > 0) {
        const p: Promise<void> = worker().finally(() => running.delete(p));
        running.add(p);
      }
      if (running.size > 0) await Promise.race(running);
    }
    bar.end();
    await browser.flush();
    const store = await browser.readStore();
    return {
      input: { ...selectRows(store, skip), failedPages },
      trackerData: createAnalyzer().trackerData,
    };
  } finally {
    progress?.end();
    await browser.close().catch(() => undefined);
  }
}
