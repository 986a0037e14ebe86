import { describe, expect, it } from 'vitest';
import { parseAuthorizedList } from '../../../src/report/authorized.ts';
import { buildReport } from '../../../src/report/build.ts';
import { META, sampleInput } from './rows.fixture.ts';
import { loadSchema, validator } from './schema-check.ts';

type Node = { [k: string]: unknown };

/** Every property in the schema carries a description, directly or on its $ref target. */
function undescribed(node: unknown, path: string, defs: Node): string[] {
  if (node === null || typeof node !== 'object') return [];
  const n = node as Node;
  const out: string[] = [];
  const props = n['properties'] as Node | undefined;
  for (const [k, v] of Object.entries(props ?? {})) {
    const p = v as Node;
    const ref =
      typeof p['$ref'] === 'string'
        ? defs[(p['$ref'] as string).split('/').pop() ?? '']
        : undefined;
    if (
      typeof p['description'] !== 'string' &&
      typeof (ref as Node | undefined)?.['description'] !== 'string'
    ) {
      out.push(`${path}.${k}`);
    }
    out.push(...undescribed(p, `${path}.${k}`, defs));
  }
  for (const key of ['items', '$defs']) {
    const child = n[key];
    if (key === '$defs' && child) {
      for (const [k, v] of Object.entries(child as Node))
        out.push(...undescribed(v, `$defs.${k}`, defs));
    } else if (child) out.push(...undescribed(child, `${path}[]`, defs));
  }
  return out;
}

describe('docs/report.schema.json', () => {
  it('describes every field', () => {
    const schema = loadSchema();
    expect(undescribed(schema, '', schema['$defs'] as Node)).toEqual([]);
  });

  it('accepts a built report, strictly (no undocumented field)', () => {
    const report = buildReport(sampleInput(), META, {
      authorized: parseAuthorizedList('tagvendor.test\n'),
      baseline: { schemaVersion: 1, createdAt: '2024-12-01T00:00:00.000Z', parties: [] },
    });
    expect(report.diff).toBeDefined();
    expect(validator(true)(report)).toEqual([]);
  });

  it('accepts an empty report and one with a failed page', () => {
    const empty = buildReport(
      { pages: [], parties: [], requests: [], cookies: [], findings: [] },
      META,
    );
    expect(validator(true)(empty)).toEqual([]);
    const failed = buildReport(
      {
        ...sampleInput(),
        failedPages: [
          {
            url: 'https://down.test/',
            site: 'down.test',
            visitedAt: 0,
            error: 'net::ERR_NAME_NOT_RESOLVED',
          },
        ],
      },
      META,
    );
    expect(validator(true)(failed)).toEqual([]);
  });

  it('rejects a renamed field', () => {
    const report = buildReport(sampleInput(), META) as unknown as Node;
    const pages = report['pages'] as Node[];
    const first = pages[0] as Node;
    first['visited'] = first['visitedAt'];
    delete first['visitedAt'];
    expect(validator(false)(report).length).toBeGreaterThan(0);
  });
});
