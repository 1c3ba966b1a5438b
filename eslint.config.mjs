import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NO_VSCODE = { name: 'vscode', message: 'src/core and src/sources must stay free of the VS Code API.' };
// From src/shared: a package or Node module, or a relative path that leaves src/shared.
const SHARED_ESCAPES = '^(?!\\.)|^(\\.\\./)+(src|core|host|sources|protocol|extension|webview|test|bench|scripts)(/|$)';

/**
 * Data flows one way through the core: source → decode → series (store) → rules → views. Each row names
 * the core rooms (and other layers) a room may not import; message types stay out of the core.
 */
const CORE_FORBIDS = {
  series: ['decode', 'rules', 'views', 'persist', 'devloop', 'settings', 'detect', 'pipeline'],
  decode: ['rules', 'views', 'persist', 'devloop', 'pipeline'],
  detect: ['series', 'rules', 'views', 'persist', 'devloop', 'pipeline'],
  rules: ['decode', 'views', 'persist', 'devloop', 'pipeline'],
  devloop: ['rules', 'views', 'persist', 'pipeline'],
  persist: ['views', 'pipeline'],
  settings: ['views', 'persist', 'devloop', 'pipeline'],
  views: [],
};

function coreRooms() {
  const layers = { regex: '(^|/)(host|sources|webview)/|(^|/)shared/(protocol|requests)$', message: 'src/core imports neither the host, the transports, the webview nor the message types.' };
  const rows = Object.entries(CORE_FORBIDS).map(([room, forbidden]) => ({
    files: [`src/core/${room}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [NO_VSCODE],
        patterns: forbidden.length === 0 ? [layers] : [layers, { regex: `^\\.\\./(${forbidden.join('|')})(/|$)`, message: `src/core/${room} may not import core/{${forbidden.join(',')}}: data flows source → decode → series → rules → views.` }],
      }],
    },
  }));
  return [{ files: ['src/core/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [layers] }] } }, ...rows];
}

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
    // The transports never touch the VS Code API, nor the host that drives them.
    files: ['src/sources/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [{ regex: '(^|/)host/', message: 'src/sources never imports src/host.' }] }],
    },
  },
  ...coreRooms(),
  {
    // The shared kernel (the only code both host and webview import) depends on nothing outside itself.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: SHARED_ESCAPES, message: 'src/shared imports only src/shared.' }] }],
    },
  },
  {
    // The webview owns the DOM and imports only the shared kernel.
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview has no VS Code API.' }, { name: 'ws', message: 'The webview has no Node modules.' }],
        patterns: [{ regex: '(^|/)src/(?!shared/)', message: 'The webview imports only src/shared/**.' }],
      }],
      'no-restricted-properties': ['error',
        { property: 'innerHTML', message: 'Never innerHTML: build nodes and set textContent.' },
        { property: 'outerHTML', message: 'Never outerHTML.' },
        { property: 'insertAdjacentHTML', message: 'Never insertAdjacentHTML.' },
      ],
    },
  },
  {
    // Controls and DOM helpers know no feature.
    files: ['webview/ui/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview has no VS Code API.' }, { name: 'ws', message: 'The webview has no Node modules.' }],
        patterns: [
          { regex: '(^|/)src/(?!shared/)', message: 'The webview imports only src/shared/**.' },
          { regex: '^\\.\\./(charts|devloop|sections|main|state|guards)(/|$)', message: 'webview/ui imports no feature room.' },
        ],
      }],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
);
