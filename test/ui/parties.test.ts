import { describe, expect, it } from 'vitest';
import type { PartyRow } from '../../src/storage/db.ts';
import { bySeverity, groupParties, isTracking, whyLine } from '../../src/ui/shared/parties.ts';
import { dedupeFindings } from '../../src/ui/shared/findings.ts';
import { finding, nytParties, party } from './helpers.ts';

const LIST = 'Ghostery TrackerDB 1.0.945';

describe('whyLine', () => {
  it.each<[string, Partial<PartyRow>, string]>([
    [
      'tracker list match names rule and list',
      { category: 'advertising', rule: 'doubleclick.net', list: LIST },
      'Known advertising tracker: matched doubleclick.net in Ghostery TrackerDB 1.0.945',
    ],
    [
      'analytics category',
      { category: 'site_analytics', rule: 'google-analytics.com', list: LIST },
      'Known analytics tracker: matched google-analytics.com in Ghostery TrackerDB 1.0.945',
    ],
    [
      'catch-all category',
      { category: 'misc', rule: 'tracker.example', list: LIST },
      'Known tracker: matched tracker.example in Ghostery TrackerDB 1.0.945',
    ],
    [
      'rule without a list',
      { category: 'advertising', rule: 'ads.example' },
      'Known advertising tracker: matched ads.example',
    ],
    ['one pixel', { pixels: 1, dataTypes: ['page-url'] }, 'Sent a pixel with data'],
    ['several pixels', { pixels: 4, kinds: ['pixel'] }, 'Sent 4 pixels with data'],
    ['one cookie', { cookiesSet: 1 }, 'Set a third-party cookie'],
    ['cookie kind only', { kinds: ['third-party-cookie'] }, 'Set a third-party cookie'],
    ['several cookies', { cookiesSet: 3 }, 'Set 3 third-party cookies'],
    [
      'personal data outranks the pixel that carried it',
      { pixels: 1, kinds: ['pixel', 'pii-leak'], dataTypes: ['email', 'page-url'] },
      'Received your email from this page',
    ],
    [
      'session recording',
      { kinds: ['session-recording'] },
      'Recorded the session (mouse, clicks, typing)',
    ],
    ['id syncing', { kinds: ['id-sync'] }, "Received another company's identifier (ID syncing)"],
    ['page URL leak', { kinds: ['page-url-leak'] }, 'Received the address of the page'],
    [
      'content host on a list',
      { category: 'hosting', rule: 'fastly.net', list: LIST },
      'Hosting service: matched fastly.net in Ghostery TrackerDB 1.0.945',
    ],
    [
      'content host on a list that sent a pixel',
      { category: 'cdn', rule: 'cdn.example', list: LIST, pixels: 1 },
      'Sent a pixel with data',
    ],
    ['unknown third party', {}, 'Loaded content; no tracking seen'],
    ['not authorized', { kinds: ['unauthorized-party'] }, "Not on the site's authorized list"],
    ['first party', { firstParty: true }, 'This site itself'],
    [
      'same organization',
      { sameOrganization: true, organization: 'The New York Times' },
      'Owned by The New York Times, the same company as this site',
    ],
  ])('%s', (_name, fields, expected) => {
    expect(whyLine(party('x.example', fields))).toBe(expected);
  });
});

describe('isTracking', () => {
  it.each<[string, Partial<PartyRow>, boolean]>([
    ['known advertising tracker', { category: 'advertising' }, true],
    ['unknown party that set a cookie', { cookiesSet: 1 }, true],
    ['unknown party that took data', { dataTypes: ['page-url'] }, true],
    ['fingerprinting', { kinds: ['fingerprinting'] }, true],
    ['plain CDN', { category: 'cdn' }, false],
    ['unknown content host', {}, false],
    ['only unauthorized', { kinds: ['unauthorized-party'] }, false],
    ['first party with cookies', { firstParty: true, cookiesSet: 5 }, false],
    ['same organization tracker', { sameOrganization: true, category: 'advertising' }, false],
  ])('%s -> %s', (_name, fields, expected) => {
    expect(isTracking(party('x.example', fields))).toBe(expected);
  });
});

