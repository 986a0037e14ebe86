// pii-leak: an email address, phone number or name leaving the page to a third party.
// (a) any email address, found by pattern; (b) values typed into the page's forms and
// (c) canaries the user registered, both matched in plain, url, base64, md5, sha1, sha256
// and sha512 forms and as typing prefixes (see leaks/secrets.ts); (d) a digest in a known
// hashed-PII pixel parameter (Meta ud[em], Snap u_hem, ...) even when the address is not
// known. Findings carry masked previews only, never the value (DESIGN.md, privacy).
import type { DataType, Encoding, Finding, RequestRecord } from '../model.ts';
import type { RequestContext, RequestDetector } from './types.ts';
import { describeParty, firstTimeOnPage, makeFinding } from './finding.ts';
import { requestTokens } from '../leaks/extract.ts';
import { requestGlance } from '../leaks/glance.ts';
import { findEmails } from '../leaks/email.ts';
import { maskEmail, maskHash } from '../leaks/mask.ts';
import { hashedPiiKey, hexDigestKind } from '../leaks/pii-keys.ts';
import { defaultSecrets, type SecretRegistry } from '../leaks/secrets.ts';
import { encodingWords, isOtherParty, locationWords, storableUrl } from '../leaks/common.ts';
import type { Location } from '../model.ts';

const ID = 'pii-leak';
const WORDS: Record<string, string> = {
  email: 'an email address',
  phone: 'a phone number',
  name: 'a name',
};

interface Hit {
  dataType: DataType;
  encoding: Encoding;
  location: Location;
  key: string;
  preview: string;
  rule: string;
  /** Distinguishes two different values in the same parameter. */
  identity: string;
  explanation: string;
  details?: Record<string, string | number | boolean>;
}

export function createPiiLeak(registry: SecretRegistry = defaultSecrets): RequestDetector {
  return {
    id: ID,
    kinds: ['pii-leak'],

    detectRequest(req: RequestRecord, ctx: RequestContext): Finding[] {
      if (!isOtherParty(ctx.party)) return [];
      const indexes = registry.indexesFor(ctx.page.pageId);
      // No address, no hashed-PII parameter and no registered value can be in this request:
      // nothing below could find anything, so it need not be tokenized.
      const glance = requestGlance(req, ctx);
      if (
        glance !== null &&
        !glance.email &&
        !glance.keys.some((k) => hashedPiiKey(k) !== null) &&
        indexes.every((index) => index.size === 0 || !index.mayMatch(glance))
      )
        return [];
      const x = requestTokens(req, ctx);
      const to = describeParty(ctx.party);
      const hits: Hit[] = [];
      const covered = new Set<string>();
      const coveredLocations = new Set<string>();

      // (b), (c): registered secrets.
      for (const index of indexes) {
        for (const m of index.match(x)) {
          const s = m.owner;
          const where = locationWords(m.location, m.key);
          covered.add(`${m.location}|${m.key}`);
          coveredLocations.add(m.location);
          hits.push({
            dataType: s.kind,
            encoding: m.encoding,
            location: m.location,
            key: m.key,
            preview: s.preview,
            rule: s.origin === 'typed' ? 'typed-value' : 'canary',
            identity: `secret:${s.id}`,
            explanation:
              `${to} received ${WORDS[s.kind]} ${s.origin === 'typed' ? 'typed into this page' : 'you asked Leakwatch to watch for'} ` +
              `(${s.preview}), ${encodingWords(m.encoding)} ${where}` +
              `${m.info.prefix ? ', read while it was still being typed' : ''}.`,
            details: { typing: m.info.prefix, secret: s.origin },
          });
        }
      }

      // (a) email addresses by pattern, (d) digests in hashed-PII parameters. The pieces of
      // a value follow it under the same key string: the key's verdict is reused.
      let lastKey: string | null = null;
      let lastType: DataType | null = null;
      for (const t of x.tokens) {
        // Most requests match no secret: build the spot key only when there is something to skip.
        if (covered.size > 0 && covered.has(`${t.location}|${t.key}`)) continue;
        if (t.value.includes('@')) {
          for (const email of findEmails(t.value)) {
            const preview = maskEmail(email);
            hits.push({
              dataType: 'email',
              encoding: t.encoding,
              location: t.location,
              key: t.key,
              preview,
              rule: 'email-pattern',
              identity: `email:${email.toLowerCase()}`,
              explanation: `${to} received an email address (${preview}) ${encodingWords(t.encoding)} ${locationWords(t.location, t.key)}.`,
            });
          }
        }
        if (t.key !== lastKey) {
          lastKey = t.key;
          lastType = hashedPiiKey(t.key);
        }
        const type = lastType;
        if (!type) continue;
        const hex = hexDigestKind(t.value);
        const b64 = !hex && /^[A-Za-z0-9_-]{43}$/.test(t.value) ? 'sha256' : null;
        const hash = hex ?? b64;
        if (!hash) continue;
        hits.push({
          dataType: type,
          encoding: hash,
          location: t.location,
          key: t.key,
          preview: maskHash(t.value),
          rule: 'hashed-pii-parameter',
          identity: `hash:${t.value.toLowerCase()}`,
          explanation:
            `${to} received ${WORDS[type]} ${encodingWords(hash)} ${locationWords(t.location, t.key)}. ` +
            `Ad pixels use this parameter to match visitors with the people in their ad accounts; ` +
            `hashing does not hide who you are from a company that already has your ${type === 'phone' ? 'number' : 'address'}.`,
        });
      }
      // An address anywhere else in the raw text (a header, a glued string).
      for (const h of x.haystacks) {
        if (!h.text.includes('@') || coveredLocations.has(h.location)) continue;
        for (const email of findEmails(h.text)) {
          const identity = `email:${email.toLowerCase()}`;
          if (hits.some((k) => k.identity === identity)) continue;
          const preview = maskEmail(email);
          hits.push({
            dataType: 'email',
            encoding: 'plain',
            location: h.location,
            key: '',
            preview,
            rule: 'email-pattern',
            identity,
            explanation: `${to} received an email address (${preview}) ${locationWords(h.location, '')}.`,
          });
        }
      }

      const findings: Finding[] = [];
      for (const h of hits) {
        const once = `${ctx.party.domain}|${h.identity}|${h.location}|${h.key}`;
        if (!firstTimeOnPage(ctx.state.scratch, `${ID}:seen`, once)) continue;
        findings.push(
          makeFinding({
            kind: 'pii-leak',
            page: ctx.page,
            party: ctx.party,
            requestUrl: storableUrl(req.url, true),
            dataTypes: [h.dataType],
            encoding: h.encoding,
            time: req.time,
            explanation: h.explanation,
            evidence: {
              rule: h.rule,
              location: h.location,
              key: h.key || undefined,
              preview: h.preview,
              details: h.details,
            },
          }),
        );
      }
      return findings;
    },
  };
}

export const piiLeak = createPiiLeak();
