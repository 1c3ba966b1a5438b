// Entry of the lazily loaded bundle dist/flows.js (see lazy.ts): commands, flows and source actions no activation runs.
export { detectSources } from './sources/detectFlow';
export { manageSources } from './sources/manageSources';
export { addSource } from './sources/addSource';
export { reconnectSource, removeSource, setEnabled, setToken, testSource } from './sources/sourceActions';
export { discoverPorts } from '../core/detect/candidates';
export { readWorkspaceFiles } from './sources/workspaceFiles';
export { addTestAlert } from './views/testAlert';
export { goToHandler } from './devloop/gotoHandler';
export { showCompareSinceLastSave } from './devloop/compareCommand';
export { annotationView, compareAt, compareRowView, sortRows, COMPARE_WINDOW_MS } from '../core/devloop/beforeAfter';
export { REGRESSION_CHECK_EVERY_MS, RegressionWatch } from '../core/devloop/regression';
export { exportHistory } from '../core/persist/exportHistory';
export { probeUrl } from '../sources/probe';
// Each bundle has its own copy of format.ts: the loader sets its locale too.
export { setFormatLocale } from '../shared/format';