describe('bySeverity', () => {
  const base = { pixels: 0, cookiesSet: 0, requests: 0, dataTypes: [] as PartyRow['dataTypes'] };
  it.each([
    [
      'personal data first',
      { ...base, dataTypes: ['email'] },
      { ...base, dataTypes: ['page-url', 'cookie-id'], pixels: 9 },
    ],
    [
      'more data types',
      { ...base, dataTypes: ['page-url', 'cookie-id'] },
      { ...base, dataTypes: ['page-url'], pixels: 9 },
    ],
    ['then pixels', { ...base, pixels: 2 }, { ...base, pixels: 1, cookiesSet: 9 }],
    ['then cookies', { ...base, cookiesSet: 2 }, { ...base, cookiesSet: 1, requests: 99 }],
    ['then requests', { ...base, requests: 2 }, { ...base, requests: 1 }],
  ] as const)('%s', (_name, worse, milder) => {
    expect(bySeverity(worse, milder)).toBeLessThan(0);
    expect(bySeverity(milder, worse)).toBeGreaterThan(0);
  });
});

describe('groupParties', () => {
  it('splits the nytimes.com visit into sections, one group per organization', () => {
    const g = groupParties(nytParties);
    expect(g.tracking.map((x) => x.organization)).toEqual(['Meta', 'Google', 'Salesforce']);
    expect(g.other.map((x) => x.organization)).toEqual(['Example CDN']);
    expect(g.firstParty.map((x) => x.organization)).toEqual(['The New York Times']);
    const google = g.tracking[1]!;
    expect(google.domains).toEqual([
      'doubleclick.net',
      'google-analytics.com',
      'googletagmanager.com',
    ]);
    expect([google.requests, google.pixels, google.cookiesSet]).toEqual([22, 5, 1]);
    expect(google.kinds).toEqual([
      'tracker-request',
      'pixel',
      'third-party-cookie',
      'page-url-leak',
    ]);
    expect(google.dataTypes).toEqual(['page-url', 'cookie-id']);
    expect(google.category).toBe('advertising');
    // Meta's pixel domain has no list match; the row still names the list that matched.
    expect(g.tracking[0]!.why).toBe(
      'Known social media tracker: matched facebook.net in Ghostery TrackerDB 1.0.945',
    );
    expect(g.tracking[0]!.domains[0]).toBe('facebook.com');
  });

  it("puts an organization's content domains with its tracking ones", () => {
    const g = groupParties([
      party('doubleclick.net', { organization: 'Google', category: 'advertising' }),
      party('gstatic.com', { organization: 'Google', category: 'cdn', requests: 30 }),
    ]);
    expect(g.other).toEqual([]);
    expect(g.tracking[0]!.domains).toEqual(['gstatic.com', 'doubleclick.net']);
    expect(g.tracking[0]!.why).toBe('Known advertising tracker');
  });

  it('never merges a first party into a third-party group of the same name', () => {
    const g = groupParties([
      party('site.example', { organization: 'Acme', firstParty: true }),
      party('acme-ads.example', { organization: 'Acme', category: 'advertising' }),
    ]);
    expect(g.firstParty.map((x) => x.domains)).toEqual([['site.example']]);
    expect(g.tracking.map((x) => x.domains)).toEqual([['acme-ads.example']]);
  });

  it('handles no rows', () => {
    expect(groupParties([])).toEqual({ tracking: [], other: [], firstParty: [] });
  });
});

describe('dedupeFindings', () => {
  it('merges identical sentences per kind and party and counts them', () => {
    const a = finding('a.example', { explanation: 'Sent X.' });
    const out = dedupeFindings([
      a,
      finding('a.example', { explanation: 'Sent X.' }),
      finding('b.example', { explanation: 'Sent X.' }),
      finding('a.example', { kind: 'page-url-leak', explanation: 'Sent X.' }),
    ]);
    expect(out.map((e) => [e.finding.party, e.finding.kind, e.count])).toEqual([
      ['a.example', 'pixel', 2],
      ['b.example', 'pixel', 1],
      ['a.example', 'page-url-leak', 1],
    ]);
    expect(out[0]!.finding).toBe(a);
  });
});
