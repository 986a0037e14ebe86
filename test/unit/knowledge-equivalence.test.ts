// The tracker knowledge loads from packed string tables (src/data/trackers.ts, psl.ts) read in
// place. These tests hold its answers to the former ones, recomputed from the sources
// (helpers/reference-knowledge.ts): the plain index objects with the former lookup, and
// tldts's getDomain. Every host and URL path of the real corpus (the Privacy Pioneer list and
// the HARs in ../shared/bench-data), every host the index names (with a subdomain and its
// filters' paths), and generated hosts.
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertHar } from '../../src/core/har.ts';
import { registrableDomain } from '../../src/core/party.ts';
import { getDomain } from '../../src/core/psl.ts';
import { TrackerKnowledge } from '../../src/core/trackers.ts';
import { parseUrl } from '../../src/core/url.ts';
import {
  referenceGetDomain,
  referenceKnowledge,
  referenceRegistrableDomain,
  type ReferenceMatch,
} from './helpers/reference-knowledge.ts';

const DATA = resolve(import.meta.dirname, '../../../shared/bench-data');

/** host → the URL paths (with `?query`) requested from it, over the whole corpus. */
function corpus(): Map<string, Set<string>> {
  const urls: string[] = [];
  for (const line of readFileSync(resolve(DATA, 'privacy-pioneer-requests.jsonl'), 'utf8').split(
    '\n',
  )) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { page: string; url: string };
    urls.push(row.page, row.url);
  }
  for (const file of readdirSync(resolve(DATA, 'hars')).filter((f) => f.endsWith('.har'))) {
    const har = convertHar(readFileSync(resolve(DATA, 'hars', file), 'utf8'));
    for (const p of har.pages) urls.push(p.url);
    for (const r of har.requests) urls.push(r.record.url);
  }
  const out = new Map<string, Set<string>>();
  for (const raw of urls) {
    const u = parseUrl(raw);
    if (!u.host) continue;
    let paths = out.get(u.host);
    if (!paths) out.set(u.host, (paths = new Set()));
    paths.add(u.search ? `${u.pathname}?${u.search}` : u.pathname);
  }
  return out;
}

const ref = referenceKnowledge();
const hosts = corpus();

/** What a finding shows of a match (the list label is checked once, below). */
function shown(m: ReferenceMatch | null) {
  return (
    m && {
      key: m.key,
      name: m.name,
      organization: m.organization,
      category: m.category,
      rule: m.rule,
    }
  );
}

describe('packed tracker knowledge', () => {
  it('answers every request of the corpus as the former index did', () => {
    // A fresh instance with a cold cache, so each host's first answer comes from the tables.
    const kb = new TrackerKnowledge();
    let requests = 0;
    const differ: string[] = [];
    for (const [host, paths] of hosts) {
      for (const path of paths) {
        requests++;
        const want = shown(ref.match(host, path));
        if (JSON.stringify(shown(kb.match(host, path))) !== JSON.stringify(want))
          differ.push(`${host}${path}`);
      }
    }
    expect(hosts.size).toBeGreaterThan(3_000);
    expect(requests).toBeGreaterThan(25_000);
    expect(differ).toEqual([]);
  });

  it('knows the same owner for every corpus host and registrable domain', () => {
    const kb = new TrackerKnowledge();
    const domains = new Set<string>();
    for (const host of hosts.keys()) domains.add(host).add(referenceRegistrableDomain(host));
    const owned = [...domains].filter((d) => ref.organizationOfDomain(d) !== null);
    expect(owned.length).toBeGreaterThan(200);
    expect(
      [...domains].filter((d) => kb.organizationOfDomain(d) !== ref.organizationOfDomain(d)),
    ).toEqual([]);
  });

  it('answers every host the index names, its subdomains and its filters’ paths', () => {
    const kb = new TrackerKnowledge();
    expect(ref.hosts.length).toBeGreaterThan(7_000);
    const differ: string[] = [];
    for (const host of ref.hosts) {
      const probes = [
        '/',
        '/x.js?a=1',
        ...ref.pathsOf(host).flatMap((p) => [p, `${p}x`, `${p}/y`, `${p}?q`]),
      ];
      for (const h of [host, `www.${host}`, `a.b.${host}`, host.slice(host.indexOf('.') + 1)]) {
        for (const p of probes)
          if (JSON.stringify(shown(kb.match(h, p))) !== JSON.stringify(shown(ref.match(h, p))))
            differ.push(`${h}${p}`);
        if (kb.organizationOfDomain(h) !== ref.organizationOfDomain(h))
          differ.push(`owner of ${h}`);
      }
    }
    expect(differ).toEqual([]);
  });

  it('cites the same list, version and categories', () => {
    const kb = new TrackerKnowledge();
    expect(kb.listLabel).toBe(`Ghostery TrackerDB ${ref.version}`);
    expect(kb.match('www.google-analytics.com', '/collect')?.list).toBe(kb.listLabel);
    for (const [id, name] of Object.entries(ref.categories)) expect(kb.categoryName(id)).toBe(name);
  });
});

describe('packed Public Suffix List', () => {
  it('gives tldts’s registrable domain for every host of the corpus', () => {
    const differ = [...hosts.keys()].filter(
      (h) => registrableDomain(h) !== referenceRegistrableDomain(h),
    );
    expect(differ).toEqual([]);
  });

  it.each([
    ['a.b.example.co.uk', 'example.co.uk'],
    ['foo.github.io', 'foo.github.io'], // private section
    ['github.io', null],
    ['www.ck', 'www.ck'], // exception rule !www.ck
    ['a.b.kawasaki.jp', 'a.b.kawasaki.jp'], // wildcard *.kawasaki.jp
    ['city.kawasaki.jp', 'city.kawasaki.jp'], // exception !city.kawasaki.jp
    ['x.city.kawasaki.jp', 'city.kawasaki.jp'],
    ['b.example.unknowntld', 'example.unknowntld'], // the prevailing '*' rule
    ['食狮.公司.cn', '食狮.公司.cn'],
    ['www.xn--85x722f.xn--55qx5d.cn', 'xn--85x722f.xn--55qx5d.cn'],
    ['192.168.0.1', null],
    ['[::1]', null],
    ['localhost', null],
    ['a..b.com', null], // not a valid hostname
    ['.com', null],
  ])('%s → %s, as tldts says', (host, domain) => {
    expect(referenceGetDomain(host)).toBe(domain);
    expect(getDomain(host)).toBe(domain);
  });

  it('agrees with tldts on generated hosts made of real suffix labels', () => {
    // Labels from the PSL's hard parts (wildcards, exceptions, private and IDN suffixes) and
    // ordinary ones, in any order and number, so walks end at every kind of node.
    const label = fc.constantFrom(
      'www',
      'a',
      'city',
      'kawasaki',
      'jp',
      'ck',
      'uk',
      'co',
      'github',
      'io',
      'com',
      'blogspot',
      's3',
      'amazonaws',
      'us-east-1',
      'compute',
      'appspot',
      'cn',
      '公司',
      'xn--55qx5d',
      '',
      '*',
      'example',
      'nom',
      'br',
      'sch',
      'pvt',
      'k12',
      'tr',
      'mm',
      'bd',
      'er',
      'ye',
      'kobe',
      'nagoya',
    );
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 6 }), (labels) => {
        const host = labels.join('.');
        expect(getDomain(host)).toBe(referenceGetDomain(host));
      }),
      { numRuns: 3_000, seed: 7 },
    );
  });
});
