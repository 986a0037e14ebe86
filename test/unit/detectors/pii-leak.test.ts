import { describe, expect, it } from 'vitest';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { createPiiLeak } from '../../../src/core/detectors/pii-leak.ts';
import { cookieSharing } from '../../../src/core/detectors/cookie-sharing.ts';
import { idSync } from '../../../src/core/detectors/id-sync.ts';
import { pageUrlLeak } from '../../../src/core/detectors/page-url-leak.ts';
import { ecommerceLeak } from '../../../src/core/detectors/ecommerce-leak.ts';
import { SecretRegistry } from '../../../src/core/leaks/secrets.ts';
import { base64Encode, toHex } from '../../../src/core/leaks/codec.ts';
import { harness, req } from '../leaks/helpers.ts';

const EMAIL = 'jane.doe@example.com';
const hex = (f: (b: Uint8Array) => Uint8Array, s: string) => toHex(f(new TextEncoder().encode(s)));
const post = (url: string, text: string) =>
  req(url, { method: 'POST', body: { kind: 'text', text, truncated: false, binary: false } });

describe('pii-leak', () => {
  it('(a) finds an email address by pattern and masks it', () => {
    const h = harness([createPiiLeak(new SecretRegistry())]);
    const [f] = h.request(req(`https://px.tracker.example/p?e=${encodeURIComponent(EMAIL)}`));
    expect(f).toMatchObject({ kind: 'pii-leak', dataTypes: ['email'], encoding: 'plain' });
    expect(f?.evidence).toMatchObject({
      key: 'e',
      preview: 'j***@e***.com',
      rule: 'email-pattern',
    });
  });

  it.each([
    ['md5', hex(md5, EMAIL)],
    ['sha1', hex(sha1, EMAIL)],
    ['sha256', hex(sha256, EMAIL).toUpperCase()],
    ['sha512', hex(sha512, EMAIL)],
    ['base64', base64Encode(EMAIL)],
    ['url', encodeURIComponent(encodeURIComponent(EMAIL))],
  ])('(c) finds a canary sent as %s', (encoding, sent) => {
    const secrets = new SecretRegistry();
    secrets.register('email', ' Jane.Doe@Example.com', 'global');
    const h = harness([createPiiLeak(secrets)]);
    const [f] = h.request(req(`https://px.tracker.example/p?x=${encodeURIComponent(sent)}`));
    expect(f).toMatchObject({
      dataTypes: ['email'],
      encoding,
      evidence: { rule: 'canary', key: 'x' },
    });
  });

  it('(b) finds a typed value while it is still being typed, only on its page', () => {
    const secrets = new SecretRegistry();
    const h = harness([createPiiLeak(secrets)]);
    secrets.register('email', EMAIL, { pageId: h.page.pageId }, { typed: true });
    const body = JSON.stringify({ field: hex(sha256, EMAIL.slice(0, -1)) });
    const [f] = h.request(post('https://keys.recorder.example/c', body));
    expect(f).toMatchObject({
      encoding: 'sha256',
      evidence: { rule: 'typed-value', details: { typing: true } },
    });
    const other = harness([createPiiLeak(secrets)]);
    expect(other.request(post('https://keys.recorder.example/c', body))).toEqual([]);
  });

  it('phones: digits with and without country code', () => {
    const secrets = new SecretRegistry();
    secrets.register('phone', '+1 (415) 555-0134', 'global');
    const h = harness([createPiiLeak(secrets)]);
    const [f] = h.request(req(`https://tr.snapchat.com/p?u_hpn=${hex(sha256, '14155550134')}`));
    expect(f).toMatchObject({ dataTypes: ['phone'], encoding: 'sha256' });
    expect(f?.evidence.preview).toBe('+1 ***-***-**34');
  });

  it('(d) flags a digest in a hashed-PII pixel parameter without knowing the email', () => {
    const h = harness([createPiiLeak(new SecretRegistry())]);
    const digest = hex(sha256, 'someone@else.example');
    const [f] = h.request(req(`https://www.facebook.com/tr/?id=1&ev=Purchase&ud[em]=${digest}`));
    expect(f).toMatchObject({
      dataTypes: ['email'],
      encoding: 'sha256',
      evidence: { rule: 'hashed-pii-parameter', key: 'ud[em]' },
    });
    expect(f?.evidence.preview).toBe(`${digest.slice(0, 4)}…${digest.slice(-2)}`);
    const tiktok = JSON.stringify({ context: { user: { email: digest } } });
    expect(
      h.request(post('https://analytics.tiktok.com/api/v2/pixel', tiktok))[0]?.evidence.key,
    ).toBe('context.user.email');
  });

  it('(d) reads a hashed-PII name nested in a JSON body (OpenRTB user.hem)', () => {
    const h = harness([createPiiLeak(new SecretRegistry())]);
    const digest = hex(sha256, 'someone@else.example');
    const bid = JSON.stringify({ id: 'r1', user: { hem: digest }, site: { page: 'x' } });
    const [f] = h.request(post('https://sync.exchange.example/bid', bid));
    expect(f).toMatchObject({
      dataTypes: ['email'],
      encoding: 'sha256',
      evidence: { rule: 'hashed-pii-parameter', location: 'body', key: 'user.hem' },
    });
    // Only the last segment, and only with a digest in it.
    const plain = JSON.stringify({ user: { hem: 'not-a-digest' }, hem: { id: digest } });
    expect(h.request(post('https://sync.exchange.example/bid', plain))).toEqual([]);
  });

  it('does not flag empty-string digests, first parties, or image names', () => {
    const h = harness([createPiiLeak(new SecretRegistry())]);
    const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(h.request(req(`https://www.facebook.com/tr/?ud[em]=${empty}`))).toEqual([]);
    expect(h.request(req(`https://shop.example.com/account?e=${EMAIL}`))).toEqual([]);
    expect(h.request(req('https://cdn.images.example/logo@2x.png'))).toEqual([]);
  });

  it('no finding of any leak detector carries the raw email', () => {
    const secrets = new SecretRegistry();
    secrets.register('email', EMAIL, 'global');
    const h = harness([createPiiLeak(secrets), cookieSharing, idSync, pageUrlLeak, ecommerceLeak]);
    const body = `email=${encodeURIComponent(EMAIL)}&h=${hex(sha256, EMAIL)}&order_id=A-1&value=10&currency=EUR`;
    const findings = [
      ...h.request(req(`https://px.tracker.example/p?e=${EMAIL}&b=${base64Encode(EMAIL)}`)),
      ...h.request(post('https://collect.tracker.example/e', body)),
    ];
    expect(findings.filter((f) => f.kind === 'pii-leak').length).toBeGreaterThan(1);
    const json = JSON.stringify(findings);
    for (const form of [
      EMAIL,
      encodeURIComponent(EMAIL),
      base64Encode(EMAIL),
      hex(sha256, EMAIL),
    ]) {
      expect(json).not.toContain(form);
    }
  });
});
