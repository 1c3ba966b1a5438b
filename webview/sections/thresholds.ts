// The threshold editor: one row per rule, with warning/critical/clear/for inputs.
// Apply sends only the fields the user changed; rows being edited are not overwritten by updates.
import type { RuleView, ThresholdPatch } from '../../src/shared/views';
import type { PanelState } from '../state';
import type { VsCodeApi } from '../ui/vscodeApi';
import { button, el, setText } from '../ui/dom';
import { safeText } from '../ui/text';
import { l10n } from '../ui/l10n';
import { directionText, originText, unitText } from '../ui/words';

type LevelField = 'warning' | 'critical' | 'clear';
const LEVEL_FIELDS: readonly LevelField[] = ['warning', 'critical', 'clear'];
const MAX_LEVEL = 1e15;

interface RuleRow {
  readonly body: HTMLTableSectionElement;
  readonly metric: HTMLElement;
  readonly labels: HTMLElement;
  readonly origin: HTMLElement;
  readonly direction: HTMLElement;
  readonly inputs: Readonly<Record<LevelField | 'forSeconds', HTMLInputElement>>;
  readonly units: readonly HTMLElement[];
  readonly apply: HTMLButtonElement;
  readonly reset: HTMLButtonElement;
  readonly save: HTMLButtonElement;
  readonly problemsRow: HTMLTableRowElement;
  readonly problems: HTMLElement;
  readonly error: HTMLElement;
  rule: RuleView;
  editing: boolean;
}

export type PatchResult = { readonly ok: true; readonly patch: ThresholdPatch } | { readonly ok: false; readonly field: LevelField | 'forSeconds'; readonly message: string };

/** What the inputs say, as a patch of the fields that differ from the rule. */
export function buildPatch(rule: RuleView, values: Readonly<Record<LevelField | 'forSeconds', string>>): PatchResult {
  const patch: { -readonly [K in keyof ThresholdPatch]: ThresholdPatch[K] } = {};
  for (const f of LEVEL_FIELDS) {
    const text = values[f].trim();
    const v = text === '' ? null : Number(text);
    if (v !== null && (!Number.isFinite(v) || Math.abs(v) >= MAX_LEVEL)) return { ok: false, field: f, message: f === 'warning' ? l10n.t('Warning must be a number') : f === 'critical' ? l10n.t('Critical must be a number') : l10n.t('Clear must be a number') };
    if (v !== rule[f]) patch[f] = v;
  }
  const forText = values.forSeconds.trim();
  const forSeconds = forText === '' ? 0 : Number(forText);
  if (!Number.isFinite(forSeconds) || forSeconds < 0 || forSeconds > 86_400) return { ok: false, field: 'forSeconds', message: l10n.t('"For" must be 0–86400 seconds') };
  if (forSeconds !== rule.forSeconds) patch.forSeconds = forSeconds;
  return { ok: true, patch };
}

const numText = (v: number | null) => (v == null ? '' : String(v));

export interface Thresholds {
  readonly root: HTMLElement;
  render(state: PanelState): number;
}

