// Size caps for files the report page hands to the background (HAR import, backup restore).
// Kept apart from the code that uses them so the page and the protocol can import the
// numbers without pulling in the analyzer.

/**
 * Largest text accepted (characters). Extension messages are JSON-serialized and Chrome
 * caps one at 64 MiB; this leaves room and still covers a long DevTools session.
 */
export const MAX_IMPORT_CHARS = 48 * 1024 * 1024;

export function tooLargeMessage(chars: number): string {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return `The file is ${mb(chars)} MB; the largest file that can be imported is ${mb(MAX_IMPORT_CHARS)} MB.`;
}
