// Entry of the lazily loaded bundle dist/panel.js (see pulseHost.ts): the metrics panel and its feed,
// loaded when the panel first opens (or VS Code revives it).
export { MetricsPanel } from './panel/panel';
export { PanelFeed } from '../core/views/panelFeed';
export { PinStore } from './storage/pinStore';
// Each bundle has its own copy of format.ts: the loader sets its locale too.
export { setFormatLocale } from '../shared/format';
