import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { resolve } from 'node:path';

const root = import.meta.dirname;

// One config for the extension build (ES-module entries; classic scripts are built by
// scripts/build.mjs) and for Vitest's projects.
export default defineConfig({
  root,
  plugins: [preact()],
  publicDir: resolve(root, 'public'),
  build: {
    outDir: resolve(root, 'dist/chrome'),
    emptyOutDir: true,
    target: 'es2022',
    // Preload links (no polyfill: MV3 pages forbid inline script) let an extension page fetch
    // its shared chunks in parallel with its entry instead of after parsing it.
    modulePreload: { polyfill: false },
    minify: false,
    sourcemap: false,
    rolldownOptions: {
      input: {
        background: resolve(root, 'src/background/index.ts'),
        popup: resolve(root, 'src/ui/popup/popup.html'),
        report: resolve(root, 'src/ui/report/report.html'),
      },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
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
});
