// The metrics panel: receives host messages, reduces them into state, renders changed sections once per frame.
import './styles.css';
// First: every module below may draw text, and the host's l10n bundle must be in place before any does.
import './ui/l10nStart';
import { l10n } from './ui/l10n';
import type { HostMessage } from '../src/shared/protocol';
import { parseHostMessage } from '../src/shared/protocol';
import { assertNever } from '../src/shared/check';
import type { Prefs, TablePrefs } from './ui/prefs';
import { adoptPins, movePin, parsePrefs, tablePrefs, togglePinned } from './ui/prefs';
import { watchPinOrder } from './sections/pinOrder';
import type { PanelState } from './state';
import type { SectionId } from '../src/shared/sections';
import { initialState, markClean, reduce, touch } from './state';
import { clean } from './guards';
import { vscodeApi } from './ui/vscodeApi';
import { el } from './ui/dom';
import { createHeader } from './sections/header';
import { createGauges } from './sections/gauges';
import { createCharts } from './charts/collection';
import { createSeriesList } from './sections/seriesList';
import { connectionsSpec, createTableSection, endpointsSpec, topicsSpec } from './sections/tables';
import type { TableSpec } from './ui/sortableTable';
import { createAlerts } from './sections/alerts';
import { createThresholds } from './sections/thresholds';
import { createEmptyState } from './sections/emptyState';
import { createSection } from './ui/section';
import { createDevLoop } from './devloop/devLoop';
import { onThemeChange } from './charts/theme';
import { setFormatLocale } from '../src/shared/format';

// The host writes VS Code's display language into <html lang>; a page served without it uses the browser's.
setFormatLocale(document.documentElement.lang || navigator.language);

const api = vscodeApi();
let prefs: Prefs = parsePrefs(api.getState());
let state: PanelState = initialState;
let chartsDirty = false;
let clockDirty = false;
let frame = 0;

function schedule(): void {
  if (frame === 0) frame = requestAnimationFrame(render);
}

/** Applies a change to the user's choices, saves them, and re-renders the sections they affect. */
function updatePrefs(change: (p: Prefs) => Prefs, ...sections: SectionId[]): void {
  const pinned = prefs.pinned;
  prefs = change(prefs);
  api.setState(prefs);
  // The host keeps the pins (workspace state) when it sent some: tell it of every pin, unpin and move.
  if (state.pins !== null && prefs.pinned !== pinned) api.post({ type: 'setPins', ids: [...prefs.pinned] });
  state = touch(state, ...sections);
  schedule();
}

function setTablePrefs(id: string, patch: Partial<TablePrefs>, section: SectionId): void {
  updatePrefs((p) => ({ ...p, tables: { ...p.tables, [id]: { ...tablePrefs(p, id), ...patch } } }), section);
}

const onToggleSection = (id: string, collapsed: boolean) =>
  updatePrefs((p) => ({ ...p, collapsed: collapsed ? [...new Set([...p.collapsed, id])] : p.collapsed.filter((x) => x !== id) }));

function section(id: string, title: string) {
  return createSection(id, title, prefs.collapsed.includes(id), onToggleSection);
}

let searchTimer = 0;
/** The host holds more series than it sends when a source floods; the filter searches them all there. */
function searchOnHost(filter: string): void {
  clearTimeout(searchTimer);
  searchTimer = window.setTimeout(() => api.post({ type: 'searchSeries', query: filter.trim().slice(0, 200) }), 250);
}

const sourceNames = new Map<string, string>();
const sourceName = (id: string) => sourceNames.get(id) ?? id;

const header = createHeader(api);
const empty = createEmptyState(api);
const gauges = createGauges();
const alerts = createAlerts(api);
const charts = createCharts(api, (change) => {
  updatePrefs(change, 'series');
  chartsDirty = true;
});
const seriesList = createSeriesList(
  (id) => {
    updatePrefs((p) => togglePinned(p, id), 'series');
    chartsDirty = true;
  },
  (filter) => {
    setTablePrefs('series', { filter }, 'series');
    searchOnHost(filter);
  },
  tablePrefs(prefs, 'series').filter,
);
const devLoop = createDevLoop(api, (id) => charts.highlightAnnotation(id));
const thresholds = createThresholds(api);

const sections = {
  alerts: section('alerts', l10n.t('Alerts')),
  charts: section('charts', l10n.t('Charts')),
  annotations: section('annotations', l10n.t('Dev loop')),
  series: section('series', l10n.t('Series')),
  endpoints: section('endpoints', l10n.t('Endpoints')),
  connections: section('connections', l10n.t('Connections')),
  topics: section('topics', l10n.t('Topics')),
  thresholds: section('thresholds', l10n.t('Thresholds')),
};
sections.alerts.body.append(alerts.root);
sections.charts.actions.append(charts.toolbar);
sections.charts.body.append(charts.root);
watchPinOrder(charts.root, (id, by) => {
  updatePrefs((p) => movePin(p, id, by), 'series');
  chartsDirty = true;
});
sections.annotations.actions.append(devLoop.actions);
sections.annotations.body.append(devLoop.root);
sections.series.body.append(seriesList.root);
sections.thresholds.body.append(thresholds.root);

/** A table section whose id names both the panel section and its saved table choices. */
function tableSection<R>(id: 'endpoints' | 'connections' | 'topics', spec: TableSpec<R>) {
  return createTableSection(spec, sections[id], tablePrefs(prefs, id), (patch) => setTablePrefs(id, patch, id));
}
const endpoints = tableSection('endpoints', endpointsSpec(sourceName, api));
const connections = tableSection('connections', connectionsSpec(sourceName));
const topics = tableSection('topics', topicsSpec(sourceName));

