// The Sources and Alerts trees of the Pulse view container, refreshed (at most once a second) from the pipeline.

import * as vscode from 'vscode';
import type { Pipeline } from '../../core/pipeline';
import type { SourceManager } from '../sources/sourceManager';
import type { Row } from './rows';
import { alertRows, attentionCount, sourceRows } from './rows';
import { l10n } from '../l10n';

export const SOURCES_VIEW = 'pulse.sources';
export const ALERTS_VIEW = 'pulse.alerts';
const REFRESH_MS = 1000;

/** A tree element: a source or alert row, or a group of alert rows. */
export type Node = { readonly type: 'row'; readonly row: Row } | { readonly type: 'group'; readonly id: 'active' | 'recent'; readonly rows: readonly Row[] };

function toItem(row: Row): vscode.TreeItem {
  const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
  item.id = row.id;
  item.description = row.description;
  item.tooltip = row.tooltip;
  item.iconPath = new vscode.ThemeIcon(row.icon, row.color ? new vscode.ThemeColor(row.color) : undefined);
  item.contextValue = row.contextValue;
  return item;
}

/** Fires onDidChangeTreeData at most every REFRESH_MS while something changes. */
class Refresher implements vscode.Disposable {
  readonly emitter = new vscode.EventEmitter<undefined>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emitter.fire(undefined);
    }, REFRESH_MS);
  }
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.emitter.dispose();
  }
}

export class SourcesTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly refresher = new Refresher();
  readonly onDidChangeTreeData = this.refresher.emitter.event;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly sources: SourceManager,
  ) {}

  refresh(): void {
    this.refresher.schedule();
  }

  getChildren(element?: Node): Node[] {
    if (element) return [];
    const runtimes = this.pipeline.sources();
    // A reconnect countdown changes with time alone: refresh while one shows.
    if (runtimes.some((rt) => rt.state.phase === 'reconnecting')) this.refresher.schedule();
    return sourceRows(runtimes, (id) => this.sources.isEnabled(id), this.pipeline.clock.now(), l10n).map((row) => ({ type: 'row', row }));
  }

  getTreeItem(element: Node): vscode.TreeItem {
    if (element.type === 'row') return toItem(element.row);
    return new vscode.TreeItem(element.id);
  }

  dispose(): void {
    this.refresher.dispose();
  }
}

export class AlertsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly refresher = new Refresher();
  readonly onDidChangeTreeData = this.refresher.emitter.event;

  constructor(private readonly pipeline: Pipeline) {}

  refresh(): void {
    this.refresher.schedule();
  }

  /** Firing (and pending, no data) alerts, then the recently resolved, each group only when not empty. */
  getChildren(element?: Node): Node[] {
    if (element) return element.type === 'group' ? element.rows.map((row) => ({ type: 'row', row })) : [];
    const now = this.pipeline.clock.now();
    const rows = alertRows(this.pipeline.alerts.views(now), (id) => this.pipeline.source(id)?.config.name ?? id, now, l10n);
    const groups: Node[] = [];
    if (rows.active.length > 0) groups.push({ type: 'group', id: 'active', rows: rows.active });
    if (rows.recent.length > 0) groups.push({ type: 'group', id: 'recent', rows: rows.recent });
    return groups;
  }

  getTreeItem(element: Node): vscode.TreeItem {
    if (element.type === 'row') return toItem(element.row);
    const active = element.id === 'active';
    const item = new vscode.TreeItem(active ? l10n.t('Firing') : l10n.t('Recent'), active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `group:${element.id}`;
    item.description = String(element.rows.length);
    item.tooltip = active ? l10n.t('Firing, pending and no-data alerts') : l10n.t('Alerts resolved recently');
    item.contextValue = `pulseAlertGroup.${element.id}`;
    return item;
  }

  /** Active alerts, for the view's badge. */
  activeCount(): number {
    return attentionCount(this.pipeline.alerts.views(this.pipeline.clock.now()));
  }

  dispose(): void {
    this.refresher.dispose();
  }
}
