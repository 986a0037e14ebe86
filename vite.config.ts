import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { resolve } from 'node:path';

const root = import.meta.dirname;

/**
 * The ES-module entries, each built on its own (scripts/build.mjs runs one build per part,
 * selected by Vite's `mode`), so no page loads a chunk it shares with another entry: in one
 * build the popup's first chunk also carried the background's and report's modules
 * (valibot, tracker helpers). Duplicated code across parts costs disk only: the worker and
 * each page load their own copy anyway.
 * - background: not minified, so bench/variants.ts can still patch its source text and the
 *   bench's core rows (bench/bundle.ts, unminified) measure the same code the worker runs.
 * - popup and report: minified, less to fetch, parse and compile before the first render.
 */
const PARTS = {
  background: { input: 'src/background/index.ts', minify: false, publicDir: true },
  popup: { input: 'src/ui/popup/popup.html', minify: true, publicDir: false },
  report: { input: 'src/ui/report/report.html', minify: true, publicDir: false },
} as const;
export type BuildPart = keyof typeof PARTS;

/**
 * Every script we ship is pure ASCII: non-ASCII characters in strings are written as escapes
 * and JSDoc comments (where ours have arrows and dashes) are left out. One non-ASCII
 * character anywhere makes the engine decode, hold and scan the whole file as two-byte text:
 * a fresh Node loaded the tracker knowledge bundle in 18.5 ms once it was ASCII, against
 * 20.2 ms with seven arrows and dashes in its comments (median of 21 alternating runs,
 * 2026-12-06). Legal and annotation comments stay. scripts/build.mjs checks the result.
 */
export const ASCII_OUTPUT = {
  charset: 'ascii',
  comments: { legal: true, annotation: true, jsdoc: false },
} as const;

// One config for the extension build (ES-module entries; classic scripts are built by
// scripts/build.mjs) and for Vitest's projects.
export default defineConfig(({ mode }) => {
  const part = PARTS[mode as BuildPart] ?? PARTS.background;
  const name = (Object.keys(PARTS) as BuildPart[]).find((k) => PARTS[k] === part)!;
  return {
    root,
    plugins: [preact()],
    publicDir: part.publicDir ? resolve(root, 'public') : false,
    build: {
      outDir: resolve(root, 'dist/chrome'),
      // scripts/build.mjs empties dist/ once before the parts are built into it.
      emptyOutDir: false,
      target: 'es2022',
      // Preload links (no polyfill: MV3 pages forbid inline script) let an extension page fetch
      // its chunks in parallel with its entry instead of after parsing it.
      modulePreload: { polyfill: false },
      minify: part.minify,
      sourcemap: false,
      rolldownOptions: {
        input: { [name]: resolve(root, part.input) },
        // use-live-query.ts imports Dexie when a first query needs it, so the popup shows its
        // first screen before Dexie loads. The report page imports Dexie up front (db.ts), so
        // there that dynamic import cannot make a chunk of its own, as expected: not a warning.
        onLog(level, log, handler) {
          const expected =
            name === 'report' &&
            log.code === 'INEFFECTIVE_DYNAMIC_IMPORT' &&
            /node_modules\/dexie\//.test(log.message);
          if (!expected) handler(level, log);
        },
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
          assetFileNames: 'assets/[name]-[hash][extname]',
          ...ASCII_OUTPUT,
        },
      },
    },
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: [
              'test/unit/**/*.test.ts',
              'test/storage/**/*.test.ts',
              'test/cli/**/*.test.ts',
              'test/fuzz/**/*.test.ts',
            ],
            environment: 'node',
          },
        },
        {
          extends: true,
          test: { name: 'dom', include: ['test/ui/**/*.test.{ts,tsx}'], environment: 'happy-dom' },
        },
        {
          extends: true,
          test: {
            name: 'e2e',
            include: ['test/e2e/**/*.test.ts'],
            environment: 'node',
            testTimeout: 120_000,
            hookTimeout: 120_000,
            // One browser at a time: the machine has two cores.
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
