// One handler per webview request, all in one map: a request added to src/shared/requests.ts does not
// compile until it has its handler here. No VS Code import (the host passes its parts in), so every
// handler is tested in plain Node. Nothing a message names is acted on before checking that it exists.

import type { HostMessage } from '../../shared/protocol';
import type { PanelSnapshot } from '../../shared/sections';
import type { RequestType, WebviewMessage } from '../../shared/requests';
import { PNG_DATA_URL } from '../../shared/requests';
import type { AnnotationView, CompareRowView, PointsView, ThresholdPatch } from '../../shared/views';
import type { SnoozeDuration, ValueMode, WindowId } from '../../shared/vocabulary';

/** What a handler may do with the panel besides its own work. */
export interface RequestContext {
  /** Posts an answer to the page. */
  reply(message: HostMessage): void;
  /** Marks the request refused (receive() returns false), logging why when a reason is given. */
  refuse(why?: string): void;
}

export type RequestHandler<K extends RequestType> = (message: WebviewMessage<K>, ctx: RequestContext) => void;
export type RequestHandlers = { readonly [K in RequestType]: RequestHandler<K> };

/**
 * The host's parts the requests act on. PulseHost and the panel pass the real objects; the types list
 * only the members used here, so a fake is small.
 */
export interface PanelHost {
  readonly feed: {
    snapshot(now: number): PanelSnapshot;
    history(ids: readonly string[], window: WindowId, mode: ValueMode, now: number): PointsView[];
    setSearch(query: string): void;
    /** Keeps the page's pinned charts (workspace state). */
    setPins(ids: readonly string[]): void;
    /** Keeps the series the page overlaid on one pinned chart (workspace state). */
    setOverlays(chartId: string, ids: readonly string[]): void;
  };
  readonly pipeline: {
    readonly alerts: { has(alertId: string): boolean };
    readonly clock: { now(): number };
    source(sourceId: string): object | undefined;
    rulesView(): readonly { readonly id: string }[];
    acknowledge(alertId: string): void;
    dismiss(alertId: string): void;
    snooze(alertId: string, duration: SnoozeDuration, now: number): void;
    /** Returns a problem when the patch is refused. */
    setOverride(ruleId: string, patch: ThresholdPatch): string | undefined;
    resetOverride(ruleId: string): void;
  };
  readonly sources: { reconnect(sourceIds?: readonly string[]): Promise<void> };
  readonly codeAware: {
    goToHandler(method: string | null, path: string): Promise<void>;
    compare(annotationId: string): { annotation: AnnotationView | null; rows: readonly CompareRowView[] } | undefined;
  };
  /** Runs a user decision and saves it at once. */
  decide<T>(run: () => T): T;
  addSource(): Promise<void>;
  openSettings(): void;
  saveThresholdToSettings(ruleId: string): Promise<void>;
  showError(message: string): void;
  /** Asks the user where to save `bytes` (suggesting `fileName`, a plain name) and writes them there. */
  saveFile(fileName: string, bytes: Uint8Array): Promise<void>;
  /** Posts a delta to the panel soon. */
  schedule(): void;
}

export function panelHandlers(host: PanelHost): RequestHandlers {
  const { feed, pipeline } = host;
  const hasRule = (ruleId: string) => pipeline.rulesView().some((r) => r.id === ruleId);
  return {
    ready: (_m, ctx) => {
      ctx.reply({ type: 'didSnapshot', snapshot: feed.snapshot(Date.now()) });
    },
    requestHistory: (m, ctx) => {
      ctx.reply({ type: 'didLoadHistory', requestId: m.requestId, window: m.window, mode: m.mode, series: feed.history(m.ids, m.window, m.mode, Date.now()) });
    },
    reconnect: (m, ctx) => {
      if (m.sourceId !== null && pipeline.source(m.sourceId) === undefined) return ctx.refuse('unknown source');
      void host.sources.reconnect(m.sourceId === null ? undefined : [m.sourceId]);
    },
    addSource: () => void host.addSource(),
    openSettings: () => {
      host.openSettings();
    },
    acknowledgeAlert: (m, ctx) => {
      if (!pipeline.alerts.has(m.alertId)) return ctx.refuse('unknown alert');
      host.decide(() => pipeline.acknowledge(m.alertId));
    },
    dismissAlert: (m, ctx) => {
      if (!pipeline.alerts.has(m.alertId)) return ctx.refuse('unknown alert');
      host.decide(() => pipeline.dismiss(m.alertId));
    },
    snoozeAlert: (m, ctx) => {
      if (!pipeline.alerts.has(m.alertId)) return ctx.refuse('unknown alert');
      host.decide(() => pipeline.snooze(m.alertId, m.duration, pipeline.clock.now()));
    },
    setThreshold: (m, ctx) => {
      if (!hasRule(m.ruleId)) return ctx.refuse('unknown rule');
      const problem = host.decide(() => pipeline.setOverride(m.ruleId, m.patch));
      if (problem === undefined) return;
      host.showError(`Threshold not changed: ${problem}`);
      ctx.refuse();
    },
    resetThreshold: (m, ctx) => {
      if (!hasRule(m.ruleId)) return ctx.refuse('unknown rule');
      host.decide(() => pipeline.resetOverride(m.ruleId));
    },
    saveThresholdToSettings: (m, ctx) => {
      if (!hasRule(m.ruleId)) return ctx.refuse('unknown rule');
      void host.saveThresholdToSettings(m.ruleId);
    },
    goToHandler: (m) => void host.codeAware.goToHandler(m.method, m.path),
    searchSeries: (m) => {
      feed.setSearch(m.query);
      host.schedule();
    },
    compare: (m, ctx) => {
      const result = host.codeAware.compare(m.annotationId);
      if (!result) return ctx.refuse('unknown annotation');
      ctx.reply({ type: 'didCompare', requestId: m.requestId, annotation: result.annotation, rows: result.rows });
    },
    exportChart: (m) => {
      const { format, fileName, content } = m.file;
      // The request row checked the name, the size and (for PNG) the base64 alphabet.
      const bytes = format === 'csv' ? Buffer.from(content, 'utf8') : Buffer.from(content.slice(PNG_DATA_URL.length), 'base64');
      void host.saveFile(fileName, bytes);
    },
    setPins: (m) => {
      feed.setPins(m.ids);
      host.schedule();
    },
    setOverlays: (m) => {
      feed.setOverlays(m.chartId, m.ids);
      host.schedule();
    },
  };
}
