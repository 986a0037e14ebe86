// One linter, flat config. Layering (see docs/architecture.md) is enforced here, not by habit.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noBrowserInCore = {
  patterns: [
    {
      group: ['webextension-polyfill'],
      message: 'Only src/platform/browser.ts imports the polyfill.',
    },
    {
      group: ['**/platform/**', '**/storage/**', '**/ui/**', '**/background/**', 'dexie'],
      message: 'core is pure: no browser, storage or UI imports.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-output/', 'coverage/', 'src/content/page-world.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**'],
    ignores: ['src/platform/browser.ts'],
    rules: {
      // MV3 workers must register listeners synchronously: no top-level await in extension code.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program > ExpressionStatement > AwaitExpression',
          message: 'No top-level await.',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'webextension-polyfill',
              message: 'Import browser from src/platform/browser.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': ['error', noBrowserInCore],
      'no-restricted-globals': ['error', 'chrome', 'browser', 'indexedDB', 'document', 'window'],
    },
  },
  {
    files: ['src/ui/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'webextension-polyfill',
              message: 'Import browser from src/platform/browser.ts.',
            },
          ],
          patterns: [{ group: ['**/background/**'], message: 'UI never imports background code.' }],
        },
      ],
    },
  },
);
