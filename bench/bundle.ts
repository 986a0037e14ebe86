// Bundles bench entry points with Vite the way the extension build does (es2022, no
// minification, no keepNames, ASCII output), into a temporary directory. Timing the bundle rather than
// the sources run through tsx matters: tsx wraps every closure in a naming helper, which
// costs the hot path several percent the shipped extension never pays.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { ASCII_OUTPUT } from '../vite.config.ts';
import { ROOT } from './corpus.ts';

const made: string[] = [];
// Bundles are read once, at import; nothing needs them after the process ends.
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/**
 * Builds `entry` (relative to the repo) into one file; returns its absolute path. `iife`
 * makes a classic script that defines `globalName`, for evaluation inside a browser page.
 */
export async function bundleEntry(
  entry: string,
  name: string,
  format: 'es' | 'iife' = 'es',
  globalName = 'LeakwatchBench',
): Promise<string> {
  const file = `${name}.${format === 'es' ? 'mjs' : 'js'}`;
  const outDir = mkdtempSync(join(tmpdir(), 'leakwatch-bench-'));
  made.push(outDir);
  await build({
    root: ROOT,
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      sourcemap: false,
      rolldownOptions: { output: ASCII_OUTPUT },
      lib: {
        entry: resolve(ROOT, entry),
        formats: [format],
        name: globalName,
        fileName: () => file,
      },
    },
  });
  return join(outDir, file);
}
