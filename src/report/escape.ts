// HTML escaping for page-derived text. Everything a page controls (URLs, cookie names,
// titles, explanations quoting them) goes through escapeHtml before it touches markup.
// Bidi overrides and invisible characters are shown as visible code points, because a
// report is where an analyst must see exactly what a page sent, not what it pretends to be.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * C0/C1 controls, zero-width and joiner characters, bidi embeddings/overrides/isolates,
 * word joiner, BOM, and lone surrogates.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const codePoint = (ch: string): string =>
  `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** For element text only: the visible code-point markers are markup, so never use it in attributes. */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return text
    .replace(/[&<>"'`]/g, (ch) => ENTITIES[ch] ?? ch)
    .replace(INVISIBLE, (ch) => `<span class="cp">${codePoint(ch)}</span>`);
}
