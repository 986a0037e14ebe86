// storage-identifier: an identifier-like value kept in localStorage or sessionStorage by a
// third party (the "supercookie" pattern: it survives cookie clearing and third-party cookie
// blocking). The value test is the identifier-cookie one (length, entropy, not a timestamp or
// a word), run in the relay; only the verdict arrives here. Third party means the writing
// script's host, or, for code with no script URL, the frame's document.
import type { Finding } from '../model.ts';
import { describeParty, makeFinding } from '../detectors/finding.ts';
import type { PageEvent } from './events.ts';
import { describeScriptFirst, firstReport, isThirdParty, type DetectorContext } from './state.ts';

export function detectStorageIdentifier(e: PageEvent, ctx: DetectorContext): Finding[] {
  if (e.t !== 'storage-write' || !e.identifierLike) return [];
  const s = ctx.script;
  // A first-party script inside a third-party frame still writes into that party's storage.
  const owner = isThirdParty(s.party) ? s.party : s.frameParty;
  if (!isThirdParty(owner)) return [];
  if (!firstReport(ctx.state, `storage-identifier|${owner.domain}|${e.area}|${e.key}`)) return [];
  const where = e.area === 'local' ? 'localStorage' : 'sessionStorage';
  const lasting =
    e.area === 'local' ? 'stays until the user clears site data' : 'lasts for the tab';
  // A property assignment is found by comparing storage after a script ran, so the script
  // is named by timing, not by a stack: say so.
  const how =
    e.via === 'assignment'
      ? s.url
        ? ' (by property assignment, seen right after this script ran)'
        : ' (by property assignment; the script could not be told)'
      : '';
  return [
    makeFinding({
      kind: 'storage-identifier',
      page: ctx.page,
      party: owner,
      requestUrl: null,
      time: e.time,
      dataTypes: ['user-id'],
      explanation:
        `${describeScriptFirst(s)} from ${describeParty(owner)} stored an identifier-like value ` +
        `(${e.valueLength} characters, about ${Math.round(e.entropyBits)} bits) under "${e.key}" ` +
        `in ${where}${how}; it ${lasting} and can recognise this browser even without cookies.`,
      evidence: {
        rule: 'identifier-like value written to web storage by a third party',
        key: e.key,
        preview: `#${e.hash.slice(0, 8)}`,
        ...(s.url ? { scriptUrl: s.url } : {}),
        details: {
          area: e.area,
          ...(e.via ? { via: e.via } : {}),
          valueLength: e.valueLength,
          entropyBits: e.entropyBits,
          frame: s.frameUrl.slice(0, 512),
        },
      },
    }),
  ];
}
