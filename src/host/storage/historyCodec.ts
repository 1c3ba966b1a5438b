// Entry of the lazily loaded bundle dist/history.js (esbuild.mjs LAZY_ENTRIES): the history formats,
// loaded when there is saved history to restore or with the first save.
export { RawLogWriter, compactRaw } from '../../core/persist/rawLog';
export { encodeCompact } from '../../core/persist/compact';
export { intactSegments } from '../../core/persist/segments';
export { restoreInChunks } from '../../core/persist/restore';
