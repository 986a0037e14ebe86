import { describe, expect, it } from 'vitest';
import { trackerRequest } from '../../../src/core/detectors/tracker-request.ts';
import { page, recorded, requestContext, newState } from '../helpers/context.ts';
import { request } from '../helpers/records.ts';

const detect = (pageUrl: string, url: string, state = newState()) => {
  const p = page(pageUrl);
  const req = request({ url });
  return trackerRequest.detectRequest(req, requestContext(p, req, state));
};

describe('tracker-request', () => {
  it('names tracker, organization, category, rule and list (nytimes.com → cdn.krxd.net)', () => {
    const { page: p, req } = recorded('krux-controltag');
    const [f, ...rest] = trackerRequest.detectRequest(req, requestContext(p, req));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      kind: 'tracker-request',
      site: 'nytimes.com',
      party: 'krxd.net',
      host: 'cdn.krxd.net',
      evidence: { rule: '||cdn.krxd.net^$3p', details: { pattern: 'krux_digital' } },
    });
    expect(f?.explanation).toContain('Salesforce DMP');
    expect(f?.explanation).toContain('Salesforce');
    expect(f?.explanation).toContain('advertising');
    expect(f?.explanation).toMatch(
      /matched \|\|cdn\.krxd\.net\^\$3p in Ghostery TrackerDB 1\.0\.\d+/,
    );
  });

  it.each([
    [
      'https://www.ferguson.com/',
      'https://www.google-analytics.com/analytics.js',
      'google_analytics',
    ],
    [
      'https://www.ferguson.com/',
      'https://www.facebook.com/tr/?id=1&ev=PageView',
      'facebook_custom_audience',
    ],
    ['https://www.ferguson.com/', 'https://px.ads.linkedin.com/collect?v=2', 'linkedin_ads'],
    [
      'https://www.youtube.com/',
      'https://www.google-analytics.com/g/collect?v=2',
      'google_analytics',
    ],
  ])('on %s flags %s', (pageUrl, url, key) => {
    const [f] = detect(pageUrl, url);
    expect(f?.evidence.details?.pattern).toBe(key);
  });

  it('says when the tracker belongs to the same company as the site', () => {
    const [f] = detect('https://www.youtube.com/', 'https://googleads.g.doubleclick.net/pagead/id');
    expect(f?.explanation).toContain('same company');
  });

  it.each([
    ['https://www.ferguson.com/', 'https://www.ferguson.com/wwwstatic/app.js'], // unknown first party
    ['https://www.nytimes.com/', 'https://static01.nyt.com/images/a.jpg'], // the site’s own pattern
    ['https://www.nytimes.com/', 'https://www.nytimes.com/svc/x.json'],
    ['https://www.ferguson.com/', 'https://images.example-cdn.org/a.jpg'], // unknown third party
    ['https://www.ferguson.com/', 'data:image/gif;base64,R0lGOD'],
  ])('ignores %s → %s', (pageUrl, url) => {
    expect(detect(pageUrl, url)).toEqual([]);
  });

  it('reports a tracker host once per page', () => {
    const state = newState();
    expect(detect('https://www.nytimes.com/', 'http://cdn.krxd.net/a', state)).toHaveLength(1);
    expect(detect('https://www.nytimes.com/', 'http://cdn.krxd.net/b', state)).toHaveLength(0);
  });
});
