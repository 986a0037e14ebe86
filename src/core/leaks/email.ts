// Finding email addresses in text by pattern, in linear time: scan for '@', then walk left
// over local-part characters and right over domain characters, each walk capped. No regex
// with nested quantifiers, so hostile text cannot make it backtrack.

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_AT_SIGNS = 200;
/** TLD-looking endings that are really file names (`logo@2x.png`). */
const FILE_ENDINGS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'avif',
  'js',
  'css',
  'ico',
  'bmp',
  'mp4',
  'woff',
  'woff2',
]);

const isLocal = (c: number) =>
  (c >= 48 && c <= 57) ||
  (c >= 65 && c <= 90) ||
  (c >= 97 && c <= 122) ||
  c === 46 ||
  c === 95 ||
  c === 37 ||
  c === 43 ||
  c === 45;
const isDomain = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45;

/**
 * False when no piece of `text` (no substring of it) can hold an address findEmails gives:
 * an address needs an '@' and a dotted domain right after it, and a piece has at most the
 * domain characters that follow the same '@' in the text (`...@AdobeOrg&...` has none).
 * The request glance (glance.ts) asks it of a request's texts once instead of looking for
 * addresses in each of its tokens.
 */
export function mayHoldEmail(text: string): boolean {
  // Each scan stops at the next '@' at the latest ('@' is no domain character): one pass.
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    for (let i = at + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 46) return true;
      if (!isDomain(c)) break;
    }
  }
  return false;
}

/** Every email address in `text` (deduplicated, in order). */
export function findEmails(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let n = 0; n < MAX_AT_SIGNS; n++) {
    const at = text.indexOf('@', from);
    if (at === -1) break;
    from = at + 1;
    let start = at;
    while (start > 0 && at - start < MAX_LOCAL && isLocal(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN && isDomain(text.charCodeAt(end))) end++;
    let local = text.slice(start, at).replace(/^[.%+-]+/, '');
    // A url-encoded separator right before the address (`%3Djane@…`): drop the escape.
    const esc = /^(?:%[0-9A-Fa-f]{2})+/.exec(local);
    if (esc) local = local.slice(esc[0].length);
    const domain = text.slice(at + 1, end).replace(/[.-]+$/, '');
    if (local.length === 0 || local.includes('..')) continue;
    const labels = domain.split('.');
    const tld = labels[labels.length - 1] ?? '';
    if (labels.length < 2 || labels.some((l) => l.length === 0 || l.length > 63)) continue;
    if (!/^[A-Za-z]{2,24}$/.test(tld) || FILE_ENDINGS.has(tld.toLowerCase())) continue;
    const email = `${local}@${domain}`;
    if (!out.includes(email)) out.push(email);
  }
  return out;
}
