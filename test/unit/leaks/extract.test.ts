import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractBody, extractRequest, extractUrl } from '../../../src/core/leaks/extract.ts';
import { MAX_TOKENS } from '../../../src/core/leaks/tokens.ts';
import { base64Encode } from '../../../src/core/leaks/codec.ts';
import { req } from './helpers.ts';

const find = (tokens: { key: string; value: string }[], key: string) =>
  tokens.filter((t) => t.key === key).map((t) => t.value);

describe('extractor', () => {
  it('keeps a UUID whole before splitting it', () => {
    const uuid = '79816aa8-435a-471a-be83-4b3e0946daf2';
    const x = extractUrl(`https://t.example/p?_kpid=${uuid}`);
    const values = find(x.tokens, '_kpid');
    expect(values[0]).toBe(uuid);
    expect(values).toContain('79816aa8'); // a piece, after the whole
  });

  it('reads path segments, query, fragment', () => {
    const x = extractRequest(req('https://t.example/u/AbC123xyz789/p.gif?a=1&b=two#frag=v4lue99'));
    expect(x.tokens.some((t) => t.location === 'path' && t.value === 'AbC123xyz789')).toBe(true);
    expect(find(x.tokens, 'b')).toContain('two');
    expect(
      x.tokens.some((t) => t.location === 'fragment' && t.key === 'frag' && t.value === 'v4lue99'),
    ).toBe(true);
  });

  it('flattens JSON bodies of any depth with dotted keys', () => {
    const body = JSON.stringify({
      context: { user: { email: 'a@b.co' } },
      properties: { contents: [{ content_id: 'sku-1' }] },
    });
    const x = extractBody(body);
    expect(find(x.tokens, 'context.user.email')).toContain('a@b.co');
    expect(find(x.tokens, 'properties.contents.0.content_id')).toContain('sku-1');
  });

  it('reads GA4-style newline batches as separate hits', () => {
    const x = extractBody('en=page_view&ep.a=1\nen=purchase&ep.transaction_id=T-991');
    expect(find(x.tokens, 'en')).toEqual(expect.arrayContaining(['page_view', 'purchase']));
    expect(find(x.tokens, 'ep.transaction_id')).toContain('T-991');
  });

  it('decodes a body that is base64 JSON, and nested layers in values', () => {
    const x = extractBody(base64Encode(JSON.stringify({ uid: 'Zq81kLmn02' })));
    expect(find(x.tokens, 'uid')).toContain('Zq81kLmn02');
    const inner = encodeURIComponent(base64Encode('id=Q7xkP0wqLm'));
    const y = extractUrl(`https://t.example/?d=${encodeURIComponent(inner)}`);
    const decoded = y.tokens.find((t) => t.value === 'Q7xkP0wqLm');
    expect(decoded?.encoding).toBe('url');
  });

  it('reads form bodies, multipart, Cookie and Referer headers, and redirects', () => {
    const form = req('https://t.example/tr', {
      method: 'POST',
      body: { kind: 'form', fields: { 'ud[em]': ['abc'] }, truncated: false },
      requestHeaders: [
        { name: 'Cookie', value: 'sid=Xy12Ab34Cd56; lang=en' },
        { name: 'Referer', value: 'https://shop.example/p?q=shoes' },
      ],
      redirectUrl: 'https://other.example/sync?uid=Zz99Yy88Xx',
    });
    const x = extractRequest(form);
    expect(find(x.tokens, 'ud[em]')).toEqual(['abc']);
    expect(x.tokens.some((t) => t.location === 'cookie-header' && t.key === 'sid')).toBe(true);
    expect(
      x.tokens.some((t) => t.location === 'referer-header' && t.key === 'q' && t.value === 'shoes'),
    ).toBe(true);
    expect(
      x.tokens.some(
        (t) => t.location === 'redirect' && t.key === 'uid' && t.value === 'Zz99Yy88Xx',
      ),
    ).toBe(true);

    const multi =
      '--XX\r\nContent-Disposition: form-data; name="email"\r\n\r\njo@ex.com\r\n--XX--\r\n';
    const m = extractBody(multi, 'multipart/form-data; boundary=XX');
    expect(find(m.tokens, 'email')).toContain('jo@ex.com');
  });

  it('caps a 5 MB body and says so', () => {
    const big = `a=${'x'.repeat(5 * 1024 * 1024)}`;
    const r = req('https://t.example/c', {
      method: 'POST',
      body: { kind: 'text', text: big, truncated: false, binary: false },
    });
    const x = extractRequest(r);
    expect(x.truncated).toBe(true);
    expect(x.notes.join(' ')).toMatch(/truncated/);
    expect(x.tokens.length).toBeLessThanOrEqual(MAX_TOKENS);
  });

  it('never throws and stays bounded on arbitrary input (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), fc.string({ maxLength: 300 }), (body, query) => {
        const r = req(
          `https://t.example/${encodeURIComponent(query)}?v=${encodeURIComponent(query)}`,
          {
            method: 'POST',
            body: { kind: 'text', text: body, truncated: false, binary: false },
            requestHeaders: [{ name: 'Cookie', value: query }],
          },
        );
        const x = extractRequest(r);
        expect(x.tokens.length).toBeLessThanOrEqual(MAX_TOKENS);
        extractBody(body, 'multipart/form-data; boundary=a');
        extractBody(`{"a":${JSON.stringify(body)}}`);
      }),
      { seed: 20250115, numRuns: 300 },
    );
  });

  it('keeps a value repeated under hundreds of keys once per key, and a repeat at one key once', () => {
    // A RUM beacon repeats "0" and "POST" under every event's keys (es.0.mg, es.1.mg, ...).
    const pairs = Array.from({ length: 400 }, (_, i) => `k${i}=0&m${i}=POST`);
    const x = extractBody([...pairs, 'k5=0', 'm7=POST', 'k5=0'].join('&'));
    const at = (value: string) => x.tokens.filter((t) => t.value === value).map((t) => t.key);
    expect(at('0')).toHaveLength(400);
    expect(new Set(at('0')).size).toBe(400);
    expect(at('POST')).toHaveLength(400);
    expect(find(x.tokens, 'k5')).toEqual(['0']);
    expect(find(x.tokens, 'm7')).toEqual(['POST']);
  });

  it('stays bounded on a deeply nested JSON and on a token bomb', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(() => extractBody(deep)).not.toThrow();
    const bomb = Array.from({ length: 20_000 }, (_, i) => `k${i}=v-${i}.a_b`).join('&');
    const x = extractBody(bomb);
    expect(x.tokens.length).toBeLessThanOrEqual(MAX_TOKENS);
    expect(x.truncated).toBe(true);
  });
});
