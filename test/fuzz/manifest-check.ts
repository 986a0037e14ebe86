// The manifest rules, shared by the unit test (source manifest.json) and the e2e egress test
// (the built dist/chrome/manifest.json): every permission is justified in the README's
// permissions table, the extension pages' CSP allows only our own scripts, and nothing is
// web-accessible (a page could probe for such files to fingerprint the extension).

export interface Justified {
  name: string;
  /** Rows marked "(Firefox only)" apply to the Firefox build alone. */
  firefoxOnly: boolean;
}

/** Permissions from the README's "Permissions, and why each one" table. */
export function readmePermissions(readme: string): Justified[] {
  const start = readme.indexOf('## Permissions, and why each one');
  if (start < 0) throw new Error('README has no "Permissions, and why each one" section');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 5));
  const names: Justified[] = [];
  for (const line of section.split('\n')) {
    // | `webRequest` | why |, | host permission `<all_urls>` | why |, | `dns` (Firefox only) | why |
    const m = /^\|\s*(host permission\s+)?`([^`]+)`([^|]*)\|/.exec(line);
    if (m?.[2]) {
      names.push({
        name: m[1] ? `host:${m[2]}` : m[2],
        firefoxOnly: /firefox only/i.test(m[3] ?? ''),
      });
    }
  }
  return names;
}

interface ManifestShape {
  permissions?: unknown;
  optional_permissions?: unknown;
  host_permissions?: unknown;
  content_security_policy?: { extension_pages?: unknown } | unknown;
  web_accessible_resources?: unknown;
  externally_connectable?: unknown;
}

/** Problems with `manifest`, one line each; [] when it follows the rules. */
export function checkManifest(
  manifest: unknown,
  readme: readonly Justified[],
  browser: 'chrome' | 'firefox' = 'chrome',
): string[] {
  const justified = readme
    .filter((j) => browser === 'firefox' || !j.firefoxOnly)
    .map((j) => j.name);
  const m = manifest as ManifestShape;
  const problems: string[] = [];
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  const asked = [
    ...list(m.permissions),
    ...list(m.optional_permissions),
    ...list(m.host_permissions).map((h) => `host:${h}`),
  ];
  for (const p of asked)
    if (!justified.includes(p)) problems.push(`permission ${p} is not justified in the README`);
  for (const p of justified)
    if (!asked.includes(p))
      problems.push(`the README justifies ${p}, which the manifest does not ask for`);

  const csp = (m.content_security_policy as { extension_pages?: unknown } | undefined)
    ?.extension_pages;
  if (typeof csp !== 'string') problems.push('no content_security_policy.extension_pages');
  else {
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => {
          const [name = '', ...values] = d.split(/\s+/);
          return [name, values] as const;
        }),
    );
    const script = directives.get('script-src');
    if (!script || script.join(' ') !== "'self'")
      problems.push(`script-src must be exactly 'self', got ${JSON.stringify(script)}`);
    if (directives.get('object-src')?.join(' ') !== "'none'")
      problems.push("object-src must be 'none'");
    if (/unsafe-(eval|inline)|wasm-unsafe|https?:|\*/.test(csp))
      problems.push(`CSP allows more than our own code: ${csp}`);
  }
  if (m.web_accessible_resources !== undefined) {
    problems.push(
      'web_accessible_resources is present: pages could probe for it (document why it is needed)',
    );
  }
  if (m.externally_connectable !== undefined)
    problems.push('externally_connectable lets web pages message the extension');
  return problems;
}
