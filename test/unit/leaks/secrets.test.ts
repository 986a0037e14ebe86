// The secret registry's canary lifecycle: canaries can be dropped (clearGlobal) and the
// remaining list registered again, without touching values typed on pages.
import { describe, expect, it } from 'vitest';
import {
  SecretRegistry,
  canaryPreview,
  isUsableCanary,
  replaceCanaries,
} from '../../../src/core/leaks/secrets.ts';

const EMAIL = 'jane.reader@example.com';
const PHONE = '+1 (555) 555-0123';

describe('SecretRegistry.clearGlobal', () => {
  it('forgets the canaries and keeps the values typed on pages', () => {
    const r = new SecretRegistry();
    const canary = r.register('email', EMAIL)!;
    const typed = r.register(
      'email',
      'typed.person@example.org',
      { pageId: 'p1' },
      { typed: true },
    )!;
    const [global, page] = r.indexesFor('p1');
    expect(global!.has(canary)).toBe(true);
    expect(page!.has(typed)).toBe(true);

    r.clearGlobal();
    const [global2, page2] = r.indexesFor('p1');
    expect(global2!.has(canary)).toBe(false);
    expect(page2!.has(typed)).toBe(true);
    // The typed value is still known (idempotent), the canary is not: registering it again
    // makes a new secret in the new index.
    expect(r.register('email', 'typed.person@example.org', { pageId: 'p1' }, { typed: true })).toBe(
      typed,
    );
    const again = r.register('email', EMAIL)!;
    expect(again).not.toBe(canary);
    expect(r.indexesFor('p1')[0]!.has(again)).toBe(true);
  });

  it('replaceCanaries registers exactly the new list', () => {
    const r = new SecretRegistry();
    expect(replaceCanaries([EMAIL, PHONE], r)).toBe(2);
    const phone = r.register('phone', PHONE)!; // idempotent: the registered one
    expect(r.indexesFor('x')[0]!.has(phone)).toBe(true);
    expect(replaceCanaries([EMAIL, 'abc'], r)).toBe(1); // 'abc' is too short
    expect(r.indexesFor('x')[0]!.has(phone)).toBe(false);
    expect(replaceCanaries([], r)).toBe(0);
  });
});

describe('canary helpers', () => {
  it('previews are masked and never contain the raw value', () => {
    const e = canaryPreview(`  ${EMAIL} `);
    expect(e.kind).toBe('email');
    expect(e.preview).not.toContain('jane.reader');
    expect(e.preview).toMatch(/^j\*+@e\*+\.com$/);
    const p = canaryPreview(PHONE);
    expect(p.kind).toBe('phone');
    expect(p.preview).not.toContain('5550123');
  });

  it('refuses values too short to match safely', () => {
    expect(isUsableCanary(EMAIL)).toBe(true);
    expect(isUsableCanary('a@b.c')).toBe(false);
    expect(isUsableCanary('   ')).toBe(false);
  });
});
