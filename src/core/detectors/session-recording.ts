// session-recording on the network side: a request to a known session-replay service, or a
// third-party request whose body is a DOM recording. Works on live traffic and on HAR files
// (no page world needed), so offline audits find recorders too. The page-world detector
// (../pageworld/session-recording.ts) adds the script and behaviour; both report once per page and
// service, under the same rule names.
import type { Finding, RequestRecord } from '../model.ts';
import type { RequestContext, RequestDetector } from './types.ts';
import { describeParty, firstTimeOnPage, makeFinding } from './finding.ts';
import { isRecordingPayload } from '../pageworld/payload.ts';
import { RECORDERS, recorderOf } from '../pageworld/recorders.ts';
import { registrableDomain } from '../party.ts';

/** Every host suffix of a known recorder, for the pre-check below. */
const RECORDER_HOSTS: ReadonlySet<string> = new Set(RECORDERS.flatMap((r) => r.hosts));

/**
 * Pre-check for recorderOf, which parses the URL again: a recorder's host is `h` or ends in
 * `.h`, so a host none of whose dot-suffixes is a recorder host cannot be one. Only a host
 * that passes (or a URL without a network host, left to recorderOf) pays for the parse.
 * The detector asks only for hosts under a recorder's domain (RECORDER_DOMAINS below),
 * which turns nearly every request away first.
 */
export function mayBeRecorderHost(host: string): boolean {
  if (host === '') return true;
  if (RECORDER_HOSTS.has(host)) return true;
  for (let i = host.indexOf('.'); i !== -1; i = host.indexOf('.', i + 1)) {
    if (RECORDER_HOSTS.has(host.slice(i + 1))) return true;
  }
  return false;
}

/**
 * The registrable domains of the recorder host suffixes. A host equal to or under a suffix
 * has that suffix's domain (no public-suffix rule lies under a recorder host:
 * test/unit/leaks/prechecks.test.ts), so a request whose party domain is none of these is
 * no recorder's. The party's domain is a string the party cache keeps from request to
 * request, so this lookup hashes nothing new (a piece sliced from the host would be a
 * fresh string to hash on every request).
 */
export const RECORDER_DOMAINS: ReadonlySet<string> = new Set(
  [...RECORDER_HOSTS].map((h) => registrableDomain(h)),
);

export const sessionRecordingRequests: RequestDetector = {
  id: 'session-recording',
  kinds: ['session-recording'],
  detectRequest(req: RequestRecord, ctx: RequestContext): Finding[] {
    const { party } = ctx;
    if (party.firstParty) return [];
    // A cloaked host's party is the tracker's: its own domain is looked up then.
    const domain = ctx.cname ? registrableDomain(ctx.url.host) : party.domain;
    const service =
      RECORDER_DOMAINS.has(domain) && mayBeRecorderHost(ctx.url.host) ? recorderOf(req.url) : null;
    const payload =
      !service &&
      req.body?.kind === 'text' &&
      !req.body.binary &&
      isRecordingPayload(req.body.text);
    if (!service && !payload) return [];
    const name = service?.name ?? 'DOM recording payload';
    if (!firstTimeOnPage(ctx.state.scratch, this.id, `${party.domain}|${name}`)) return [];
    return [
      makeFinding({
        kind: 'session-recording',
        page: ctx.page,
        party,
        requestUrl: req.url,
        time: req.time,
        explanation:
          `${describeParty(party)} records this page session (${name}): ` +
          (service
            ? 'the page talks to its recording service. '
            : 'a request carried a recording of the page. ') +
          'Replays can include everything shown and typed on the page.',
        evidence: {
          rule: service
            ? 'known session-replay service'
            : 'session-replay payload (rrweb-style DOM snapshot)',
          location: service ? 'path' : 'body',
          details: { service: name },
        },
      }),
    ];
  },
};
