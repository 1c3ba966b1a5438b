// Builds the extension host bundle and the webview bundle in one call.
//   node esbuild.mjs               development build with source maps
//   node esbuild.mjs --production  minified, no source maps
//   node esbuild.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').Plugin} */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: watch ? 'silent' : 'warning',
  legalComments: 'none',
  plugins: watch ? [problemMatcher] : [],
};

/**
 * The OTLP receiver (with protobufjs) is its own bundle, dist/otlp.js, which src/sources/transport.ts
 * requires only when an `otlp` source is configured: keep that require as it is in the host bundle.
 * @type {import('esbuild').Plugin}
 */
const lazyOtlp = {
  name: 'lazy-otlp',
  setup(build) {
    build.onResolve({ filter: /^\.\/otlp\.js$/ }, (args) => (args.importer.endsWith('transport.ts') ? { path: './otlp.js', external: true } : undefined));
  },
};

/** @type {import('esbuild').BuildOptions} */
const host = {
  ...common,
  plugins: [...common.plugins, lazyOtlp],
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // `vscode` is provided by the extension host. `ws` tries to require two optional
  // native add-ons and falls back to pure JS when they are missing: mark them external
  // so the bundle keeps that try/require and nothing native ships.
  external: ['vscode', 'bufferutil', 'utf-8-validate'],
  define: { 'process.env.WS_NO_BUFFER_UTIL': '"1"', 'process.env.WS_NO_UTF_8_VALIDATE': '"1"' },
};

/** @type {import('esbuild').BuildOptions} */
const otlp = {
  ...common,
  entryPoints: { otlp: 'src/sources/otlp.ts' },
  outdir: 'dist',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
};

/** @type {import('esbuild').BuildOptions} */
const webview = {
  ...common,
  entryPoints: { webview: 'webview/main.ts' },
  outdir: 'dist',
  platform: 'browser',
  format: 'iife',
  target: ['chrome120'],
  loader: { '.css': 'css' },
};

if (watch) {
  const contexts = await Promise.all([esbuild.context(host), esbuild.context(otlp), esbuild.context(webview)]);
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all([esbuild.build(host), esbuild.build(otlp), esbuild.build(webview)]);
}
