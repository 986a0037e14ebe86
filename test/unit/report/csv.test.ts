import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/report/build.ts';
import { CSV_COLUMNS, csvCell, findingsCsv } from '../../../src/report/csv.ts';
import { HOSTILE, META, sampleInput } from './rows.fixture.ts';

/** A strict RFC 4180 parser: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n')
          throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  return rows;
}

describe('findings CSV', () => {
  it('round-trips through an RFC 4180 parser with a stable header', () => {
    const report = buildReport(sampleInput(), META);
    const text = findingsCsv(report);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + report.findings.length);
    const f = report.findings[0]!;
    const rec = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(rec).toMatchObject({
      kind: f.kind,
      page: f.page,
      requestUrl: f.requestUrl,
      explanation: f.explanation,
      dataTypes: 'page-url;cookie-id',
      encoding: 'url',
      preview: f.evidence.preview,
      key: `'${HOSTILE.formula}`,
      time: f.time,
    });
  });

  it('neutralizes formula starts and quotes only when needed', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(csvCell(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/);
    }
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=cmd|"x"')).toBe(`"'=cmd|""x"""`);
  });
});
