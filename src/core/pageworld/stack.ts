// Which script made a call: the first stack frame that is not extension code.
//
// V8 (Chrome) frames look like `    at fn (https://x/a.js:3:17)`, `    at https://x/a.js:3:17`,
// `    at eval (eval at g (https://x/a.js:1:2), <anonymous>:1:1)`, `    at Array.forEach (<anonymous>)`.
// SpiderMonkey (Firefox) frames look like `fn@https://x/a.js:3:17`, `@https://x/a.js:3:17`,
// `fn@https://x/a.js line 2 > eval:1:1`, `fn@https://x/a.js line 5 > Function:1:2`.
// Both are handled by one rule: the first URL on a line is the script that owns the frame
// (for eval'd code that is the script that called eval). Lines without a URL (the V8
// "Error" header, native frames, `<anonymous>`) are not script frames.

/** Schemes of extension code: ours and any other extension's wrappers are skipped. */
const EXTENSION_SCHEMES = /^(?:chrome|moz|safari-web|ms-browser)-extension:/i;
/** A URL with an authority, optionally inside blob:, up to whitespace or parentheses. */
const URL_IN_LINE = /(?:blob:)?[a-z][a-z0-9+.-]*:\/\/[^\s()]+/i;
/** Inline code in a document with no authority (about:blank, about:srcdoc frames). */
const ABOUT_IN_LINE = /\babout:(?:blank|srcdoc)\b/i;
const LINE_COL = /(?::\d+){1,2}$/;
/** Frames looked at: a real call site is a few frames below our wrapper. */
const MAX_FRAMES = 40;
export const MAX_SCRIPT_URL = 2_048;

/** The URL a stack line points at, without `:line:col`; null for non-script frames. */
export function frameUrl(line: string): string | null {
  const m = URL_IN_LINE.exec(line);
  if (m) return m[0].replace(LINE_COL, '');
  const a = ABOUT_IN_LINE.exec(line);
  return a ? a[0].toLowerCase() : null;
}

/** Every script URL in the stack, innermost first (extension frames included). */
export function stackUrls(stack: string): string[] {
  const out: string[] = [];
  const lines = stack.split('\n', MAX_FRAMES + 1);
  for (const line of lines) {
    const url = frameUrl(line);
    if (url !== null) out.push(url);
  }
  return out;
}

export function isExtensionUrl(url: string): boolean {
  return EXTENSION_SCHEMES.test(url);
}

/**
 * The calling script: the first frame that is not extension code, as a URL without its
 * fragment. null when the stack has no such frame (native callers, a stack cut to zero
 * frames by the page, an empty string).
 */
export function callingScript(stack: string): string | null {
  if (typeof stack !== 'string' || stack.length === 0) return null;
  for (const url of stackUrls(stack)) {
    if (isExtensionUrl(url)) continue;
    const hash = url.indexOf('#');
    const clean = hash >= 0 ? url.slice(0, hash) : url;
    return clean.slice(0, MAX_SCRIPT_URL);
  }
  return null;
}
