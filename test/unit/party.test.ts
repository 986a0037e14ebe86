import { describe, expect, it } from 'vitest';
import {
  isFirstParty,
  pageParty,
  registrableDomain,
  resolveParty,
  sameOrganization,
} from '../../src/core/party.ts';
import { defaultKnowledge } from '../../src/core/trackers.ts';

const kb = defaultKnowledge();

describe('registrableDomain', () => {
  it.each([
    ['www.nytimes.com', 'nytimes.com'],
    ['WWW.BBC.CO.UK.', 'bbc.co.uk'],
    ['a.github.io', 'a.github.io'], // private PSL section on
    ['d111.cloudfront.net', 'd111.cloudfront.net'],
    ['github.io', 'github.io'], // a public suffix: itself
    ['192.168.0.1', '192.168.0.1'],
    ['[::1]', '::1'],
    ['localhost', 'localhost'],
    ['intranet', 'intranet'],
  ])('%s → %s', (host, domain) => {
    expect(registrableDomain(host)).toBe(domain);
  });
});

describe('isFirstParty', () => {
  it.each([
    ['cdn.nytimes.com', 'nytimes.com', true],
    ['cdn.krxd.net', 'nytimes.com', false],
    ['b.github.io', 'a.github.io', false],
    ['a.github.io', 'a.github.io', true],
    ['127.0.0.1', '127.0.0.1', true],
    ['127.0.0.2', '127.0.0.1', false],
    ['localhost', 'localhost', true],
    ['', 'example.com', true], // data:, about:blank: no network party
  ])('%s on %s → %s', (host, site, expected) => {
    expect(isFirstParty(host, site)).toBe(expected);
  });
});

describe('resolveParty', () => {
  const youtube = pageParty(kb, 'www.youtube.com');

  it('groups a company’s domains as the same organization', () => {
    expect(youtube).toEqual({ site: 'youtube.com', organization: 'Google' });
    for (const host of ['i.ytimg.com', 'googleads.g.doubleclick.net', 'www.google-analytics.com']) {
      const p = resolveParty(kb, youtube, host, '/');
      expect(p.firstParty).toBe(false);
      expect(p.sameOrganization).toBe(true);
      expect(p.organization).toBe('Google');
    }
    expect(sameOrganization(kb, 'facebook.com', 'fbcdn.net')).toBe(true);
    expect(sameOrganization(kb, 'facebook.com', 'google.com')).toBe(false);
  });

  it('describes a third-party tracker', () => {
    const p = resolveParty(kb, pageParty(kb, 'www.nytimes.com'), 'cdn.krxd.net', '/controltag');
    expect(p).toMatchObject({
      host: 'cdn.krxd.net',
      domain: 'krxd.net',
      organization: 'Salesforce',
      category: 'advertising',
      firstParty: false,
      sameOrganization: false,
    });
    expect(p.tracker?.key).toBe('krux_digital');
  });

  it('falls back to the domain for unknown hosts', () => {
    const p = resolveParty(kb, pageParty(kb, 'shop.example'), 'img.unknown-cdn.example', '/a.png');
    expect(p).toMatchObject({
      domain: 'unknown-cdn.example',
      organization: 'unknown-cdn.example',
      category: null,
      firstParty: false,
      sameOrganization: false,
      tracker: null,
    });
  });

  it('treats separate github.io sites as separate parties', () => {
    const p = resolveParty(kb, pageParty(kb, 'a.github.io'), 'b.github.io', '/');
    expect(p.firstParty).toBe(false);
    expect(p.sameOrganization).toBe(false);
  });

  it('handles IPs and localhost', () => {
    const page = pageParty(kb, '127.0.0.1');
    expect(page.site).toBe('127.0.0.1');
    expect(resolveParty(kb, page, '127.0.0.1', '/').firstParty).toBe(true);
    expect(resolveParty(kb, pageParty(kb, 'localhost'), 'localhost', '/').firstParty).toBe(true);
  });
});
