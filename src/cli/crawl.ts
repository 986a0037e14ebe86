// Which pages a live audit visits: the start URLs, links followed breadth-first within the
// start URL's site (--pages N per start URL), and sitemap entries (--sitemap).
import type { Page } from 'playwright-core';
import { registrableDomain } from '../core/party.ts';
import { UsageError } from './args.ts';

export interface QueueItem {
  url: string;
  /** The start URL whose page budget this visit uses. */
  root: string;
}

/** Fragments never make a different page. */
const normalize = (url: string): string => url.split('#')[0] ?? url;

export function crawlQueue(starts: readonly string[], pagesPerRoot: number) {
  const queue: QueueItem[] = [];
  const seen = new Set<string>();
  const used = new Map<string, number>();
  let total = 0;
  const push = (url: string, root: string): boolean => {
    const u = normalize(url);
    if (seen.has(u) || (used.get(root) ?? 0) >= pagesPerRoot) return false;
    seen.add(u);
    used.set(root, (used.get(root) ?? 0) + 1);
    queue.push({ url: u, root });
    total++;
    return true;
  };
  for (const s of starts) push(s, s);
  return {
    next: (): QueueItem | undefined => queue.shift(),
    pending: (): number => queue.length,
    total: (): number => total,
    wantsMore: (root: string): boolean => (used.get(root) ?? 0) < pagesPerRoot,
    add(root: string, links: readonly string[]): void {
      for (const l of links) if (!push(l, root) && !this.wantsMore(root)) break;
    },
  };
}

const siteOf = (url: string): string | null => {
  try {
    const u = new URL(url);
    return /^https?:$/.test(u.protocol) ? registrableDomain(u.hostname) : null;
  } catch {
    return null;
  }
};

/** http(s) links of the page on the same site as `root`, in document order. */
export async function sameSiteLinks(page: Page, root: string): Promise<string[]> {
  const site = siteOf(root);
  const hrefs = await page
    .$$eval('a[href]', (as) => as.slice(0, 5000).map((a) => (a as HTMLAnchorElement).href))
    .catch(() => [] as string[]);
  const out: string[] = [];
  for (const h of hrefs) {
    if (site !== null && siteOf(h) === site) out.push(normalize(h));
  }
  return [...new Set(out)];
}

const MAX_SITEMAP_URLS = 10_000;
const MAX_CHILD_SITEMAPS = 20;

function locs(xml: string): string[] {
  const out: string[] = [];
  for (const m of xml.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/gi)) {
    const raw = (m[1] ?? '')
      .replace(/^<!\[CDATA\[|\]\]>$/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
    if (siteOf(raw) !== null) out.push(raw);
  }
  return out;
}

/**
 * Loads a sitemap (or a sitemap index, one level deep) through the browser, so the
 * --resolve rules and certificate settings apply to it as to the pages.
 */
export async function sitemapUrls(page: Page, url: string): Promise<string[]> {
  const load = async (u: string): Promise<string> => {
    const res = await page.goto(u, { timeout: 30_000 }).catch((err: unknown) => {
      throw new UsageError(
        `--sitemap: cannot load ${u} (${(err as Error).message.split('\n')[0]})`,
      );
    });
    if (!res || !res.ok())
      throw new UsageError(`--sitemap: ${u} answered ${res?.status() ?? 'nothing'}`);
    return res.text();
  };
  const xml = await load(url);
  let urls = locs(xml);
  if (/<sitemapindex[\s>]/i.test(xml)) {
    const children = urls.slice(0, MAX_CHILD_SITEMAPS);
    urls = [];
    for (const c of children) urls.push(...locs(await load(c)));
  }
  if (urls.length === 0) throw new UsageError(`--sitemap: no <loc> URL in ${url}`);
  return [...new Set(urls)].slice(0, MAX_SITEMAP_URLS);
}
