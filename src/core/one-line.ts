// Text that came from a file or a page, made safe to show on one line (an error message in a
// terminal, a status line): control characters, line breaks, bidi overrides and invisible
// formatting characters become visible `\uXXXX` escapes, and long text is cut. A crafted
// baseline or HAR must not be able to move the cursor, clear the screen or reverse the
// text of the message that names it.
export const UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function oneLine(text: string, max = 200): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
