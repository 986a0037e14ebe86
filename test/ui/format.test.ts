import { describe, expect, it } from 'vitest';
import {
  categoryLabel,
  dataTypeLabel,
  isContentCategory,
  joinList,
  kindLabel,
  plural,
  visibleText,
} from '../../src/ui/shared/format.ts';
import { DATA_TYPES, FINDING_KINDS } from '../../src/core/model.ts';

describe('categoryLabel', () => {
  it.each([
    ['advertising', 'Advertising'],
    ['ad', 'Advertising'],
    ['site_analytics', 'Analytics'],
    ['analytics', 'Analytics'],
    ['social_media', 'Social media'],
    ['audio_video_player', 'Video player'],
    ['customer-success', 'Customer interaction'],
    ['pornvertising', 'Adult advertising'],
    ['tag-manager', 'Tag manager'],
    ['cdn', 'CDN'],
    ['misc', 'Tracker'],
    ['some_new_category', 'Some new category'],
    ['', 'Uncategorized'],
    [null, 'Uncategorized'],
  ])('%s -> %s', (id, label) => {
    expect(categoryLabel(id)).toBe(label);
  });
});

describe('isContentCategory', () => {
  it.each([
    ['hosting', true],
    ['cdn', true],
    ['utilities', true],
    ['advertising', false],
    ['site_analytics', false],
    [null, false],
  ])('%s -> %s', (id, expected) => {
    expect(isContentCategory(id)).toBe(expected);
  });
});

describe('labels', () => {
  it('has a label for every finding kind and data type', () => {
    for (const k of FINDING_KINDS) expect(kindLabel(k)).not.toBe(k);
    for (const d of DATA_TYPES) expect(dataTypeLabel(d)).toMatch(/^[a-z][a-zA-Z ]+$/);
  });

  it.each([
    ['page-url', 'page URL'],
    ['cookie-id', 'cookie ID'],
    ['email', 'email'],
    ['search-terms', 'search terms'],
  ] as const)('data type %s -> %s', (type, label) => {
    expect(dataTypeLabel(type)).toBe(label);
  });
});

describe('plural and joinList', () => {
  it.each([
    [0, 'request', undefined, '0 requests'],
    [1, 'request', undefined, '1 request'],
    [2, 'company', 'companies', '2 companies'],
  ])('plural(%i, %s)', (n, one, many, out) => {
    expect(plural(n, one, many)).toBe(out);
  });

  it.each([
    [[], ''],
    [['a'], 'a'],
    [['a', 'b'], 'a and b'],
    [['a', 'b', 'c'], 'a, b and c'],
  ])('joinList(%j)', (items, out) => {
    expect(joinList(items)).toBe(out);
  });
});

describe('visibleText', () => {
  it.each([
    ['plain', 'example.com', 'example.com'],
    ['zero-width space', 'goo\u200Bgle.com', 'goo<U+200B>gle.com'],
    ['right-to-left override', '\u202Emoc.elgoog', '<U+202E>moc.elgoog'],
    ['isolates and marks', '\u2066a\u2069\u200F', '<U+2066>a<U+2069><U+200F>'],
    ['byte order mark', '\uFEFFid', '<U+FEFF>id'],
    ['soft hyphen', 'ex\u00ADample', 'ex<U+00AD>ample'],
    ['markup stays literal', '<b>x</b>', '<b>x</b>'],
    ['right-to-left text is not touched', 'مثال.com', 'مثال.com'],
  ])('%s', (_name, input, out) => {
    expect(visibleText(input)).toBe(out);
  });

  it('cuts long strings with an ellipsis', () => {
    const out = visibleText('a'.repeat(1000), 50);
    expect(out).toHaveLength(50);
    expect(out.endsWith('…')).toBe(true);
    expect(visibleText('a'.repeat(50), 50)).toBe('a'.repeat(50));
  });
});
