// Lint: typescript-eslint's type-aware recommended rules, plus the project's own limits.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'reports/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Unused names fail the build; a leading underscore marks a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Implementations of Promise-returning interfaces read better as async, awaiting or not.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['harness/**/*.ts'],
    rules: {
      // A function longer than this is doing several things: split it. Counted in Prettier's
      // lines (150 wide), which spread one call's arguments over several.
      'max-lines-per-function': ['error', { max: 120, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Tests read JSON reports (any) and poke at what they check.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', require: 'readonly', module: 'readonly', console: 'readonly', setTimeout: 'readonly', URL: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The script `poolcheck repro` writes (repro/replay-script.ts fills in its scenario): a Node program of its own.
    files: ['harness/repro/replay-script.mjs'],
    languageOptions: { globals: { Buffer: 'readonly', URL: 'readonly', clearTimeout: 'readonly' } },
  },
  {
    // report.html's script: a classic script in the browser (html-report.ts inlines it).
    files: ['harness/report/html-page.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        document: 'readonly',
        atob: 'readonly',
        Blob: 'readonly',
        Response: 'readonly',
        DecompressionStream: 'readonly',
        location: 'readonly',
        history: 'readonly',
        URLSearchParams: 'readonly',
        window: 'readonly',
      },
    },
  },
);
