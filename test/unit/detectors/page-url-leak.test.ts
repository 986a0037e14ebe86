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

  it('finds the address sent whole and a search term inside a value, without the whole extraction', () => {
    // Requests without a body or encoded values get no full tokenization here (the glance):
    // an address is only ever a whole value, a one-word search term can be a piece of one.
    const sent = (page: string, url: string) => {
      const h = harness([pageUrlLeak], page);
      return h.request(req(url)).map((f) => [f.dataTypes, f.evidence.key]);
    };
    const PATH_PAGE = 'https://shop.example.com/shoes/red-sneakers';
    expect(
      sent(
        PATH_PAGE,
        `https://px.tracker.example/p.gif?ev=view&dl=${encodeURIComponent(PATH_PAGE)}`,
      ),
    ).toEqual([[['page-url'], 'dl']]);
    const SEARCH_PAGE = 'https://shop.example.com/find?q=sneakers';
    expect(
      sent(SEARCH_PAGE, 'https://px.tracker.example/p.gif?ev=search&kw=sneakers-sale'),
    ).toEqual([[['search-terms'], 'kw']]);
    expect(sent(SEARCH_PAGE, 'https://px.tracker.example/p.gif?ev=search&kw=sneakerssale')).toEqual(
      [],
    );
  });

  it('a title unknown to the page context is not guessed', () => {
    const h = harness([pageUrlLeak], PAGE);
    expect(h.request(req('https://px.tracker.example/p?t=Nothing%20Here'))).toEqual([]);
  });

  describe('the page title (Analyzer.setPageTitle)', () => {
    const TITLE = 'Council approves riverside flood barrier | The Riverside Courier';

    it('flags the title sent in a parameter, with its own rule and a masked preview', () => {
      const h = harness([pageUrlLeak], PAGE);
      const url = `https://www.google-analytics.com/g/collect?v=2&en=page_view&dt=${encodeURIComponent(TITLE)}`;
      // Not known yet: nothing to match.
      expect(h.request(req(url))).toEqual([]);
      h.analyzer.setPageTitle(h.page.pageId, `  ${TITLE.replace(' | ', '  |\n ')} `);
      const [f] = h.request(req(url));
      expect(f).toMatchObject({
        kind: 'page-url-leak',
        party: 'google-analytics.com',
        dataTypes: ['page-url'],
        evidence: { rule: 'page-title-in-parameter', location: 'query', key: 'dt' },
      });
      expect(f?.explanation).toMatch(/the title of the page/);
      expect(JSON.stringify(f?.evidence)).not.toContain('riverside');
    });

    it('flags the title in a JSON body, and follows a changed title', () => {
      const h = harness([pageUrlLeak], PAGE);
      h.analyzer.setPageTitle(h.page.pageId, 'Red running shoes, size 42 | Shop');
      h.analyzer.setPageTitle(h.page.pageId, TITLE);
      const [f] = h.request(
        req('https://collect.tracker.example/e', {
          method: 'POST',
          body: {
            kind: 'text',
            text: JSON.stringify({ ev: 'view', title: TITLE }),
            truncated: false,
            binary: false,
          },
        }),
      );
      expect(f).toMatchObject({ evidence: { rule: 'page-title-in-parameter', location: 'body' } });
    });

    it('follows a title that changes between requests', () => {
      // The pieces are kept per page and keyed by the title: a new title must replace them.
      const h = harness([pageUrlLeak], PAGE);
      const before = 'Red running shoes, size 42 | Shop';
      const dt = (host: string, title: string) =>
        req(`https://${host}/p?dt=${encodeURIComponent(title)}`);
      h.analyzer.setPageTitle(h.page.pageId, before);
      expect(h.request(dt('a.tracker.example', before))[0]).toMatchObject({
        party: 'tracker.example',
        evidence: { rule: 'page-title-in-parameter', key: 'dt' },
      });
      h.analyzer.setPageTitle(h.page.pageId, TITLE);
      expect(h.request(dt('px.other-tracker.example', TITLE))[0]).toMatchObject({
        party: 'other-tracker.example',
        evidence: { rule: 'page-title-in-parameter', key: 'dt' },
      });
      // The old title is no longer the page's: sending it is no title leak.
      expect(h.request(dt('px.third-tracker.example', before))).toEqual([]);
    });

    it('does not match short or generic titles', () => {
      for (const title of ['Shop', 'News today', 'Home | Welcome Page', 'Log in to your account']) {
        const h = harness([pageUrlLeak], PAGE);
        h.analyzer.setPageTitle(h.page.pageId, title);
        expect(
          h.request(req(`https://px.tracker.example/p?dt=${encodeURIComponent(title)}`)),
          title,
        ).toEqual([]);
      }
    });
  });
});
