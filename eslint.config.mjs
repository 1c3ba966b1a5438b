import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NO_VSCODE = { name: 'vscode', message: 'src/core and src/sources must stay free of the VS Code API.' };
// From src/shared: a package or Node module, or a relative path that leaves src/shared.
const SHARED_ESCAPES = '^(?!\\.)|^(\\.\\./)+(src|core|host|sources|protocol|extension|webview|test|bench|scripts)(/|$)';

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
    files: ['src/core/**/*.ts', 'src/sources/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [NO_VSCODE] }],
    },
  },
  {
    // Core builds views from src/shared, never the message types of src/protocol.ts.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [NO_VSCODE],
        patterns: [{ regex: '^(\\.\\./)+protocol$', message: 'src/core never imports src/protocol.ts: use src/shared/views or src/shared/vocabulary.' }],
      }],
    },
  },
  {
    // The shared kernel (the only code both host and webview import) depends on nothing outside itself.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: SHARED_ESCAPES, message: 'src/shared imports only src/shared.' }] }],
    },
  },
  {
    // The protocol depends on the shared model, never the reverse.
    files: ['src/protocol.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./shared/)', message: 'src/protocol.ts imports only src/shared.' }] }],
    },
  },
  {
    // The webview owns the DOM and imports only the shared kernel (src/shared/**) and, for now, src/protocol.ts.
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview has no VS Code API.' }, { name: 'ws', message: 'The webview has no Node modules.' }],
        patterns: [{ regex: '(^|/)src/(?!shared/|protocol$)', message: 'The webview imports only src/shared/** (and src/protocol.ts).' }],
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
