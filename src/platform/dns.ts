// CNAME answers for the core's HostAliases lookup (Firefox's `dns.resolve`, behind the `dns`
// permission that only the Firefox build asks for). Chrome has no DNS API: there
// `dnsApiOf` is null, nothing is resolved, and CNAME cloaking goes unreported.
//
// The analysis is synchronous, DNS is not: the pipeline calls `settle(host)` before analysing
// a request to a host that looks first party, and `canonicalOf` answers from the cache.
// Only hosts on the page's site other than the page's own host are asked about, so a page
// costs a handful of lookups at most, each answered from the browser's DNS cache in the
// usual case (the browser has just resolved the name to send the request).
//
// Memory only: losing the cache when the background stops costs a repeated lookup.
import type { HostAliases } from '../core/detectors/cname-cloaking.ts';
import { registrableDomain } from '../core/party.ts';
import { hostOf, normalizeHost } from '../core/url.ts';

/** The slice of Firefox's `browser.dns` we use. */
export interface DnsApi {
  resolve(hostname: string, flags?: string[]): Promise<{ canonicalName?: string | null }>;
}

export interface DnsAliasOptions {
  /** How long an answer is trusted. DNS TTLs of tracker CNAMEs are hours; a visit is minutes. */
  ttlMs?: number;
  /** How long a failed lookup stays failed before it is tried again. */
  failureTtlMs?: number;
  /** Hosts kept; the oldest answers go first. */
  maxEntries?: number;
  /** How long `settle` waits for an answer before letting the analysis go on without it. */
  settleTimeoutMs?: number;
  now?: () => number;
  log?: (message: string, error: unknown) => void;
}

export interface DnsAliases extends HostAliases {
  /**
   * Resolves once the canonical name of `requestUrl`'s host is cached, or at the timeout.
   * Returns null (nothing to wait for) when the host needs no lookup on `pageUrl`, or its
   * answer is cached.
   */
  settle(requestUrl: string, pageUrl: string): Promise<void> | null;
  readonly size: number;
}

interface Entry {
  canonical: string | null;
  expires: number;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** `browser.dns` when the browser has it (Firefox with the `dns` permission), else null. */
export function dnsApiOf(api: unknown): DnsApi | null {
  const dns = (api as { dns?: { resolve?: unknown } } | null)?.dns;
  return dns && typeof dns.resolve === 'function' ? (dns as DnsApi) : null;
}

/** True for a host that is on the page's site but is not the page's own host. */
export function looksFirstParty(host: string, pageUrl: string): boolean {
  const h = normalizeHost(host);
  const pageHost = hostOf(pageUrl);
  if (!h || !pageHost || h === pageHost || IPV4.test(h) || h.includes(':')) return false;
  return registrableDomain(h) === registrableDomain(pageHost);
}

export function createDnsAliases(api: DnsApi, opts: DnsAliasOptions = {}): DnsAliases {
  const ttlMs = opts.ttlMs ?? 10 * 60_000;
  const failureTtlMs = opts.failureTtlMs ?? 60_000;
  const maxEntries = opts.maxEntries ?? 2_000;
  const settleTimeoutMs = opts.settleTimeoutMs ?? 1_500;
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => undefined);
  const cache = new Map<string, Entry>();
  const pending = new Map<string, Promise<void>>();
  let logged = false;

  function store(host: string, canonical: string | null, ttl: number): void {
    cache.delete(host); // re-insert: Map order is the eviction order
    cache.set(host, { canonical, expires: now() + ttl });
    while (cache.size > maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  }

  function fresh(host: string): Entry | null {
    const e = cache.get(host);
    return e && e.expires > now() ? e : null;
  }

  function lookup(host: string): Promise<void> {
    let p = pending.get(host);
    if (p) return p;
    p = api
      .resolve(host, ['canonical_name'])
      .then(
        (record) => {
          const canonical = normalizeHost(record.canonicalName ?? '');
          store(host, canonical && canonical !== host ? canonical : null, ttlMs);
        },
        (error: unknown) => {
          // NXDOMAIN, offline, DNS over HTTPS refusing: the request is analysed as it looks.
          if (!logged) log('leakwatch: dns.resolve failed (logged once)', error);
          logged = true;
          store(host, null, failureTtlMs);
        },
      )
      .finally(() => pending.delete(host));
    pending.set(host, p);
    return p;
  }

  return {
    source: 'dns.resolve',
    canonicalOf(host) {
      return fresh(normalizeHost(host))?.canonical ?? null;
    },
    settle(requestUrl, pageUrl) {
      const h = hostOf(requestUrl);
      if (fresh(h) || !looksFirstParty(h, pageUrl)) return null;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((ok) => {
        timer = setTimeout(ok, settleTimeoutMs);
      });
      return Promise.race([lookup(h), timeout]).finally(() => clearTimeout(timer));
    },
    get size() {
      return cache.size;
    },
  };
}
