// Validates reports against docs/report.schema.json. The strict variant forbids properties
// the schema does not describe, so a field added to the code but not to the docs fails.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const SCHEMA_PATH = resolve(import.meta.dirname, '../../../docs/report.schema.json');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function loadSchema(): { [k: string]: Json } {
  return JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { [k: string]: Json };
}

function strictCopy(node: Json): Json {
  if (Array.isArray(node)) return node.map(strictCopy);
  if (node === null || typeof node !== 'object') return node;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) out[k] = strictCopy(v);
  if (out['type'] === 'object' && out['properties'] && !('additionalProperties' in out)) {
    out['additionalProperties'] = false;
  }
  return out;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function validator(strict: boolean): (data: unknown) => string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addFormat('date-time', {
    validate: (s: string) => ISO.test(s) && !Number.isNaN(Date.parse(s)),
  });
  const schema = loadSchema();
  const validate = ajv.compile(strict ? (strictCopy(schema) as object) : schema);
  return (data) =>
    validate(data)
      ? []
      : (validate.errors ?? []).map(
          (e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
        );
}
