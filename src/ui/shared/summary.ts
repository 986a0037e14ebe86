// The popup header's two lines, in plain words for someone who is not an expert.
import type { DataType } from '../../core/model.ts';
import { DATA_TYPES } from '../../core/model.ts';
import { dataTypeLabel, joinList, plural, visibleText } from './format.ts';
import type { GroupedParties } from './parties.ts';

/** "7 companies collecting data on example.com". */
export function countLine(site: string, trackingCompanies: number): string {
  const where = visibleText(site, 80);
  if (trackingCompanies === 0) return `No companies seen collecting data on ${where}`;
  return `${plural(trackingCompanies, 'company', 'companies')} collecting data on ${where}`;
}

/** Names the first two companies and counts the rest: "Google, Meta and 5 others". */
function leadNames(names: readonly string[]): string {
  const shown = names.slice(0, 2).map((n) => visibleText(n, 40));
  const rest = names.length - shown.length;
  if (rest === 0) return joinList(shown);
  return `${shown.join(', ')} and ${plural(rest, 'other')}`;
}

/**
 * One or two sentences: who collects, what they take, and whether they can recognise the
 * person later (cookies). Built from the grouped rows, so it always agrees with the list.
 */
export function summaryLine(groups: GroupedParties): string {
  const { tracking, other } = groups;
  if (tracking.length === 0) {
    if (other.length === 0) return 'No other company has received anything from this page yet.';
    return `No tracking seen. ${plural(other.length, 'other service')} only provided content such as scripts, fonts or images.`;
  }
  const taken = new Set<DataType>();
  for (const g of tracking) for (const d of g.dataTypes) taken.add(d);
  const what = DATA_TYPES.filter((d) => taken.has(d)).map(dataTypeLabel);
  const verb = tracking.length === 1 ? 'collects' : 'collect';
  let text = `${leadNames(tracking.map((g) => g.organization))} ${verb} data here`;
  text += what.length > 0 ? `, including ${joinList(what)}.` : '.';
  const cookieSetters = tracking.filter((g) => g.cookiesSet > 0).length;
  if (cookieSetters > 0) {
    text +=
      cookieSetters === 1 && tracking.length === 1
        ? ' It set cookies that can recognise you on other sites.'
        : ` ${cookieSetters} of them set cookies that can recognise you on other sites.`;
  }
  return text;
}
