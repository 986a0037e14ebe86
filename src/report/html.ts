// A self-contained HTML report: one file, no external resources, no script, readable
// offline and safe to open. A strict CSP (only our own stylesheet, by hash) backs up the
// escaping: even a missed escape could not run script or load anything.
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { escapeHtml as e } from './escape.ts';
import { summarize } from './summary.ts';
import type { Report, ReportFinding, ReportParty } from './types.ts';

const CSS = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--mute:#5b6470;--line:#d9dde3;--bad:#b3261e;--ok:#1e6b35;--chip:#eef1f5}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--bg:#15181c;--mute:#9aa3ad;--line:#2e343b;--bad:#ff8a80;--ok:#81c995;--chip:#232830}}
body{font:14px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:1.5rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line)}
.meta,.mute{color:var(--mute)}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;vertical-align:top;padding:.3rem .45rem;border-bottom:1px solid var(--line);unicode-bidi:isolate}
th{font-weight:600;white-space:nowrap}td{overflow-wrap:anywhere}
.url{font-family:ui-monospace,monospace;font-size:12px}.chip{display:inline-block;background:var(--chip);border-radius:3px;padding:0 .35rem;margin:0 .2rem .15rem 0;font-size:12px}
.bad{color:var(--bad);font-weight:600}.ok{color:var(--ok)}.cp{border:1px dashed var(--bad);font-size:11px;padding:0 2px;font-family:ui-monospace,monospace}
details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}
`;

function cspHash(css: string): string {
  const digest = sha256(utf8ToBytes(css));
  let bin = '';
  for (const b of digest) bin += String.fromCharCode(b);
  return `sha256-${btoa(bin)}`;
}

/** Pre-escaped cells: callers pass e(...) output or trusted markup built here. */
const row = (cells: string[]): string => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
const head = (cols: string[]): string =>
  `<thead><tr>${cols.map((c) => `<th>${e(c)}</th>`).join('')}</tr></thead>`;
const table = (cols: string[], rows: string[]): string =>
  rows.length === 0
    ? '<p class="mute">None.</p>'
    : `<table>${head(cols)}<tbody>${rows.join('')}</tbody></table>`;
const url = (s: string | null): string => (s ? `<span class="url">${e(s)}</span>` : '');
const chips = (xs: readonly string[]): string =>
  xs.map((x) => `<span class="chip">${e(x)}</span>`).join('');
const yesNo = (b: boolean | null, yes: string, no: string): string =>
  b === null ? '' : b ? `<span class="ok">${e(yes)}</span>` : `<span class="bad">${e(no)}</span>`;

function partyRows(parties: ReportParty[]): string[] {
  return parties.map((p) =>
    row([
      e(p.site),
      `${e(p.domain)}<br><span class="mute">${e(p.hosts.join(', '))}</span>`,
      `${e(p.organization)}${p.trackerName ? `<br><span class="mute">${e(p.trackerName)}</span>` : ''}`,
      e(p.category ?? ''),
      p.firstParty ? 'first' : p.sameOrganization ? 'same org' : 'third',
      yesNo(p.authorized, 'yes', 'no'),
      `${p.requests} / ${p.pixels} / ${p.cookiesSet}`,
      chips(p.kinds),
      e(p.loadedByChain.join(' ← ')),
    ]),
  );
}

/** Each stored script-level edge: which script (or the page itself) loaded what. */
function tagEdgeRows(parties: ReportParty[]): string[] {
  return parties.flatMap((p) =>
    p.tagEdges.map((t) =>
      row([
        e(p.site),
        t.parent
          ? `${url(t.parent)}<br><span class="mute">${e(t.parentParty)}</span>`
          : 'the page (markup, inline code)',
        url(t.child),
        e(p.domain),
        e(t.tag),
      ]),
    ),
  );
}

function evidence(f: ReportFinding): string {
  const ev = f.evidence;
  const parts = [`rule: ${ev.rule}`];
  if (ev.location) parts.push(`in: ${ev.location}`);
  if (ev.key) parts.push(`key: ${ev.key}`);
  if (ev.preview) parts.push(`value: ${ev.preview}`);
  if (ev.cookieName) parts.push(`cookie: ${ev.cookieName}`);
  if (ev.scriptUrl) parts.push(`script: ${ev.scriptUrl}`);
  for (const [k, v] of Object.entries(ev.details ?? {})) parts.push(`${k}: ${String(v)}`);
  return parts.map((p) => e(p)).join('<br>');
}

function findingRows(findings: ReportFinding[]): string[] {
  return findings.map((f) =>
    row([
      `<span class="chip">${e(f.kind)}</span>`,
      `${e(f.party)}<br><span class="mute">${e(f.host)}</span>`,
      `${e(f.explanation)}${f.requestUrl ? `<br>${url(f.requestUrl)}` : ''}`,
      `${chips(f.dataTypes)}${f.encoding ? ` <span class="mute">${e(f.encoding)}</span>` : ''}`,
      evidence(f),
      url(f.page),
    ]),
  );
}

export function reportHtml(report: Report): string {
  const s = summarize(report);
  const kinds = Object.entries(s.findingsByKind).map(([k, n]) => `${k} ${n}`);
  const diff = report.diff;
  const diffHtml = diff
    ? `<h2>Changes since the baseline of ${e(diff.baselineCreatedAt)}</h2>${table(
        ['change', 'site', 'party', 'kinds'],
        [
          ...diff.newParties.map((p) =>
            row(['<span class="bad">new party</span>', e(p.site), e(p.domain), '']),
          ),
          ...diff.goneParties.map((p) => row(['gone', e(p.site), e(p.domain), ''])),
          ...diff.newKinds.map((p) => row(['new kinds', e(p.site), e(p.domain), chips(p.kinds)])),
        ],
      )}`
    : '';
  const body = `
