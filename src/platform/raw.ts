// Defensive readers for raw browser `details` objects. Everything a listener receives is
// treated as unknown: a browser bug, an API change or a fuzzing test must yield "field
// missing", never an exception.
import type { Header } from '../core/model.ts';

export type Raw = Record<string, unknown>;

export function asRecord(value: unknown): Raw | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Raw)
    : null;
}

export function str(obj: Raw, key: string): string | null {
  const v = obj[key];
  return typeof v === 'string' ? v : null;
}

export function num(obj: Raw, key: string): number | null {
  const v = obj[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function bool(obj: Raw, key: string): boolean | null {
  const v = obj[key];
  return typeof v === 'boolean' ? v : null;
}

/** Header arrays as webRequest gives them; binaryValue (bytes) is ignored on purpose. */
export function headers(value: unknown): Header[] {
  if (!Array.isArray(value)) return [];
  const out: Header[] = [];
  for (const item of value) {
    const h = asRecord(item);
    if (!h) continue;
    const name = str(h, 'name');
    const val = str(h, 'value');
    if (name !== null) out.push({ name, value: val ?? '' });
  }
  return out;
}

/** Ids arrive as strings in both browsers; accept numbers too, for robustness. */
export function idOf(obj: Raw, key: string): string | null {
  const v = obj[key];
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}
