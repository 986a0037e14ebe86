import { describe, expect, it } from 'vitest';
import { TrackerKnowledge, defaultKnowledge } from '../../src/core/trackers.ts';
import * as data from '../../src/data/trackers.ts';

const kb = defaultKnowledge();

describe('TrackerKnowledge.match', () => {
  // Hosts seen in the bench HARs (ferguson.har, www.nytimes.com.har); expectations read
  // from @ghostery/trackerdb's trackerdb.json.
  it.each([
    ['www.google-analytics.com', '/analytics.js', 'google_analytics', 'Google', 'site_analytics'],
    ['connect.facebook.net', '/en_US/fbevents.js', 'facebook_connect', 'Meta', 'site_analytics'],
    ['px.ads.linkedin.com', '/collect', 'linkedin_ads', 'Microsoft', 'advertising'],
    ['cdn.krxd.net', '/controltag', 'krux_digital', 'Salesforce', 'advertising'],
    ['beacon.krxd.net', '/pixel.gif', 'krux_digital', 'Salesforce', 'advertising'],
    [
      '3951336.fls.doubleclick.net',
      '/activityi;src=3951336',
      'doubleclick_floodlight',
      'Google',
      'advertising',
    ],
    ['googleads.g.doubleclick.net', '/pagead/ads', 'doubleclick', 'Google', 'advertising'],
  ])('%s%s → %s', (host, path, key, org, category) => {
    const m = kb.match(host, path);
    expect(m).toMatchObject({ key, organization: org, category });
    expect(m?.list).toBe(`Ghostery TrackerDB ${kb.version}`);
  });

  it('refines a host match with path filters', () => {
    // google.com is Google; google.com/pagead/lvz is listed under DoubleClick.
    expect(kb.match('www.google.com', '/search')?.key).toBe('google');
    expect(kb.match('www.google.com', '/search')?.rule).toBe('google.com');
    const m = kb.match('www.google.com', '/pagead/lvz?x=1');
    expect(m?.key).toBe('doubleclick');
    expect(m?.rule).toBe('||google.com/pagead/lvz');
    // facebook.com is Facebook; facebook.com/tr is the Custom Audience pixel.
    expect(kb.match('www.facebook.com', '/tr/')?.key).toBe('facebook_custom_audience');
    // A GA path on a DoubleClick host belongs to Google Analytics.
    expect(kb.match('stats.g.doubleclick.net', '/__utm.gif')?.key).toBe('google_analytics');
  });

  it('honours the ^ separator at the end of a filter', () => {
    expect(kb.match('www.google.com', '/maps/place/x')?.key).toBe('google_maps');
    expect(kb.match('www.google.com', '/mapsfoo')?.key).toBe('google');
  });

  it('uses host-only filters for subdomains the domain list lacks', () => {
    expect(kb.match('badge.facebook.com', '/v1')).toMatchObject({
      key: 'facebook_social_plugins',
      rule: '||badge.facebook.com^$3p',
    });
  });

  it.each([
    ['www.ferguson.com', '/'],
    ['images.example.org', '/a.jpg'],
    ['', '/'],
    ['com', '/'],
    ['localhost', '/'],
  ])('%s is not a tracker', (host, path) => {
    expect(kb.match(host, path)).toBeNull();
  });

  it('knows CDNs as hosting, not advertising', () => {
    expect(kb.match('cdn.jsdelivr.net', '/npm/x.js')?.category).toBe('hosting');
  });
});

describe('organizations', () => {
  it.each([
    ['google.com', 'Google'],
    ['youtube.com', 'Google'],
    ['ytimg.com', 'Google'],
    ['doubleclick.net', 'Google'],
    ['facebook.com', 'Meta'],
    ['facebook.net', 'Meta'],
    ['fbcdn.net', 'Meta'],
    ['instagram.com', 'Meta'],
    ['linkedin.com', 'Microsoft'],
    ['nytimes.com', 'The New York Times Company'],
    ['ferguson.com', null],
  ])('%s → %s', (domain, org) => {
    expect(kb.organizationOfDomain(domain)).toBe(org);
  });
});

describe('index', () => {
  it('is small, cites its sources and loads fast', () => {
    const size = data.ORGANIZATIONS.length + data.PATTERNS.length + data.HOSTS.length;
    expect(size).toBeLessThan(400 * 1024);
    expect(data.SOURCES.join()).toContain('CC BY-NC-SA 4.0');
    expect(data.SOURCES.join()).toContain('MIT');
    const fresh = new TrackerKnowledge();
    expect(fresh.match('www.google-analytics.com', '/collect')?.name).toBe('Google Analytics');
  });
});
