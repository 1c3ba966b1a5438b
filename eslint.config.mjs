import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-output/**', '*.vsix', '.vscode-test/**', 'test/fixtures/demo-workspace/**', 'bench/.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // The pure core and the transports never touch the VS Code API.
    files: ['src/core/**/*.ts', 'src/sources/**/*.ts', 'src/protocol.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core and src/sources must stay free of the VS Code API.' }] }],
    },
  },
  {
    // The webview owns the DOM and never imports host code except the shared protocol and formatting.
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview has no VS Code API.' }],
        patterns: [{ group: ['**/src/host/**', '**/src/sources/**', 'ws'], message: 'The webview only imports src/protocol.ts and src/core/format.ts.' }],
      }],
      'no-restricted-properties': ['error',
        { property: 'innerHTML', message: 'Never innerHTML: build nodes and set textContent.' },
        { property: 'outerHTML', message: 'Never outerHTML.' },
        { property: 'insertAdjacentHTML', message: 'Never insertAdjacentHTML.' },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
);