export function createThresholds(api: VsCodeApi): Thresholds {
  const headers = [l10n.t('Metric'), l10n.t('Direction'), l10n.t('Warning'), l10n.t('Critical'), l10n.t('Clear'), l10n.t('For (s)')];
  const head = el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)),
    el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, l10n.t('Actions')))));
  const table = el('table', { class: 'data-table thresholds-table', 'data-table': 'thresholds', 'aria-label': l10n.t('Threshold rules') }, head);
  const none = el('p', { class: 'muted' }, l10n.t('No threshold rules.'));
  const root = el('div', { class: 'thresholds' }, el('div', { class: 'table-scroll' }, table), none);
  const rows = new Map<string, RuleRow>();

  function values(r: RuleRow): Record<LevelField | 'forSeconds', string> {
    return { warning: r.inputs.warning.value, critical: r.inputs.critical.value, clear: r.inputs.clear.value, forSeconds: r.inputs.forSeconds.value };
  }

  function refreshApply(r: RuleRow): void {
    const result = buildPatch(r.rule, values(r));
    r.apply.disabled = !result.ok || Object.keys(result.patch).length === 0;
    for (const [f, input] of Object.entries(r.inputs)) input.setAttribute('aria-invalid', String(!result.ok && result.field === f));
    setText(r.error, result.ok ? '' : result.message);
  }

  function make(rule: RuleView): RuleRow {
    const id = rule.id;
    const name = safeText(rule.metric, 80);
    const input = (field: LevelField | 'forSeconds', label: string) =>
      el('input', { type: 'number', class: 'num-input', step: 'any', 'data-field': field, 'aria-label': label, ...(field === 'forSeconds' ? { min: 0, max: 86400, step: 1 } : {}) });
    const inputs = {
      warning: input('warning', l10n.t('Warning level for {0}', name)),
      critical: input('critical', l10n.t('Critical level for {0}', name)),
      clear: input('clear', l10n.t('Clear level for {0}', name)),
      forSeconds: input('forSeconds', l10n.t('Seconds before firing for {0}', name)),
    };
    const units = LEVEL_FIELDS.map(() => el('span', { class: 'unit-suffix' }));
    const metric = el('span', { class: 'rule-metric' });
    const labels = el('span', { class: 'rule-labels muted' });
    const origin = el('span', { class: 'origin-badge' });
    const direction = el('td', { class: 'direction' });
    const error = el('span', { class: 'field-error', role: 'status' });
    const apply = button(l10n.t('Apply'), { class: 'btn small', 'data-action': 'apply', 'aria-label': l10n.t('Apply thresholds for {0}', name) }, () => {
      const result = buildPatch(row.rule, values(row));
      if (!result.ok || Object.keys(result.patch).length === 0) return refreshApply(row);
      api.post({ type: 'setThreshold', ruleId: id, patch: result.patch });
      row.editing = false;
      apply.disabled = true;
    });
    const reset = button(l10n.t('Reset'), { class: 'btn secondary small', 'data-action': 'reset', 'aria-label': l10n.t('Reset {0} to its default', name) }, () => api.post({ type: 'resetThreshold', ruleId: id }));
    const save = button(l10n.t('Save to settings'), { class: 'btn secondary small', 'data-action': 'save', 'aria-label': l10n.t('Save {0} to settings', name) }, () => api.post({ type: 'saveThresholdToSettings', ruleId: id }));
    const problems = el('ul', { class: 'rule-problems' });
    const problemsRow = el('tr', { class: 'problems-row', hidden: true }, el('td', { colspan: 7 }, problems));
    const cellWith = (i: number, f: LevelField) => el('td', { class: 'level' }, el('span', { class: 'input-with-unit' }, inputs[f], units[i] ?? null));
    const main = el('tr', {},
      el('td', { class: 'metric-cell' }, el('div', { class: 'rule-head' }, metric, origin), labels),
      direction,
      cellWith(0, 'warning'), cellWith(1, 'critical'), cellWith(2, 'clear'),
      el('td', { class: 'level' }, inputs.forSeconds),
      el('td', { class: 'actions' }, apply, reset, save, error));
    const body = el('tbody', { 'data-rule-id': id }, main, problemsRow);
    const row: RuleRow = { body, metric, labels, origin, direction, inputs, units, apply, reset, save, problemsRow, problems, error, rule, editing: false };
    for (const i of Object.values(inputs)) {
      i.addEventListener('input', () => {
        row.editing = true;
        refreshApply(row);
      });
      i.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && !apply.disabled) apply.click();
      });
    }
    return row;
  }

  function update(r: RuleRow, rule: RuleView): void {
    r.rule = rule;
    setText(r.metric, rule.metric);
    const labels = rule.labels ? Object.entries(rule.labels).map(([k, v]) => `${k}=${v}`).join(', ') : '';
    setText(r.labels, rule.anomaly != null ? [labels, l10n.t('anomaly: {0} % above baseline', Math.round(rule.anomaly * 100))].filter(Boolean).join(' · ') : labels);
    setText(r.origin, originText(rule.origin));
    r.origin.dataset.origin = rule.origin;
    setText(r.direction, directionText(rule.direction));
    const unit = rule.unit === 'none' || rule.unit === 'count' ? '' : rule.unit === 'percent' ? '%' : unitText(rule.unit);
    for (const u of r.units) if (u.textContent !== unit) u.textContent = unit;
    if (!r.editing) {
      for (const f of LEVEL_FIELDS) r.inputs[f].value = numText(rule[f]);
      r.inputs.forSeconds.value = String(rule.forSeconds);
    }
    refreshApply(r);
    r.reset.hidden = rule.origin !== 'override';
    r.save.hidden = rule.origin !== 'override';
    r.problems.replaceChildren(...rule.problems.slice(0, 10).map((p) => {
      const li = el('li');
      setText(li, p, 300);
      return li;
    }));
    r.problemsRow.hidden = rule.problems.length === 0;
    r.body.classList.toggle('has-problems', rule.problems.length > 0);
  }

  return {
    root,
    render(state) {
      const seen = new Set<string>();
      let i = 0;
      state.rules.forEach((rule) => {
        if (seen.has(rule.id)) return;
        seen.add(rule.id);
        let r = rows.get(rule.id);
        if (!r) {
          r = make(rule);
          rows.set(rule.id, r);
        }
        update(r, rule);
        // Move only rows out of place: moving a row would blur an input the user is typing in.
        if (table.tBodies[i] !== r.body) table.insertBefore(r.body, table.tBodies[i] ?? null);
        i++;
      });
      for (const [id, r] of rows) {
        if (!seen.has(id)) {
          r.body.remove();
          rows.delete(id);
        }
      }
      none.hidden = rows.size > 0;
      table.hidden = rows.size === 0;
      return rows.size;
    },
  };
}