const content = el('main', { class: 'content', hidden: true }, gauges.root, ...Object.values(sections).map((s) => s.root));
const app = document.getElementById('app') ?? document.body;
app.append(header.root, empty.banner, empty.failures, empty.root, content);

interface Renderer {
  /** Named in the console when drawing it fails. */
  readonly name: string;
  /** The sections whose change redraws it. */
  readonly on: readonly SectionId[];
  /** Redrawn also when this holds (the clock ticked, charts are behind). */
  readonly also?: () => boolean;
  readonly draw: (now: number) => void;
}

let chartsBehind = false;
const clockTicked = () => clockDirty;

// In drawing order: source names first (other parts show them), chart annotations before the charts.
const renderers = [
  { name: 'source names', on: ['sources'], draw: () => {
    sourceNames.clear();
    for (const s of state.sources) sourceNames.set(s.id, s.name);
  } },
  { name: 'header', on: ['sources'], also: clockTicked, draw: (now) => header.render(state, now) },
  { name: 'empty state', on: ['sources', 'configProblems'], draw: () => (content.hidden = !empty.render(state)) },
  { name: 'gauges', on: ['summary', 'rules'], draw: () => gauges.render(state) },
  { name: 'alerts', on: ['alerts', 'rules', 'sources'], also: clockTicked, draw: (now) => sections.alerts.setCount(alerts.render(state, now) || null) },
  { name: 'chart annotations', on: ['annotations'], draw: () => charts.setAnnotations(state.annotations) },
  { name: 'pins', on: ['pins'], draw: () => {
    const next = adoptPins(prefs, state.pins);
    if (next === prefs) return;
    prefs = next;
    api.setState(prefs);
    state = touch(state, 'series');
    chartsDirty = true;
  } },
  { name: 'charts', on: ['series', 'rules', 'overlays'], also: () => chartsDirty, draw: () => (chartsBehind = charts.render(state, prefs)) },
  { name: 'dev loop', on: ['annotations'], also: clockTicked, draw: (now) => sections.annotations.setCount(devLoop.render(state, now) || null) },
  { name: 'series', on: ['series', 'sources'], draw: () => sections.series.setCount(seriesList.render(state, prefs)) },
  { name: 'endpoints', on: ['endpoints', 'sources'], draw: () => endpoints.render(state.endpoints, tablePrefs(prefs, 'endpoints')) },
  { name: 'connections', on: ['connections', 'sources'], draw: () => connections.render(state.connections, tablePrefs(prefs, 'connections')) },
  { name: 'topics', on: ['topics', 'sources'], draw: () => topics.render(state.topics, tablePrefs(prefs, 'topics')) },
  { name: 'thresholds', on: ['rules'], draw: () => sections.thresholds.setCount(thresholds.render(state)) },
] as const satisfies readonly Renderer[];

// Every section is drawn by some renderer: a section added to the registry fails to compile here until one is.
type Undrawn = Exclude<SectionId, (typeof renderers)[number]['on'][number]>;
const everySectionDrawn: [Undrawn] extends [never] ? true : Undrawn = true;
void everySectionDrawn;

/** Draws one part, keeping a failure in it from taking the others down. */
function guarded(name: string, f: () => void): void {
  try {
    f();
  } catch (err) {
    console.error(`Pulse: rendering ${name} failed`, err);
  }
}

function render(): void {
  frame = 0;
  const now = Date.now();
  chartsBehind = false;
  for (const r of renderers as readonly Renderer[]) {
    if (r.on.some((id) => state.dirty.has(id)) || r.also?.()) guarded(r.name, () => r.draw(now));
  }
  state = markClean(state);
  // Charts not drawn in this frame (each frame draws a few) are drawn in the next.
  chartsDirty = chartsBehind;
  clockDirty = false;
  if (chartsBehind) schedule();
}

function receive(msg: HostMessage): void {
  switch (msg.type) {
    case 'didSnapshot':
      state = reduce(state, msg, Date.now());
      chartsDirty = true;
      break;
    case 'didUpdate':
      state = reduce(state, msg, Date.now());
      if (msg.delta.points && state.loaded && charts.appendPoints(clean.points(msg.delta.points), state.hostNow)) chartsDirty = true;
      if (msg.delta.values && state.loaded && charts.appendValues(clean.values(msg.delta.values), state)) chartsDirty = true;
      break;
    case 'didLoadHistory':
      if (charts.loadHistory({ ...msg, series: clean.points(msg.series) })) chartsDirty = true;
      break;
    case 'didCompare':
      devLoop.receiveCompare(msg, Date.now());
      break;
    default:
      assertNever(msg, 'host message');
  }
  schedule();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseHostMessage(event.data);
  if (!msg) return;
  try {
    receive(msg);
  } catch (err) {
    console.error('Pulse: a host message could not be applied', err);
  }
});

// Relative times ("updated 3s ago", countdowns) move on without new data.
setInterval(() => {
  if (!state.loaded || document.hidden) return;
  clockDirty = true;
  schedule();
}, 1000);

onThemeChange(() => {
  charts.themeChanged();
  chartsDirty = true;
  schedule();
});

api.post({ type: 'ready' });
if (tablePrefs(prefs, 'series').filter.trim() !== '') searchOnHost(tablePrefs(prefs, 'series').filter);
schedule();
