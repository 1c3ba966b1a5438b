// Builds the extension host bundle and the webview bundle in one call.
//   node esbuild.mjs               development build with source maps
//   node esbuild.mjs --production  minified, no source maps
//   node esbuild.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { baseOptions, hostOptions, NODE_BUNDLE } from './scripts/bundleOptions.mjs';

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

const logging = {
  logLevel: watch ? 'silent' : 'warning',
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
  ...hostOptions(production),
  ...logging,
  plugins: [...logging.plugins, lazyOtlp],
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
};

/** @type {import('esbuild').BuildOptions} */
const otlp = { ...baseOptions(production), ...NODE_BUNDLE, ...logging, entryPoints: { otlp: 'src/sources/otlp.ts' }, outdir: 'dist' };

/** @type {import('esbuild').BuildOptions} */
const webview = {
  ...baseOptions(production),
  ...logging,
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
