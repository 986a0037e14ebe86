// parseUrl and hostOf read canonical URLs without the URL parser (src/core/url.ts). These
// tests hold the fast path to the parser's answers on every URL of the real corpus and on
// generated URLs, including the shapes it must hand over (ports, IPs, dot segments, ...).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostOf, normalizeHost, parseQuery, parseUrl } from '../../src/core/url.ts';

const CORPUS = resolve(
  import.meta.dirname,
  '../../../shared/bench-data/privacy-pioneer-requests.jsonl',
);

/** What parseUrl returned before the fast path: the WHATWG parser's fields. */
function viaParser(raw: string) {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  const search = u.search.startsWith('?') ? u.search.slice(1) : u.search;
  return {
    href: u.href,
    protocol: u.protocol,
    host: u.hostname && /^(https?|wss?|ftp):$/.test(u.protocol) ? normalizeHost(u.hostname) : '',
    pathname: u.pathname,
    search,
    params: parseQuery(search),
    hash: u.hash,
  };
}

function corpusUrls(): string[] {
  const out = new Set<string>();
  for (const line of readFileSync(CORPUS, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { page: string; url: string };
    out.add(row.page);
    out.add(row.url);
  }
  return [...out];
}

describe('parseUrl fast path', () => {
  it('agrees with the URL parser on every URL of the Privacy Pioneer corpus', () => {
    const urls = corpusUrls();
    expect(urls.length).toBeGreaterThan(20_000);
    const differ = urls.filter((u) => {
      const expected = viaParser(u);
      return expected !== null && JSON.stringify(parseUrl(u)) !== JSON.stringify(expected);
    });
    expect(differ).toEqual([]);
    expect(urls.filter((u) => hostOf(u) !== (viaParser(u)?.host ?? ''))).toEqual([]);
  });

  it.each([
    'https://a.example',
    'https://a.example?x=1#',
    'https://a.example/x?',
    'https://a.example/x?#',
    'https://a.example:443/x',
    'https://a.example:8443/x',
    'http://127.1/',
    'http://0x7f.0.0.1/',
    'https://1.2.3.4/p',
    'https://a.b/./x/../y',
    'https://a.b/%2e%2E/x',
    "https://a.b/x?it's",
    'https://a.b/x#a`b',
    'https://a.b/x|y^z',
    'https://a.b/x{y}',
    'https://a.b/p?q=<x>',
    'https://xn--nxasmq6b.com/',
    'HTTPS://A.Example/X',
    'https://user:pw@a.example/',
    'https://a.example\\x\\y',
    'wss://a.example',
    'https://a.b/x#y#z',
    'https://a.b.',
  ])('matches the parser on %s', (raw) => {
    expect(parseUrl(raw)).toEqual(viaParser(raw));
    expect(hostOf(raw)).toBe(viaParser(raw)?.host ?? '');
  });

  it('matches the parser on generated web URLs', () => {
    const label = fc.stringMatching(/^[a-z0-9-]{1,8}$/);
    const chunk = fc.stringMatching(/^[\x21-\x7e]{0,12}$/);
    const url = fc
      .tuple(
        fc.constantFrom('http', 'https', 'ws', 'wss', 'HTTP'),
        fc.array(label, { minLength: 1, maxLength: 4 }),
        fc.array(chunk, { maxLength: 4 }),
        fc.option(chunk),
        fc.option(chunk),
      )
      .map(
        ([s, labels, path, q, h]) =>
          `${s}://${labels.join('.')}${path.map((p) => `/${p}`).join('')}${q === null ? '' : `?${q}`}${h === null ? '' : `#${h}`}`,
      );
    fc.assert(
      fc.property(url, (raw) => {
        const expected = viaParser(raw);
        if (expected === null) return true;
        expect(parseUrl(raw)).toEqual(expected);
        expect(hostOf(raw)).toBe(expected.host);
        return true;
      }),
      { numRuns: 3_000 },
    );
  });
});
