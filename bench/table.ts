// One row per measurement, printed as a fixed-width table and written to results.json.
export interface Row {
  /** Section: core, startup, browser, storage, popup. */
  group: string;
  name: string;
  /** Our number, formatted with its unit ("4.1 µs", "1.01x"). */
  ours: string;
  /** The reference in the same run, when there is one. */
  reference: string;
  /** ours / reference, or the comparison the budget is about. */
  ratio: string;
  budget: string;
  /** true: holds, false: missed, null: no budget or not measured. */
  ok: boolean | null;
  /** How it was measured, or why it was not. */
  note?: string;
  /** Raw numbers for results.json. */
  values?: Record<string, number | string>;
}

export const fmt = {
  us: (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} µs`,
  ms: (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`,
  x: (v: number) => `${v.toFixed(2)}x`,
  perS: (v: number) => `${Math.round(v).toLocaleString('en-US')}/s`,
  mb: (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`,
};

export function notMeasured(group: string, name: string, budget: string, why: string): Row {
  return {
    group,
    name,
    ours: 'not measured',
    reference: '',
    ratio: '',
    budget,
    ok: null,
    note: why,
  };
}

const status = (ok: boolean | null) => (ok === null ? '' : ok ? 'ok' : 'MISSED');

/** Markdown table (what the README shows), notes as footnotes below it. */
export function renderTable(rows: readonly Row[]): string {
  const head = ['measurement', 'ours', 'reference', 'ratio', 'budget', ''];
  const body = rows.map((r) => [r.name, r.ours, r.reference, r.ratio, r.budget, status(r.ok)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const out = [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`];
  for (const b of body) out.push(line(b));
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.name}: ${r.note}`);
  return notes.length ? `${out.join('\n')}\n\n${notes.join('\n')}` : out.join('\n');
}
