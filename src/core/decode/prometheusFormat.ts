// Entry of the lazily loaded bundle dist/prometheus.js (esbuild.mjs LAZY_ENTRIES): the Prometheus text decoder.
export { decodePrometheus } from './prometheus';
export { looksLikePrometheus } from './prometheusParse';
