// key-logging: a third-party script that captures what the user types before the form is
// submitted. Two levels of evidence:
// - strong: a request from the script carried the value of an email, phone or name field
//   being typed (seen in the relay, before any submit): rule 'typed value sent';
// - behavioural: the script listens to keystrokes or input on form fields (or the whole
//   document) and reads the value of an identifying field (Blacklight's listener idea,
//   notes/detection-methods.md §5.2, narrowed to scripts that also read the field).
// Listening alone is not reported: menus, search boxes and shortcuts listen to keys.
import type { DataType, Finding } from '../model.ts';
import { describeParty, makeFinding } from '../detectors/finding.ts';
import type { FieldKind, PageEvent } from './events.ts';
import { describeScriptFirst, firstReport, isThirdParty, type DetectorContext } from './state.ts';

export const KEY_EVENTS = new Set([
  'keydown',
  'keyup',
  'keypress',
  'input',
  'beforeinput',
  'change',
]);
const KEY_TARGETS = new Set(['input', 'textarea', 'form', 'document', 'window', 'body']);

const DATA_TYPE: Record<FieldKind, DataType | null> = {
  email: 'email',
  phone: 'phone',
  name: 'name',
  password: null,
};

export function listensToKeys(listeners: ReadonlySet<string>): boolean {
  for (const l of listeners) {
    const [type = '', target = ''] = l.split('|');
    if (KEY_EVENTS.has(type) && KEY_TARGETS.has(target)) return true;
  }
  return false;
}

export function detectKeyLogging(e: PageEvent, ctx: DetectorContext): Finding[] {
  const s = ctx.script;
  if (e.t === 'typed-sent') {
    const to = ctx.partyOf(e.url);
    if (!e.beforeSubmit || (!isThirdParty(to) && !isThirdParty(s.party))) return [];
    if (!firstReport(ctx.state, `key-logging|sent|${to.domain}|${e.field}`)) return [];
    const type = DATA_TYPE[e.field];
    return [
      makeFinding({
        kind: 'key-logging',
        page: ctx.page,
        party: isThirdParty(to) ? to : s.party,
        requestUrl: e.url,
        time: e.time,
        dataTypes: type ? [type] : [],
        encoding: e.encoding,
        explanation:
          `${describeScriptFirst(s)} sent what was being typed into the ${e.field} field to ` +
          `${describeParty(to)} before the form was submitted.`,
        evidence: {
          rule: 'typed value sent before submit',
          location: 'body',
          ...(s.url ? { scriptUrl: s.url } : {}),
          details: { field: e.field, via: e.tag },
        },
      }),
    ];
  }
  if (e.t !== 'listener' && e.t !== 'value-read') return [];
  if (!isThirdParty(s.party) || !listensToKeys(s.listeners)) return [];
  const field =
    [...s.fieldReads].find((f) => f !== 'password') ?? (s.fieldReads.size ? 'password' : null);
  if (!field) return [];
  if (!firstReport(ctx.state, `key-logging|listen|${s.url ?? s.frameUrl}`)) return [];
  const type = DATA_TYPE[field];
  return [
    makeFinding({
      kind: 'key-logging',
      page: ctx.page,
      party: s.party,
      requestUrl: null,
      time: e.time,
      dataTypes: type ? [type] : [],
      explanation:
        `${describeScriptFirst(s)} from ${describeParty(s.party)} listens to keystrokes and reads ` +
        `the ${field} field while it is being filled in.`,
      evidence: {
        rule: 'keyboard/input listener and identifying field read',
        ...(s.url ? { scriptUrl: s.url } : {}),
        details: { field, listeners: [...s.listeners].slice(0, 8).join(',') },
      },
    }),
  ];
}
