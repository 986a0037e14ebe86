// Parses what a script assigned to document.cookie ("name=value; Max-Age=...; Domain=...").
// Browsers accept sloppy syntax, and so does this: unknown attributes are ignored.

export interface CookieWrite {
  name: string;
  value: string;
  /** Domain attribute without a leading dot, lower case; null for a host-only cookie. */
  domain: string | null;
  path: string | null;
  /** Seconds from `now` until it expires; null for a session cookie. */
  lifetimeS: number | null;
  /** Max-Age <= 0 or an Expires in the past: the write deletes the cookie. */
  deleted: boolean;
}

export function parseCookieWrite(text: string, now: number): CookieWrite | null {
  const [pair = '', ...attrs] = text.split(';');
  const eq = pair.indexOf('=');
  // "value" without '=' sets a cookie with an empty name, as browsers do.
  const name = (eq >= 0 ? pair.slice(0, eq) : '').trim();
  const value = (eq >= 0 ? pair.slice(eq + 1) : pair).trim();
  if (!name && !value) return null;
  let domain: string | null = null;
  let path: string | null = null;
  let maxAge: number | null = null;
  let expires: number | null = null;
  for (const a of attrs) {
    const i = a.indexOf('=');
    const key = (i >= 0 ? a.slice(0, i) : a).trim().toLowerCase();
    const val = i >= 0 ? a.slice(i + 1).trim() : '';
    if (key === 'domain' && val) domain = val.replace(/^\./, '').toLowerCase();
    else if (key === 'path' && val) path = val;
    else if (key === 'max-age' && /^-?\d+$/.test(val)) maxAge = Number(val);
    else if (key === 'expires') {
      const t = Date.parse(val);
      if (Number.isFinite(t)) expires = t;
    }
  }
  // Max-Age wins over Expires (RFC 6265 §5.3 step 3).
  const lifetimeS =
    maxAge !== null ? maxAge : expires !== null ? Math.round((expires - now) / 1000) : null;
  return { name, value, domain, path, lifetimeS, deleted: lifetimeS !== null && lifetimeS <= 0 };
}
