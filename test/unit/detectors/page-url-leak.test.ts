import { describe, expect, it } from 'vitest';
import { pageUrlLeak } from '../../../src/core/detectors/page-url-leak.ts';
import { harness, req } from '../leaks/helpers.ts';

const PAGE = 'https://shop.example.com/search/results?q=red+running+shoes&page=2';

describe('page-url-leak', () => {
  it('flags the page URL in a pixel parameter as sent on purpose', () => {
    const h = harness([pageUrlLeak], PAGE);
    const [f] = h.request(
      req(`https://www.facebook.com/tr/?id=1&ev=PageView&dl=${encodeURIComponent(PAGE)}`),
    );
    expect(f).toMatchObject({
      kind: 'page-url-leak',
      party: 'facebook.com',
      dataTypes: ['page-url'],
      encoding: 'plain',
    });
    expect(f?.evidence).toMatchObject({
      location: 'query',
      key: 'dl',
      rule: 'page-url-in-parameter:page-url',
    });
    expect(f?.explanation).toMatch(/on purpose/);
  });

  it('flags on-site search terms, base64-encoded in a JSON body', () => {
    const h = harness([pageUrlLeak], PAGE);
    const body = JSON.stringify({ s: btoa('red running shoes') });
    const [f] = h.request(
      req('https://collect.tracker.example/e', {
        method: 'POST',
        body: { kind: 'text', text: body, truncated: false, binary: false },
      }),
    );
    expect(f).toMatchObject({ dataTypes: ['search-terms'], encoding: 'base64' });
    expect(JSON.stringify(f?.evidence)).not.toContain('running');
  });

  it('tells the browser Referer apart', () => {
    const h = harness([pageUrlLeak], PAGE);
    const [f] = h.request(
      req('https://cdn.widgets.example/w.js', {
        requestHeaders: [{ name: 'Referer', value: PAGE }],
      }),
    );
    expect(f).toMatchObject({ dataTypes: ['referrer'], evidence: { location: 'referer-header' } });
    expect(f?.explanation).toMatch(/browser sent/);
  });

  it('does not flag an origin-only Referer, first-party requests, or unrelated values', () => {
    const h = harness([pageUrlLeak], PAGE);
    expect(
      h.request(
        req('https://cdn.widgets.example/w.js', {
          requestHeaders: [{ name: 'Referer', value: 'https://shop.example.com/' }],
        }),
      ),
    ).toEqual([]);
    expect(h.request(req(`https://shop.example.com/log?u=${encodeURIComponent(PAGE)}`))).toEqual(
      [],
    );
    expect(h.request(req('https://px.tracker.example/p?u=https%3A%2F%2Fother.example%2F'))).toEqual(
      [],
    );
  });

  it('a title unknown to the page context is not guessed', () => {
    const h = harness([pageUrlLeak], PAGE);
    expect(h.request(req('https://px.tracker.example/p?t=Nothing%20Here'))).toEqual([]);
  });
});
