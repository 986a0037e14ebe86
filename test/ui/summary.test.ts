import { describe, expect, it } from 'vitest';
import type { PartyRow } from '../../src/storage/db.ts';
import { groupParties } from '../../src/ui/shared/parties.ts';
import { countLine, summaryLine } from '../../src/ui/shared/summary.ts';
import { party } from './helpers.ts';

describe('countLine', () => {
  it.each([
    ['example.com', 0, 'No companies seen collecting data on example.com'],
    ['example.com', 1, '1 company collecting data on example.com'],
    ['example.com', 7, '7 companies collecting data on example.com'],
    ['\u202Emoc.live', 2, '2 companies collecting data on <U+202E>moc.live'],
  ])('%s, %i', (site, n, out) => {
    expect(countLine(site, n)).toBe(out);
  });
});

const p = (org: string, fields: Partial<PartyRow> = {}) =>
  party(`${org.toLowerCase().replace(/\W/g, '')}.example`, { organization: org, ...fields });

describe('summaryLine', () => {
  it.each<[string, PartyRow[], string]>([
    ['nothing at all', [], 'No other company has received anything from this page yet.'],
    [
      'content only',
      [p('Fonts Inc'), p('Images Co')],
      'No tracking seen. 2 other services only provided content such as scripts, fonts or images.',
    ],
    [
      'one collector, no data types',
      [p('Adco', { category: 'advertising' })],
      'Adco collects data here.',
    ],
    [
      'one collector with cookies',
      [p('Adco', { category: 'advertising', cookiesSet: 2, dataTypes: ['cookie-id'] })],
      'Adco collects data here, including cookie ID. It set cookies that can recognise you on other sites.',
    ],
    [
      'two collectors',
      [
        p('Meta', { dataTypes: ['email'] }),
        p('Google', { pixels: 1, dataTypes: ['page-url'], cookiesSet: 1 }),
      ],
      'Meta and Google collect data here, including email and page URL. 1 of them set cookies that can recognise you on other sites.',
    ],
    [
      'many collectors',
      [
        p('A', { pixels: 3 }),
        p('B', { pixels: 2 }),
        p('C', { pixels: 1 }),
        p('D', { category: 'advertising' }),
      ],
      'A, B and 2 others collect data here.',
    ],
    [
      'hostile names are shown, not obeyed',
      [p('\u202Eevil', { pixels: 1 })],
      '<U+202E>evil collects data here.',
    ],
  ])('%s', (_name, rows, out) => {
    expect(summaryLine(groupParties(rows))).toBe(out);
  });
});
