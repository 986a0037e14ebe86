// `npm run lint:firefox`: Mozilla's add-on linter (web-ext lint) on dist/firefox. Fails on any
// error, and on any warning or notice that is not in KNOWN below. Each known warning is
// explained in docs/firefox.md ("Lint"); add one there and here together, never here alone.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = resolve(root, process.argv[2] ?? 'dist/firefox');

/**
 * code → the flagged source line must match this for the warning to count as known
 * (docs/firefox.md says why each is harmless). Matching the code rather than a file name
 * keeps this right when the bundler moves code between chunks.
 */
const KNOWN = {
  // Preact's renderer supports `dangerouslySetInnerHTML` (`.__html`); our components never use it.
  // (Minified in the popup and report pages: `e.innerHTML=f.__html`.)
  UNSAFE_VAR_ASSIGNMENT: /\binnerHTML ?= ?[\w$]+\.__html\b/,
  // The tracker list (src/data/trackers.ts, a packed text table: `host\tpattern\towner\tpaths`
  // lines, all in one string literal, so one long line) names Coinhive's scripts: the flagged
  // text is a path field of that table, followed by the table's next line.
  COINMINER_USAGE_DETECTED: /^coinhive\.min\.js\\n[a-z0-9.-]+\t[^\t]*\t[^\t]*\t/,
};

if (!existsSync(resolve(sourceDir, 'manifest.json'))) {
  console.error(`lint:firefox: no build in ${sourceDir} (run \`npm run build\` first)`);
  process.exit(2);
}

const bin = resolve(root, 'node_modules/.bin/web-ext');
const run = spawnSync(bin, ['lint', '--source-dir', sourceDir, '--output', 'json', '--no-input'], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`lint:firefox: web-ext lint did not report JSON\n${run.stdout}\n${run.stderr}`);
  process.exit(2);
}

const all = [...report.errors, ...report.warnings, ...report.notices];
const lines = new Map();
function sourceLine(file, line) {
  if (!file || !line) return '';
  if (!lines.has(file)) {
    try {
      lines.set(file, readFileSync(resolve(sourceDir, file), 'utf8').split('\n'));
    } catch {
      lines.set(file, []);
    }
  }
  return lines.get(file)[line - 1] ?? '';
}
/**
 * The flagged code: its line, or in a minified file (one long line) the text from the
 * reported column on, so a known pattern elsewhere on that line cannot excuse new code.
 */
function flagged(m) {
  const line = sourceLine(m.file, m.line);
  if (line.length <= 1000) return line;
  return m.column ? line.slice(m.column - 1, m.column - 1 + 200) : '';
}
const isKnown = (m) =>
  m._type !== 'error' && KNOWN[m.code] !== undefined && KNOWN[m.code].test(flagged(m));
const unknown = all.filter((m) => !isKnown(m));
for (const m of all) {
  const where = m.file ? ` ${m.file}${m.line ? `:${m.line}` : ''}` : '';
  const tag = isKnown(m) ? 'known' : m._type;
  console.log(`${tag.padEnd(7)} ${m.code}${where}: ${m.message}`);
}
console.log(
  `lint:firefox: ${report.errors.length} errors, ${report.warnings.length} warnings ` +
    `(${all.length - unknown.length} known, see docs/firefox.md), ${report.notices.length} notices`,
);
process.exit(unknown.length === 0 ? 0 : 1);
