// Pure helpers over finding rows for display.
import type { FindingRow } from '../../storage/db.ts';

export interface ExplainedFinding {
  key: string;
  /** The first (newest, given newest-first input) finding with this wording. */
  finding: FindingRow;
  count: number;
}

/**
 * One line per kind, party and sentence: a pixel that fired 40 times is one line with a
 * count, not 40 identical lines. Keeps first-seen order.
 */
export function dedupeFindings(findings: readonly FindingRow[]): ExplainedFinding[] {
  const byKey = new Map<string, ExplainedFinding>();
  for (const f of findings) {
    const key = `${f.kind}|${f.party}|${f.explanation}`;
    const seen = byKey.get(key);
    if (seen) seen.count += 1;
    else byKey.set(key, { key, finding: f, count: 1 });
  }
  return [...byKey.values()];
}
