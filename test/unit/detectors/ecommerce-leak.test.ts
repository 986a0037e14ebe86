import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ecommerceLeak, normalizeKey } from '../../../src/core/detectors/ecommerce-leak.ts';
import { harness, req } from '../leaks/helpers.ts';

const post = (url: string, text: string) =>
  req(url, { method: 'POST', body: { kind: 'text', text, truncated: false, binary: false } });

describe('ecommerce-leak', () => {
  it('normalizes keys', () => {
    expect(normalizeKey('cd[contents].0.id')).toBe('cd[contents].id');
    expect(normalizeKey('pr12id')).toBe('pr#id');
    expect(normalizeKey('p3.id')).toBe('p#.id');
  });

  it('Meta Purchase: order id, value, currency, product ids from cd[...]', () => {
    const h = harness([ecommerceLeak]);
    const q = `ev=Purchase&cd[order_id]=ORD-88121&cd[value]=59.90&cd[currency]=EUR&cd[content_ids]=${encodeURIComponent('["sku-1","sku-2"]')}`;
    const [f] = h.request(req(`https://www.facebook.com/tr/?id=1&${q}`));
    expect(f?.dataTypes).toEqual(['order-id', 'order-value', 'currency', 'product-id']);
    expect(f?.evidence).toMatchObject({
      rule: 'ecommerce:meta',
      preview: 'order OR…1, 59.90 EUR, 2 product ids',
    });
  });

  it('GA4 batched purchase with pr1 items and UA purchase hits', () => {
    const h = harness([ecommerceLeak]);
    const body =
      'en=page_view\nen=purchase&ep.transaction_id=T-1001&epn.value=120.5&cu=USD&pr1=idSKU-9~nmShirt~pr60.25';
    const [f] = h.request(post('https://region1.google-analytics.com/g/collect?v=2&tid=G-1', body));
    expect(f?.dataTypes).toEqual(['order-id', 'order-value', 'currency', 'product-id']);
    const [ua] = h.request(
      req(
        'https://www.google-analytics.com/collect?t=event&pa=purchase&ti=T-2002&tr=10.00&cu=GBP&pr1id=P-7',
      ),
    );
    expect(ua?.evidence.rule).toBe('ecommerce:universal-analytics');
    expect(ua?.dataTypes).toContain('order-id');
  });

  it('TikTok JSON, Snap and Google Ads conversion parameters', () => {
    const h = harness([ecommerceLeak]);
    const tt = JSON.stringify({
      event: 'CompletePayment',
      properties: {
        order_id: 'TT-5',
        value: 12,
        currency: 'USD',
        contents: [{ content_id: 'c1' }],
      },
    });
    expect(h.request(post('https://analytics.tiktok.com/api/v2/pixel', tt))[0]?.dataTypes).toEqual([
      'order-id',
      'order-value',
      'currency',
      'product-id',
    ]);
    expect(
      h.request(req('https://tr.snapchat.com/p?ev=PURCHASE&e_tid=S-77&e_pr=9.99&e_cur=USD'))[0]
        ?.dataTypes,
    ).toEqual(['order-id', 'order-value', 'currency']);
    const gads = h.request(
      req(
        'https://www.googleadservices.com/pagead/conversion/123/?value=42.00&currency_code=EUR&oid=G-19',
      ),
    );
    expect(gads[0]?.evidence.rule).toBe('ecommerce:google-ads');
  });

  it('a price on a product view is not an order value', () => {
    const h = harness([ecommerceLeak]);
    const [f] = h.request(
      req(
        'https://www.facebook.com/tr/?ev=ViewContent&cd[value]=19.99&cd[currency]=EUR&cd[content_ids]=sku-3',
      ),
    );
    expect(f?.dataTypes).toEqual(['product-id']);
    expect(
      h.request(req('https://www.facebook.com/tr/?ev=PageView&cd[value]=19.99&cd[currency]=EUR')),
    ).toEqual([]);
  });

  it('generic names: order_id with revenue; a bare value without currency is nothing', () => {
    const h = harness([ecommerceLeak]);
    expect(
      h.request(req('https://px.shopstats.example/t?order_id=X-9&revenue=30&currency=CHF'))[0]
        ?.dataTypes,
    ).toEqual(['order-id', 'order-value', 'currency']);
    expect(h.request(req('https://px.shopstats.example/t?value=3'))).toEqual([]);
    expect(h.request(req('https://shop.example.com/t?order_id=X-9'))).toEqual([]);
  });

  it('reads a data key in any case, with digits to normalize, or spelled with a Kelvin sign', () => {
    // The glance's name check rules out most names by their shape: none of these may be.
    const h = harness([ecommerceLeak]);
    expect(h.request(req('https://px.shopstats.example/t?SKU=AB-1'))[0]?.dataTypes).toEqual([
      'product-id',
    ]);
    expect(
      h.request(req('https://px.shopstats.example/u?ORDER_ID=X-9&Revenue=30&CURRENCY=CHF'))[0]
        ?.dataTypes,
    ).toEqual(['order-id', 'order-value', 'currency']);
    // U+212A lower-cases to 'k': normalizeKey reads 's\u212au' as 'sku', and so must the check.
    expect(h.request(req('https://px.shopstats.example/v?s%E2%84%AAu=CD-2'))[0]?.dataTypes).toEqual(
      ['product-id'],
    );
  });
});

describe('ecommerce-leak on the purchase-pixel fixture', () => {
  const fixture = JSON.parse(
    readFileSync(resolve(import.meta.dirname, '../../fixtures/leaks/purchase-pixels.json'), 'utf8'),
  ) as {
    requests: {
      vendor: string;
      method: string;
      url: string;
      form?: Record<string, string[]>;
      expect: string[];
    }[];
  };
  it.each(fixture.requests)('$vendor', (r) => {
    const h = harness([ecommerceLeak]);
    const body = r.form ? { kind: 'form' as const, fields: r.form, truncated: false } : null;
    const [f] = h.request(req(r.url, { method: r.method, body }));
    expect(f?.dataTypes).toEqual(r.expect);
    expect(f?.evidence.rule).toBe(`ecommerce:${r.vendor}`);
  });
});
