import { describe, expect, it } from 'vitest';
import {
  createDnsAliases,
  dnsApiOf,
  looksFirstParty,
  type DnsApi,
} from '../../../src/platform/dns.ts';

const PAGE = 'https://www.liberation.fr/politique/';

/** A Firefox-shaped `browser.dns` with fixed answers; counts lookups and their flags. */
function fakeDns(answers: Record<string, string | Error>) {
  const calls: { host: string; flags: string[] | undefined }[] = [];
  const api: DnsApi = {
    resolve(host, flags) {
      calls.push({ host, flags });
      const a = answers[host];
      if (a instanceof Error) return Promise.reject(a);
      // Firefox answers { addresses, canonicalName, isTRR }; canonicalName only with the flag.
      return Promise.resolve({ addresses: ['127.0.0.1'], canonicalName: a ?? host, isTRR: false });
    },
  };
  return { api, calls };
}

describe('feature detection', () => {
  it('finds dns.resolve in Firefox and nothing in Chrome', () => {
    const { api } = fakeDns({});
    expect(dnsApiOf({ dns: api, webRequest: {} })).toBe(api);
    expect(dnsApiOf({ webRequest: {} })).toBeNull(); // Chrome: no dns namespace
    expect(dnsApiOf({ dns: {} })).toBeNull(); // Firefox without the permission
    expect(dnsApiOf(null)).toBeNull();
  });
});

describe('looksFirstParty', () => {
  it.each([
    ['f7ds.liberation.fr', true],
    ['liberation.fr', true],
    ['www.liberation.fr', false], // the page's own host
    ['WWW.Liberation.FR.', false],
    ['eulerian.net', false], // a third party
    ['127.0.0.1', false],
    ['', false],
  ])('%s → %s', (host, expected) => {
    expect(looksFirstParty(host, PAGE)).toBe(expected);
  });

  it('is false on pages without a host', () => {
    expect(looksFirstParty('a.example.com', 'about:blank')).toBe(false);
  });
});

describe('createDnsAliases', () => {
  it('resolves first-party-looking hosts once, with the canonical_name flag', async () => {
    const { api, calls } = fakeDns({ 'f7ds.liberation.fr': 'liberation.eulerian.net.' });
    const dns = createDnsAliases(api);
    expect(dns.canonicalOf('f7ds.liberation.fr')).toBeNull(); // not asked yet
    await dns.settle('https://f7ds.liberation.fr/col2/x', PAGE);
    expect(dns.canonicalOf('f7ds.liberation.fr')).toBe('liberation.eulerian.net');
    expect(dns.canonicalOf('F7DS.liberation.fr')).toBe('liberation.eulerian.net');
    expect(dns.settle('https://f7ds.liberation.fr/again', PAGE)).toBeNull(); // cached
    expect(calls).toEqual([{ host: 'f7ds.liberation.fr', flags: ['canonical_name'] }]);
  });

  it('never waits for the page host or third parties', () => {
    const { api, calls } = fakeDns({});
    const dns = createDnsAliases(api);
    expect(dns.settle('https://www.liberation.fr/app.js', PAGE)).toBeNull();
    expect(dns.settle('https://www.google-analytics.com/g/collect', PAGE)).toBeNull();
    expect(calls).toEqual([]);
  });

  it('records "no alias" when the canonical name is the host itself', async () => {
    const { api } = fakeDns({});
    const dns = createDnsAliases(api);
    await dns.settle('https://api.liberation.fr/v1', PAGE);
    expect(dns.canonicalOf('api.liberation.fr')).toBeNull();
    expect(dns.size).toBe(1);
  });

  it('shares one lookup between concurrent requests', async () => {
    const { api, calls } = fakeDns({ 'a.liberation.fr': 'x.eulerian.net' });
    const dns = createDnsAliases(api);
    await Promise.all([
      dns.settle('https://a.liberation.fr/1', PAGE),
      dns.settle('https://a.liberation.fr/2', PAGE),
    ]);
    expect(calls).toHaveLength(1);
  });

  it('treats a failed lookup as no alias, logs once, and retries after the failure TTL', async () => {
    let t = 0;
    const logs: string[] = [];
    const { api, calls } = fakeDns({
      'a.liberation.fr': new Error('NS_ERROR_UNKNOWN_HOST'),
      'b.liberation.fr': new Error('NS_ERROR_UNKNOWN_HOST'),
    });
    const dns = createDnsAliases(api, {
      now: () => t,
      failureTtlMs: 1000,
      log: (m) => logs.push(m),
    });
    await dns.settle('https://a.liberation.fr/', PAGE);
    await dns.settle('https://b.liberation.fr/', PAGE);
    expect(dns.canonicalOf('a.liberation.fr')).toBeNull();
    expect(logs).toHaveLength(1);
    expect(dns.settle('https://a.liberation.fr/', PAGE)).toBeNull();
    t = 1001;
    await dns.settle('https://a.liberation.fr/', PAGE);
    expect(calls.map((c) => c.host)).toEqual([
      'a.liberation.fr',
      'b.liberation.fr',
      'a.liberation.fr',
    ]);
  });

  it('forgets answers after their TTL', async () => {
    let t = 0;
    const { api } = fakeDns({ 'a.liberation.fr': 'x.eulerian.net' });
    const dns = createDnsAliases(api, { now: () => t, ttlMs: 500 });
    await dns.settle('https://a.liberation.fr/', PAGE);
    expect(dns.canonicalOf('a.liberation.fr')).toBe('x.eulerian.net');
    t = 501;
    expect(dns.canonicalOf('a.liberation.fr')).toBeNull();
  });

  it('keeps at most maxEntries hosts, dropping the oldest', async () => {
    const { api } = fakeDns({});
    const dns = createDnsAliases(api, { maxEntries: 3 });
    for (const h of ['a', 'b', 'c', 'd', 'e'])
      await dns.settle(`https://${h}.liberation.fr/`, PAGE);
    expect(dns.size).toBe(3);
  });

  it('stops waiting for a lookup that hangs, and takes its answer later', async () => {
    let answer: (v: { canonicalName: string }) => void = () => undefined;
    const api: DnsApi = { resolve: () => new Promise((ok) => (answer = ok)) };
    const dns = createDnsAliases(api, { settleTimeoutMs: 20 });
    const started = Date.now();
    await dns.settle('https://slow.liberation.fr/', PAGE);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(dns.canonicalOf('slow.liberation.fr')).toBeNull();
    answer({ canonicalName: 'slow.eulerian.net' });
    await new Promise((r) => setTimeout(r, 0));
    expect(dns.canonicalOf('slow.liberation.fr')).toBe('slow.eulerian.net');
  });
});
