// Entry of the lazily loaded bundle dist/kindSettings.js (esbuild.mjs LAZY_ENTRIES): the settings of the
// otlp and promql source kinds, read only when such a source is configured.
export { otlpEntry } from './otlpSettings';
export { parsePromqlSettings } from './promqlSettings';
