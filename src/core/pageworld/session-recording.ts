// session-recording: a session-replay service recording the page. Three independent signals,
// each attributed to the script that acted:
// - endpoint: the script loaded or sent data to a known replay service (./recorders.ts);
// - payload: a request body looked like a DOM recording (rrweb snapshot/mutations; judged in
//   the relay, which saw the body);
// - behaviour: a third-party script watches the whole DOM for changes (MutationObserver with
//   subtree on the document or body), listens to the mouse and to keys or input, and sends
//   data out: together, what every recorder does and ordinary widgets do not.
import type { Finding, PartyInfo } from '../model.ts';
import { describeParty, makeFinding } from '../detectors/finding.ts';
import type { PageEvent } from './events.ts';
import { listensToKeys } from './key-logging.ts';
import { recorderOf } from './recorders.ts';
import { describeScript, firstReport, isThirdParty, type DetectorContext } from './state.ts';

const MOUSE_EVENTS = new Set([
  'mousemove',
  'pointermove',
  'mousedown',
  'click',
  'scroll',
  'touchmove',
]);

function listensToMouse(listeners: ReadonlySet<string>): boolean {
  for (const l of listeners) if (MOUSE_EVENTS.has(l.split('|')[0] ?? '')) return true;
  return false;
}

function report(
  ctx: DetectorContext,
  party: PartyInfo,
  service: string,
  rule: string,
  requestUrl: string | null,
  time: number,
  how: string,
): Finding[] {
  if (!firstReport(ctx.state, `session-recording|${party.domain}|${service}`)) return [];
  const s = ctx.script;
  return [
    makeFinding({
      kind: 'session-recording',
      page: ctx.page,
      party,
      requestUrl,
      time,
      dataTypes: [],
      explanation:
        `${describeParty(party)} records this page session (${service}): ${how}. Replays can ` +
        `include everything shown and typed on the page.`,
      evidence: { rule, ...(s.url ? { scriptUrl: s.url } : {}), details: { service } },
    }),
  ];
}

export function detectSessionRecording(e: PageEvent, ctx: DetectorContext): Finding[] {
  const s = ctx.script;
  if (e.t === 'load') {
    const service = recorderOf(e.url) ?? (s.url ? recorderOf(s.url) : null);
    if (service) {
      const party = ctx.partyOf(e.url);
      return report(
        ctx,
        party.domain ? party : s.party,
        service.name,
        'known session-replay service',
        e.url,
        e.time,
        `${describeScript(s)} talks to its recording service`,
      );
    }
    if (e.recording) {
      const party = ctx.partyOf(e.url);
      if (isThirdParty(party) || isThirdParty(s.party)) {
        return report(
          ctx,
          isThirdParty(party) ? party : s.party,
          'DOM recording payload',
          'session-replay payload (rrweb-style DOM snapshot)',
          e.url,
          e.time,
          `${describeScript(s)} sent a recording of the page's DOM`,
        );
      }
    }
  }
  if (!['load', 'listener', 'observe'].includes(e.t)) return [];
  if (!isThirdParty(s.party) || !s.observesDocument || s.sends === 0) return [];
  if (!listensToMouse(s.listeners) || !listensToKeys(s.listeners)) return [];
  return report(
    ctx,
    s.party,
    'recording behaviour',
    'DOM observer + mouse and key listeners + sends data',
    null,
    e.time,
    `${describeScript(s)} watches every DOM change, mouse movement and keystroke and sends them out`,
  );
}
