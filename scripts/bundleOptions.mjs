// esbuild options shared by the build (esbuild.mjs) and what must bundle as it does (bench/activation.ts).
import { join } from 'node:path';

/**
 * What every bundle is built with.
 * @param {boolean} production minified, without source maps
 * @returns {import('esbuild').BuildOptions}
 */
export function baseOptions(production) {
  return { bundle: true, minify: production, sourcemap: production ? false : 'linked', sourcesContent: false, legalComments: 'none' };
}

/**
 * Bundles that run in the extension host (Node).
 * @type {import('esbuild').BuildOptions}
 */
export const NODE_BUNDLE = { platform: 'node', format: 'cjs', target: 'node20' };

/**
 * The host bundle's options without its entry point, output or plugins.
 * @param {boolean} production minified, without source maps
 * @returns {import('esbuild').BuildOptions}
 */
export function hostOptions(production) {
  return {
    ...baseOptions(production),
    ...NODE_BUNDLE,
    // `vscode` is provided by the extension host. `ws` tries to require two optional
    // native add-ons and falls back to pure JS when they are missing: mark them external
    // so the bundle keeps that try/require and nothing native ships.
    external: ['vscode', 'bufferutil', 'utf-8-validate'],
    define: { 'process.env.WS_NO_BUFFER_UTIL': '"1"', 'process.env.WS_NO_UTF_8_VALIDATE': '"1"' },
  };
}

/**
 * Bundles split off the activation path: dist/<name>.js built from each file, loaded by a
 * `require('./<file>.js')` in the source when first needed (see lazyEntries).
 */
export const LAZY_ENTRIES = {
  // The OTLP receiver with protobufjs: only for an `otlp` source.
  otlp: 'src/sources/otlp.ts',
  // The WebSocket client with `ws`: only for a `ws` source.
  ws: 'src/sources/wsSource.ts',
  sse: 'src/sources/sseSource.ts',
  // `http-json` and `prometheus` sources.
  poll: 'src/sources/pollSource.ts',
  promql: 'src/sources/promqlSource.ts',
  // The Prometheus text decoder: with the first text payload.
  prometheus: 'src/core/decode/prometheusFormat.ts',
  // The JSON decoders: with the first JSON payload.
  json: 'src/core/decode/jsonFormats.ts',
  // Settings of the otlp and promql source kinds: when such a source is configured.
  kindSettings: 'src/core/settings/kindSettings.ts',
  // The history formats (restore, raw log, compaction): when there is history to restore, or with the first save.
  history: 'src/host/storage/historyCodec.ts',
  // The metrics panel and its feed: when the panel first opens.
  panel: 'src/host/panelBundle.ts',
  // Commands and flows no activation runs: detection, Add/Manage Sources, Go to Handler, compare, export.
  flows: 'src/host/flows.ts',
};

/**
 * Keeps every import of a LAZY_ENTRIES file (other than from inside its own bundle) out of the
 * bundle being built, as a require of its sibling dist/<name>.js.
 * @param {string} root the repository root
 * @returns {import('esbuild').Plugin}
 */
export function lazyEntries(root) {
  const byFile = new Map(Object.entries(LAZY_ENTRIES).map(([name, file]) => [join(root, file), name]));
  const again = Symbol('lazy-entries');
  return {
    name: 'lazy-entries',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, async (args) => {
        if (args.pluginData === again || args.kind === 'entry-point') return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: again });
        const name = byFile.get(resolved.path);
        return name === undefined ? undefined : { path: `./${name}.js`, external: true };
      });
    },
  };
}
