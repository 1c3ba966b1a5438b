// Entry of the lazily loaded bundle dist/flows.js (see lazy.ts): commands and flows no activation runs.
export { detectSources } from './sources/detectFlow';
export { manageSources } from './sources/manageSources';
export { addSource } from './sources/addSource';
export { addTestAlert } from './views/testAlert';
export { goToHandler } from './devloop/gotoHandler';
export { showCompareSinceLastSave } from './devloop/compareCommand';
export { exportHistory } from '../core/persist/exportHistory';
export { probeUrl } from '../sources/probe';
// Each bundle has its own copy of format.ts: the loader sets its locale too.
export { setFormatLocale } from '../shared/format';
