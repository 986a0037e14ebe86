// Raw personal data never reaches IndexedDB: run requests that carry an email, a phone and a
// typed value through the real analyzer, row mapping and writer, then search every stored
// row for the raw values and their easily reversible forms.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/core/analyzer.ts';
import { defaultSecrets, registerSecret } from '../../src/core/leaks/secrets.ts';
import type { RequestRecord } from '../../src/core/model.ts';
import { openDb, type LeakwatchDb } from '../../src/storage/db.ts';
import { createFindingFilter, pageRow, recordRequest } from '../../src/storage/rows.ts';
import { createWriter } from '../../src/storage/writer.ts';
import { allFindings } from '../../src/storage/findings.ts';

const EMAIL = 'jane.roe@example.org';
const TYPED = 'typed.person@mail.test';

function request(id: string, url: string, body: string | null = null): RequestRecord {
  return {
    id,
    url,
    method: body ? 'POST' : 'GET',
    type: body ? 'xmlhttprequest' : 'image',
    tabId: 3,
    frameId: 0,
    parentFrameId: -1,
    initiator: 'https://shop.test',
    documentUrl: 'https://shop.test/checkout?step=2',
    time: 2_000,
    body: body === null ? null : { kind: 'text', text: body, truncated: false, binary: false },
    requestHeaders: [],
    status: 200,
    responseHeaders: [],
    redirectUrl: null,
    error: null,
    fromCache: false,
  };
}

let db: LeakwatchDb | null = null;
afterEach(async () => {
  defaultSecrets.clear();
  if (db) {
    db.close();
    await db.delete();
    db = null;
  }
});

describe('privacy at rest', () => {
  it('stores findings about an email without the email, in any form', async () => {
    db = openDb(`privacy-${Date.now()}`);
    const writer = createWriter(db, { intervalMs: 10_000, maxRows: 10_000 });
    const analyzer = createAnalyzer();
    const page = analyzer.pageContext(
      '3-1000-x',
      'https://shop.test/account?email=' + EMAIL,
      3,
      1_000,
    );
    registerSecret('email', TYPED, { pageId: page.pageId }, { typed: true });
    const filter = createFindingFilter(new Set());
    writer.page(pageRow(page, false));

    const plainQuery = request(
      'r1',
      `https://px.tracker.test/p?em=${encodeURIComponent(EMAIL)}&ev=Lead`,
    );
    const jsonBody = request(
      'r2',
      'https://api.collector.test/v1/t',
      JSON.stringify({ user: { email: TYPED } }),
    );
    const b64 = Buffer.from(EMAIL).toString('base64');
    const base64Query = request('r3', `https://sync.adx.test/u?d=${b64}`);
    let findings = 0;
    for (const r of [plainQuery, jsonBody, base64Query]) {
      findings += recordRequest(analyzer, writer, filter, page, r).findings.filter(
        (f) => f.kind === 'pii-leak',
      ).length;
    }
    await writer.flushNow();

    // The leaks were found (so the test is about findings that exist) ...
    expect(findings).toBeGreaterThanOrEqual(2);
    // ... and no table holds the raw values or their url/base64 forms.
    const dump = JSON.stringify(await Promise.all(db.tables.map((t) => t.toArray()))).toLowerCase();
    for (const secret of [EMAIL, TYPED]) {
      for (const form of [
        secret,
        encodeURIComponent(secret),
        Buffer.from(secret).toString('base64'),
      ]) {
        expect(dump).not.toContain(form.toLowerCase());
      }
    }
    expect(
      (await allFindings(db)).filter((f) => f.kind === 'pii-leak').length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('stores a page address or initiator that holds a canary without it', async () => {
    db = openDb(`privacy-canary-${Date.now()}`);
    const writer = createWriter(db, { intervalMs: 10_000, maxRows: 10_000 });
    const analyzer = createAnalyzer();
    registerSecret('phone', '+1 415 555 0132');
    const page = analyzer.pageContext(
      '3-1000-z',
      'https://shop.test/thanks?phone=4155550132',
      3,
      1_000,
    );
    const filter = createFindingFilter(new Set());
    writer.page(pageRow(page, false));
    const pixel = {
      ...request(
        'r1',
        'https://www.facebook.com/tr?id=1&ev=Purchase&dl=https%3A%2F%2Fshop.test%2Fthanks',
      ),
      initiator: 'https://shop.test/thanks?phone=4155550132',
    };
    const a = recordRequest(analyzer, writer, filter, page, pixel);
    await writer.flushNow();

    expect(a.findings.length).toBeGreaterThan(0); // rows that name the page exist ...
    const dump = JSON.stringify(await Promise.all(db.tables.map((t) => t.toArray())));
    expect(dump).toContain('https://shop.test/thanks?phone=…');
    expect(dump).not.toContain('4155550132'); // ... without the canary
  });

  // Found by a hostile-input review of HAR imports, where each of these was kept raw.
  it('stores no email that came as a parameter name, escaped twice, in an initiator or as a cookie name', async () => {
    db = openDb(`privacy-odd-${Date.now()}`);
    const writer = createWriter(db, { intervalMs: 10_000, maxRows: 10_000 });
    const analyzer = createAnalyzer();
    const page = analyzer.pageContext(
      '3-1000-y',
      'https://shop.test/?e=gina%2540example.com',
      3,
      1_000,
    );
    const filter = createFindingFilter(new Set());
    writer.page(pageRow(page, false));
    const asName = request('r1', 'https://px.tracker.test/p?alice@example.com');
    const twice = request('r2', 'https://px.tracker.test/q?u=gina%2540example.com');
    const initiator = {
      ...request('r3', 'https://cdn.vendor.test/lib.js'),
      initiator: 'https://shop.test/account?email=bob@example.com',
    };
    const cookieNamed = {
      ...request('r4', 'https://px.tracker.test/c'),
      responseHeaders: [{ name: 'Set-Cookie', value: 'dave@example.com=1; Max-Age=99999' }],
    };
    for (const r of [asName, twice, initiator, cookieNamed])
      recordRequest(analyzer, writer, filter, page, r);
    await writer.flushNow();
    expect(await db.table('cookies').count()).toBe(1);

    const dump = JSON.stringify(await Promise.all(db.tables.map((t) => t.toArray()))).toLowerCase();
    expect(dump).toContain('px.tracker.test'); // the rows are there ...
    for (const raw of [
      'alice@',
      'alice%40',
      'bob@',
      'bob%40',
      'gina@',
      'gina%40',
      'gina%2540',
      'dave@',
    ]) {
      expect(dump).not.toContain(raw); // ... without the addresses
    }
  });
});
