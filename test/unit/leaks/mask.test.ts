import { describe, expect, it } from 'vitest';
import { maskUrl } from '../../../src/core/leaks/mask.ts';

describe('maskUrl', () => {
  it('keeps parameter names, but not a name that is the data itself', () => {
    expect(maskUrl('https://t.test/p?zMoatAdUnit1=x&em=jane%40example.com')).toBe(
      'https://t.test/p?zMoatAdUnit1=…&em=…',
    );
    expect(maskUrl('https://t.test/p?alice@example.com&14155550123=1&ok=1')).toBe(
      'https://t.test/p?…=…&…=…&ok=…',
    );
  });

  it('cuts path segments that look like values', () => {
    expect(maskUrl('https://t.test/u/jane@example.com/p.gif')).toBe('https://t.test/u/…/p.gif');
  });
});
