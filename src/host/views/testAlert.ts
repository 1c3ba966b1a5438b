// The walkthrough's last step: a threshold rule set just below a live series' value, so an alert fires now.

import * as vscode from 'vscode';
import type { PulseHost } from '../pulseHost';
import type { SeriesInfo } from '../../core/series/store';
import { SECTION } from '../config';
import { plainText } from '../../core/views/safeText';
import { l10n } from '../l10n';
import { confirm } from '../sources/sourceActions';

export const TEST_RULE_ID = 'pulse-walkthrough-test';
const PREFERRED_ROLES = ['heap', 'rss', 'requestRate', 'connections', 'uptime'];

/** The series to alert on: a live one with a role Pulse knows, else any live one. */
export function testSeries(series: readonly SeriesInfo[]): SeriesInfo | undefined {
  const live = series.filter((s) => s.value !== null && Number.isFinite(s.value) && !s.restored);
  const rank = (s: SeriesInfo): number => {
    const i = s.role === null ? -1 : PREFERRED_ROLES.indexOf(s.role);
    return i < 0 ? PREFERRED_ROLES.length + (s.labels.length > 0 ? 1 : 0) : i;
  };
  return [...live].sort((a, b) => rank(a) - rank(b))[0];
}

/** A rule whose warning level the series' current value is already past. */
export function testRule(s: SeriesInfo): Record<string, unknown> {
  const value = s.value ?? 0;
  const warning = value > 0 ? Number((value / 2).toPrecision(3)) : value - 1;
  const rule: Record<string, unknown> = { id: TEST_RULE_ID, metric: s.name, warning, for: 0 };
  if (s.labels.length > 0) rule.labels = Object.fromEntries(s.labels);
  return rule;
}

export async function addTestAlert(host: PulseHost): Promise<void> {
  const s = testSeries(host.pipeline.store.list());
  if (!s) {
    const detect = l10n.t('Detect Sources');
    const choice = await vscode.window.showInformationMessage(l10n.t('Pulse has no live data yet to set a test alert on. Connect a source first.'), detect);
    if (choice === detect) await vscode.commands.executeCommand('pulse.detectSources');
    return;
  }
  const config = vscode.workspace.getConfiguration(SECTION);
  const hasFolder = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  const target = hasFolder ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const inspected = config.inspect<unknown[]>('thresholds');
  const current = target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
  const list = (Array.isArray(current) ? current : []).filter((e) => !(typeof e === 'object' && e !== null && (e as { id?: unknown }).id === TEST_RULE_ID));
  list.push(testRule(s));
  await config.update('thresholds', list, target);
  host.log.info(`Walkthrough: test rule "${TEST_RULE_ID}" on ${s.name} added to ${hasFolder ? 'workspace' : 'user'} settings`);
  confirm(l10n.t('Pulse: test alert set on {0}; remove "{1}" from pulse.thresholds when done', plainText(s.name), plainText(TEST_RULE_ID)));
  await vscode.commands.executeCommand('pulse.alerts.focus');
}
