// Builds the extension host bundle, the bundles it loads lazily and the webview bundle in one call.
//   node esbuild.mjs               development build with source maps
//   node esbuild.mjs --production  minified, no source maps
//   node esbuild.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { baseOptions, hostOptions, lazyEntries, LAZY_ENTRIES } from './scripts/bundleOptions.mjs';

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

/** Code no activation needs is split into bundles of its own (LAZY_ENTRIES), loaded when first needed. */
const lazy = lazyEntries(process.cwd());

/** @type {import('esbuild').BuildOptions} */
const host = {
  ...hostOptions(production),
  ...logging,
  plugins: [...logging.plugins, lazy],
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
};

/** @type {import('esbuild').BuildOptions} */
const lazyBundles = { ...hostOptions(production), ...logging, plugins: [...logging.plugins, lazy], entryPoints: LAZY_ENTRIES, outdir: 'dist' };

/** @type {import('esbuild').BuildOptions} */
const webview = {
  ...baseOptions(production),
  ...logging,
  entryPoints: { webview: 'webview/main.ts' },
  outdir: 'dist',
  platform: 'browser',
  format: 'iife',
  target: ['chrome120'],
  // The codicon font that styles.css imports ships beside webview.css as dist/codicon.ttf.
  loader: { '.css': 'css', '.ttf': 'file' },
  assetNames: '[name]',
};

if (watch) {
  const contexts = await Promise.all([esbuild.context(host), esbuild.context(lazyBundles), esbuild.context(webview)]);
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all([esbuild.build(host), esbuild.build(lazyBundles), esbuild.build(webview)]);
}
