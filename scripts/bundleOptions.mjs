// esbuild options shared by the build (esbuild.mjs) and what must bundle as it does (bench/activation.ts).

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
