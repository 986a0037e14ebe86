// Which URLs are outside the audit: browser and extension pages, and our own traffic.
// Scheme checks only (no browser sniffing): they cover Chromium and Firefox alike.

/** True for pages we never record as visits (no web page there to audit). */
export function isIgnoredPageUrl(url: string): boolean {
  // Only http(s) documents are audited: chrome://, about:, chrome-extension://,
  // moz-extension://, view-source:, data: and file: pages are not web pages of a publisher.
  const lower = url.slice(0, 8).toLowerCase();
  return !(lower.startsWith('http:') || lower.startsWith('https:'));
}

/** True for request URLs that are not network traffic a third party can receive. */
export function isIgnoredRequestUrl(url: string): boolean {
  const lower = url.slice(0, 32).toLowerCase();
  return !(
    lower.startsWith('http:') ||
    lower.startsWith('https:') ||
    lower.startsWith('ws:') ||
    lower.startsWith('wss:')
  );
}

/** Origin of a URL, or null when it does not parse. */
export function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    const o = new URL(url).origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
}
