import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/core/analyzer.ts';
import {
  cnameCloaking,
  uncloak,
  type HostAliases,
} from '../../../src/core/detectors/cname-cloaking.ts';
import { resolveParty } from '../../../src/core/party.ts';
import { kb, page, requestContext } from '../helpers/context.ts';
import { request } from '../helpers/records.ts';

// Libération's Eulerian analytics host is the textbook case of CNAME cloaking.
const PAGE_URL = 'https://www.liberation.fr/politique/';
const CLOAKED = 'f7ds.liberation.fr';
const CANONICAL = 'liberation.eulerian.net';

/** A lookup with fixed answers, as the Firefox DNS adapter would have cached them. */
function aliases(answers: Record<string, string>): HostAliases {
  return { source: 'dns.resolve', canonicalOf: (host) => answers[host] ?? null };
}

const DNS = aliases({
  [CLOAKED]: `${CANONICAL}.`, // resolvers may keep the root dot
  'static.liberation.fr': 'liberation.map.fastly.net', // a CDN: hosting, not tracking
  'www.liberation.fr': CANONICAL, // the page's own host never counts
  'img.liberation.fr': 'img.liberation.fr',
  'cdn.example-shop.com': 'd1447tq2m68ekg.cloudfront.net',
});

function analyze(url: string, lookup: HostAliases | undefined, extra = {}) {
  const analyzer = createAnalyzer(undefined, lookup ? { aliases: lookup } : {});
  const p = analyzer.pageContext('p1', PAGE_URL, 1, 0);
  return analyzer.analyzeRequest(
    p,
    request({ url, initiator: 'https://www.liberation.fr', ...extra }),
  );
}

describe('uncloak', () => {
  const p = page(PAGE_URL);
  const firstParty = (host: string) => resolveParty(kb, p, host, '/');

  it('turns a first-party alias of a tracker into the tracker’s party', () => {
    const u = uncloak(kb, p, firstParty(CLOAKED), '/', DNS);
    expect(u?.alias).toEqual({ host: CLOAKED, canonical: CANONICAL, source: 'dns.resolve' });
    expect(u?.party).toMatchObject({
      host: CLOAKED,
      domain: 'eulerian.net',
      organization: 'Eulerian Technologies',
      firstParty: false,
      category: 'site_analytics',
    });
    expect(u?.party.tracker?.name).toBe('Eulerian');
  });

  it.each([
    ['a CDN canonical name (hosting)', 'static.liberation.fr'],
    ['the page’s own host', 'www.liberation.fr'],
    ['a name that is its own canonical name', 'img.liberation.fr'],
    ['a host DNS knows nothing about', 'api.liberation.fr'],
  ])('leaves %s alone', (_what, host) => {
    expect(uncloak(kb, p, firstParty(host), '/', DNS)).toBeNull();
  });

  it('never looks at third parties', () => {
    const third = resolveParty(kb, p, 'cdn.example-shop.com', '/');
    expect(uncloak(kb, p, third, '/', DNS)).toBeNull();
  });
});

describe('cname-cloaking through the analyzer', () => {
  const url = `https://${CLOAKED}/col2/-/123?url=${encodeURIComponent(PAGE_URL)}`;

  it('reports the alias once per page and treats the request as the tracker’s', () => {
    const analyzer = createAnalyzer(undefined, { aliases: DNS });
    const p = analyzer.pageContext('p1', PAGE_URL, 1, 0);
    const a = analyzer.analyzeRequest(p, request({ url }));
    expect(a.party).toMatchObject({ host: CLOAKED, domain: 'eulerian.net', firstParty: false });
    const cname = a.findings.filter((f) => f.kind === 'cname-cloaking');
    expect(cname).toHaveLength(1);
    expect(cname[0]).toMatchObject({
      party: 'eulerian.net',
      host: CLOAKED,
      site: 'liberation.fr',
      evidence: {
        rule: 'cname-cloaking:dns.resolve',
        details: { alias: CLOAKED, canonical: CANONICAL, organization: 'Eulerian Technologies' },
      },
    });
    expect(cname[0]?.explanation).toMatch(
      /^f7ds\.liberation\.fr looks like part of liberation\.fr but is an alias of liberation\.eulerian\.net \(Eulerian Technologies\)\./,
    );
    // The tracker-request detector now sees Eulerian too.
    expect(a.findings.some((f) => f.kind === 'tracker-request' && f.party === 'eulerian.net')).toBe(
      true,
    );
    const again = analyzer.analyzeRequest(p, request({ id: 'r2', url }));
    expect(again.findings.filter((f) => f.kind === 'cname-cloaking')).toEqual([]);
  });

  it('keeps cookies the alias sets on the site’s domain as first-party cookies', () => {
    const a = analyze(url, DNS, {
      responseHeaders: [
        {
          name: 'Set-Cookie',
          value: 'etuix=Zx81kq0Pw2mN4vB7; Domain=liberation.fr; Max-Age=31536000',
        },
      ],
    });
    expect(a.cookies.map((c) => c.domain)).toEqual(['liberation.fr']);
    expect(a.findings.filter((f) => f.kind === 'third-party-cookie')).toEqual([]);
  });

  it('does nothing without an alias lookup (Chrome) or without an answer', () => {
    const plain = analyze(url, undefined);
    expect(plain.party).toMatchObject({ domain: 'liberation.fr', firstParty: true });
    expect(plain.findings).toEqual([]);
    expect(analyze(url, aliases({})).party.firstParty).toBe(true);
  });

  it('survives a lookup that throws: the request is still analysed', () => {
    const broken: HostAliases = {
      source: 'dns.resolve',
      canonicalOf: () => {
        throw new Error('boom');
      },
    };
    const a = analyze(url, broken);
    expect(a.party.domain).toBe('liberation.fr');
  });

  it('fires only with an alias in the context', () => {
    const p = page(PAGE_URL);
    const req = request({ url });
    expect(cnameCloaking.detectRequest(req, requestContext(p, req))).toEqual([]);
  });
});
