// Handles what the panel's webview asks for. No VS Code import: the panel passes in `post` and the
// actions, so this is tested in plain Node with a fake panel. Every message is validated first;
// nothing is taken from a message without checking it against what exists.

import type { Logger } from '../core/model';
import type { AnnotationView, CompareRowView, HostMessage, SnoozeDuration, ThresholdPatch, ValueMode, WindowId, PointsView } from '../protocol';
import { parseWebviewMessage } from '../protocol';
import { assertNever } from '../core/assert';

export interface PanelActions {
  snapshot(): HostMessage;
  history(ids: readonly string[], window: WindowId, mode: ValueMode): PointsView[];
  reconnect(sourceId: string | null): void;
  addSource(): void;
  openSettings(): void;
  acknowledgeAlert(alertId: string): void;
  dismissAlert(alertId: string): void;
  snoozeAlert(alertId: string, duration: SnoozeDuration): void;
  setThreshold(ruleId: string, patch: ThresholdPatch): string | undefined;
  resetThreshold(ruleId: string): void;
  saveThresholdToSettings(ruleId: string): void;
  hasAlert(alertId: string): boolean;
  hasRule(ruleId: string): boolean;
  hasSource(sourceId: string): boolean;
  showError(message: string): void;
  goToHandler(method: string | null, path: string): void;
  compare(annotationId: string): { annotation: AnnotationView | null; rows: readonly CompareRowView[] } | undefined;
  searchSeries(query: string): void;
  /** Pulse features beyond the core protocol (code-aware actions), validated by their owner. */
  extra?(message: unknown): boolean;
}

export class PanelController {
  private ready = false;

  constructor(
    private readonly post: (message: HostMessage) => void,
    private readonly actions: PanelActions,
    private readonly log: Logger,
  ) {}

  get isReady(): boolean {
    return this.ready;
  }

  /** The webview was hidden (and so destroyed): nothing is posted until it says `ready` again. */
  markNotReady(): void {
    this.ready = false;
  }

  /** Called with whatever the webview posted. Returns false when the message was refused. */
  receive(raw: unknown): boolean {
    const message = parseWebviewMessage(raw);
    if (!message) {
      if (this.actions.extra?.(raw)) return true;
      this.log.warn(`Refused a message from the panel that is not part of Pulse's protocol: ${describe(raw)}`);
      return false;
    }
    const a = this.actions;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post(a.snapshot());
        return true;
      case 'requestHistory':
        this.post({ type: 'didLoadHistory', requestId: message.requestId, window: message.window, mode: message.mode, series: a.history(message.ids, message.window, message.mode) });
        return true;
      case 'reconnect':
        if (message.sourceId !== null && !a.hasSource(message.sourceId)) return this.refuse('reconnect', 'unknown source');
        a.reconnect(message.sourceId);
        return true;
      case 'addSource':
        a.addSource();
        return true;
      case 'openSettings':
        a.openSettings();
        return true;
      case 'acknowledgeAlert':
        if (!a.hasAlert(message.alertId)) return this.refuse(message.type, 'unknown alert');
        a.acknowledgeAlert(message.alertId);
        return true;
      case 'dismissAlert':
        if (!a.hasAlert(message.alertId)) return this.refuse(message.type, 'unknown alert');
        a.dismissAlert(message.alertId);
        return true;
      case 'snoozeAlert':
        if (!a.hasAlert(message.alertId)) return this.refuse(message.type, 'unknown alert');
        a.snoozeAlert(message.alertId, message.duration);
        return true;
      case 'setThreshold': {
        if (!a.hasRule(message.ruleId)) return this.refuse(message.type, 'unknown rule');
        const problem = a.setThreshold(message.ruleId, message.patch);
        if (problem) a.showError(`Threshold not changed: ${problem}`);
        return problem === undefined;
      }
      case 'resetThreshold':
        if (!a.hasRule(message.ruleId)) return this.refuse(message.type, 'unknown rule');
        a.resetThreshold(message.ruleId);
        return true;
      case 'saveThresholdToSettings':
        if (!a.hasRule(message.ruleId)) return this.refuse(message.type, 'unknown rule');
        a.saveThresholdToSettings(message.ruleId);
        return true;
      case 'goToHandler':
        a.goToHandler(message.method, message.path);
        return true;
      case 'searchSeries':
        a.searchSeries(message.query);
        return true;
      case 'compare': {
        const result = a.compare(message.annotationId);
        if (!result) return this.refuse('compare', 'unknown annotation');
        this.post({ type: 'didCompare', requestId: message.requestId, annotation: result.annotation, rows: result.rows });
        return true;
      }
      default:
        return assertNever(message);
    }
  }

  private refuse(type: string, why: string): false {
    this.log.warn(`Refused "${type}" from the panel: ${why}`);
    return false;
  }
}

function describe(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = Object.prototype.toString.call(raw);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
