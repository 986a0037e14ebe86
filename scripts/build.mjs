// Builds dist/chrome and dist/firefox from the one root manifest.json.
// 1. Vite builds the ES-module entries (background worker, popup, report) into dist/chrome.
// 2. Each classic-script entry (content scripts cannot `import`) is built as an IIFE.
// 3. The manifest is written per browser: Chrome gets `background.service_worker`,
//    Firefox (no MV3 service workers) gets `background.scripts` and its gecko settings.
import { build } from 'vite';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = (browser) => resolve(root, 'dist', browser);

/** Classic scripts: [entry, output file name]. Kept tiny: no tldts, no tracker data. */
const CLASSIC_ENTRIES = [
  // Isolated-world relay (issue 4): page-world records → validated events → background.
  ['src/content/relay.ts', 'relay.js'],
  // MAIN-world instrumentation (issue 4): must define no globals (see src/content/page-world.ts).
  ['src/content/page-world.ts', 'page-world.js'],
];

rmSync(resolve(root, 'dist'), { recursive: true, force: true });
// One build per part (vite.config.ts, PARTS): no page shares a chunk with the worker.
for (const mode of ['background', 'popup', 'report']) {
  await build({ root, configFile: resolve(root, 'vite.config.ts'), mode, logLevel: 'warn' });
}
for (const [entry, fileName] of CLASSIC_ENTRIES) {
  if (!existsSync(resolve(root, entry))) continue;
  await build({
    root,
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir: out('chrome'),
      emptyOutDir: false,
      target: 'es2022',
      minify: false,
      // As vite.config.ts's ASCII_OUTPUT: the page-world script runs in every page.
      rolldownOptions: {
        output: { charset: 'ascii', comments: { legal: true, annotation: true, jsdoc: false } },
      },
      lib: {
        entry: resolve(root, entry),
        formats: ['iife'],
        name: 'leakwatch',
        fileName: () => fileName,
      },
    },
  });
}

// One non-ASCII character makes the engine hold and scan a whole script as two-byte text
// (vite.config.ts, ASCII_OUTPUT): refuse a build that has one, and say where.
for (const file of readdirSync(out('chrome'), { recursive: true })) {
  if (!String(file).endsWith('.js')) continue;
  const text = readFileSync(resolve(out('chrome'), String(file)), 'utf8');
  const at = text.search(/\P{ASCII}/u);
  if (at !== -1) {
    const line = text.slice(0, at).split('\n').length;
    throw new Error(
      `${file}:${line}: non-ASCII character ${JSON.stringify(text[at])} in the build`,
    );
  }
}

const manifest = JSON.parse(readFileSync(resolve(root, 'manifest.json'), 'utf8'));
const { browser_specific_settings: gecko, ...common } = manifest;
const background = manifest.background;

const chrome = {
  ...common,
  background: { service_worker: background.service_worker, type: 'module' },
};
writeFileSync(resolve(out('chrome'), 'manifest.json'), JSON.stringify(chrome, null, 2) + '\n');

cpSync(out('chrome'), out('firefox'), { recursive: true });
const firefox = {
  ...common,
  background: { scripts: [background.service_worker], type: 'module' },
  // Firefox only: `dns` lets the background uncloak CNAME'd first-party hosts
  // (src/platform/dns.ts). Chrome has no such permission and warns on unknown ones.
  // Firefox refuses `dns` in optional_permissions, and it shows no install prompt.
  permissions: [...common.permissions, 'dns'],
  browser_specific_settings: gecko,
};
writeFileSync(resolve(out('firefox'), 'manifest.json'), JSON.stringify(firefox, null, 2) + '\n');
console.log('built dist/chrome and dist/firefox');
