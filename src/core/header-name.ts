// Header names arrive in any case (HTTP/1 capitalizes, HTTP/2 and Chrome lower-case, HAR
// files keep what the wire had), and every request's headers are searched by name several
// times: a name of another length is passed over without making a lower-cased copy.

/** Whether header `name` is `lower` (a lower-case name) in any case. */
export function isHeader(name: string, lower: string): boolean {
  return name.length === lower.length && (name === lower || name.toLowerCase() === lower);
}

/** The value of the first header named `lower` (a lower-case name) in any case. */
export function headerIn(
  headers: readonly { name: string; value: string }[],
  lower: string,
): string | undefined {
  for (const h of headers) if (isHeader(h.name, lower)) return h.value;
  return undefined;
}
