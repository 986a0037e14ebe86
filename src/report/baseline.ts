// Baseline comparison: what changed since a previous report.json of the same sites.
import * as v from 'valibot';
import { FINDING_KINDS } from '../core/model.ts';
import { oneLine } from '../core/one-line.ts';
import type { FindingKind } from '../core/model.ts';
import type { PartyRef, Report, ReportDiff } from './types.ts';

/** Only what a diff needs, so a baseline from a newer minor writer still loads. */
const BaselineSchema = v.object({
  schemaVersion: v.literal(1),
  createdAt: v.string(),
  parties: v.array(
    v.object({
      site: v.string(),
      domain: v.string(),
      kinds: v.array(v.string()),
    }),
  ),
});
export type Baseline = v.InferOutput<typeof BaselineSchema>;

export class BaselineError extends Error {}

export function parseBaseline(text: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // V8 quotes the offending text, line breaks and all: keep the message on one line.
    throw new BaselineError(oneLine(`not JSON (${(err as Error).message})`));
  }
  const result = v.safeParse(BaselineSchema, data);
  if (!result.success) {
    const issue = result.issues[0];
    const path = issue ? (v.getDotPath(issue) ?? '') : '';
    // valibot quotes the received value as is: keep the message on one line.
    throw new BaselineError(
      oneLine(
        `not a schemaVersion 1 report.json (${path ? `${path}: ` : ''}${issue?.message ?? 'invalid'})`,
      ),
    );
  }
  return result.output;
}

const key = (p: PartyRef): string => `${p.site}|${p.domain}`;
const byRef = (a: PartyRef, b: PartyRef): number =>
  a.site.localeCompare(b.site) || a.domain.localeCompare(b.domain);

/** Parties of sites the current report did not audit are not "gone": they were not looked at. */
export function diffAgainstBaseline(current: Report, baseline: Baseline): ReportDiff {
  const sites = new Set(current.pages.filter((p) => p.error === null).map((p) => p.site));
  const before = new Map(baseline.parties.map((p) => [key(p), p]));
  const now = new Map(current.parties.map((p) => [key(p), p]));
  const newParties: PartyRef[] = [];
  const newKinds: ReportDiff['newKinds'] = [];
  for (const p of current.parties) {
    const old = before.get(key(p));
    if (!old) {
      newParties.push({ site: p.site, domain: p.domain });
      continue;
    }
    const had = new Set(old.kinds);
    const added = p.kinds.filter((k) => !had.has(k));
    if (added.length > 0) newKinds.push({ site: p.site, domain: p.domain, kinds: added });
  }
  const goneParties = baseline.parties
    .filter((p) => sites.has(p.site) && !now.has(key(p)))
    .map((p) => ({ site: p.site, domain: p.domain }));
  return {
    baselineCreatedAt: baseline.createdAt,
    newParties: newParties.sort(byRef),
    goneParties: goneParties.sort(byRef),
    newKinds: newKinds.sort(byRef),
  };
}

export const isFindingKind = (s: string): s is FindingKind =>
  (FINDING_KINDS as readonly string[]).includes(s);

/** One party of a site as the extension's saved baseline keeps it (no site: per-site row). */
export interface PartySummary {
  domain: string;
  organization: string;
  kinds: string[];
  dataTypes: string[];
}

export interface SummaryDiff {
  newParties: PartySummary[];
  goneParties: PartySummary[];
  /** Parties in both whose kinds or data types grew: only what was added. */
  newKinds: { domain: string; organization: string; kinds: string[]; dataTypes: string[] }[];
}

const byDomain = (a: { domain: string }, b: { domain: string }): number =>
  a.domain.localeCompare(b.domain);

/**
 * The extension's diff of a site's saved baseline against what is seen now, by party domain:
 * the same rule as `diffAgainstBaseline` (new, gone, kinds added), plus data types.
 */
export function diffPartySummaries(
  baseline: readonly PartySummary[],
  current: readonly PartySummary[],
): SummaryDiff {
  const before = new Map(baseline.map((p) => [p.domain, p]));
  const now = new Map(current.map((p) => [p.domain, p]));
  const newParties: PartySummary[] = [];
  const newKinds: SummaryDiff['newKinds'] = [];
  for (const p of now.values()) {
    const old = before.get(p.domain);
    if (!old) {
      newParties.push(p);
      continue;
    }
    const hadKinds = new Set(old.kinds);
    const hadTypes = new Set(old.dataTypes);
    const kinds = p.kinds.filter((k) => !hadKinds.has(k));
    const dataTypes = p.dataTypes.filter((t) => !hadTypes.has(t));
    if (kinds.length > 0 || dataTypes.length > 0) {
      newKinds.push({ domain: p.domain, organization: p.organization, kinds, dataTypes });
    }
  }
  const goneParties = [...before.values()].filter((p) => !now.has(p.domain));
  return {
    newParties: newParties.sort(byDomain),
    goneParties: goneParties.sort(byDomain),
    newKinds: newKinds.sort(byDomain),
  };
}