<h1>Leakwatch report</h1>
<p class="meta">${e(report.createdAt)} · ${e(report.generator.name)} ${e(report.generator.version)} · tracker data: ${e(report.generator.trackerData.source)} ${e(report.generator.trackerData.version)}</p>
<p>${s.pages} pages${s.failedPages ? ` (${s.failedPages} failed)` : ''}, ${s.parties} parties, ${s.thirdParties} third parties, ${s.trackers} trackers, ${s.findings} findings${kinds.length ? `: ${e(kinds.join(', '))}` : ''}.</p>
${diffHtml}
<h2>Pages</h2>
${table(
  ['page', 'site', 'visited', 'status'],
  report.pages.map((p) =>
    row([
      url(p.url),
      e(p.site),
      e(p.visitedAt),
      p.error === null
        ? p.imported
          ? 'imported'
          : 'ok'
        : `<span class="bad">${e(p.error)}</span>`,
    ]),
  ),
)}
<h2>Sites</h2>
${table(
  [
    'site',
    'page views',
    'third parties / view',
    'cookie writes / view',
    'data collectors',
    'not loaded by page',
    'brought by third party',
    'unauthorized',
  ],
  report.sites.map((m) =>
    row([
      e(m.site),
      e(m.pageViews),
      e(m.thirdPartiesPerPageView),
      e(m.cookieWritesPerPageView),
      e(m.dataCollectors),
      e(m.shareNotLoadedByPage ?? '–'),
      e(m.shareLoadedByThirdParty ?? '–'),
      e(m.shareUnauthorized ?? '–'),
    ]),
  ),
)}
<h2>Parties</h2>
${table(['site', 'party', 'organization', 'category', 'party type', 'authorized', 'requests / pixels / cookies', 'kinds', 'loaded by'], partyRows(report.parties))}
<h2>Tag chain, script by script</h2>
${table(['site', 'loaded by', 'what was loaded', 'its party', 'how'], tagEdgeRows(report.parties))}
<h2>Findings</h2>
${table(['kind', 'party', 'why', 'data', 'evidence', 'page'], findingRows(report.findings))}
<h2>Cookies</h2>
${table(
  ['name', 'domain', 'party', 'set by', 'expires', 'identifier-like', 'page'],
  report.cookies.map((c) =>
    row([
      e(c.name),
      e(c.domain),
      `${e(c.party)}${c.firstParty ? ' <span class="mute">(first party)</span>' : ''}`,
      `${e(c.setBy)}${c.scriptUrl ? `<br>${url(c.scriptUrl)}` : ''}`,
      e(c.expires ?? 'session'),
      c.identifierLike ? '<span class="bad">yes</span>' : 'no',
      url(c.page),
    ]),
  ),
)}
<details><summary>Requests (${report.requests.length})</summary>
${table(
  ['url', 'type', 'method', 'party', 'status', 'initiator'],
  report.requests.map((r) =>
    row([
      url(r.url),
      e(r.type),
      e(r.method),
      e(r.party),
      r.recovered ? '<span class="mute">recovered from the page</span>' : e(r.status ?? ''),
      url(r.initiator),
    ]),
  ),
)}
</details>`;
  const csp = `default-src 'none'; style-src '${cspHash(CSS)}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Leakwatch report</title>
<style>${CSS}</style>
</head>
<body>${body}
</body>
</html>
`;
}
