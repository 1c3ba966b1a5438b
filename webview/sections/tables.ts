// The endpoints, connections and topics tables.
import type { ConnectionView, EndpointRow, TopicRow } from '../../src/shared/views';
import { formatValue } from '../../src/shared/format';
import type { Column, SortableTable, TableSpec } from '../ui/sortableTable';
import { createSortableTable } from '../ui/sortableTable';
import type { TablePrefs } from '../ui/prefs';
import type { Section } from '../ui/section';
import type { VsCodeApi } from '../ui/vscodeApi';
import { handlerTarget } from '../devloop/handlerTarget';
import { goToHandlerButton } from '../devloop/goToHandler';
import { l10n } from '../ui/l10n';

type SourceName = (sourceId: string) => string;

const num = <R>(key: string, label: string, get: (r: R) => number | null | undefined, fmt: (v: number | null | undefined) => string): Column<R> => ({
  key,
  label,
  numeric: true,
  sortValue: (r) => get(r) ?? null,
  text: (r) => fmt(get(r)),
});
const txt = <R>(key: string, label: string, get: (r: R) => string, max?: number): Column<R> => ({ key, label, sortValue: get, text: get, ...(max ? { max } : {}) });

const ms = (v: number | null | undefined) => formatValue(v, 'ms');
const count = (v: number | null | undefined) => formatValue(v, 'count');
const bytes = (v: number | null | undefined) => formatValue(v, 'bytes');
const secs = (v: number | null | undefined) => (v == null ? '–' : formatValue(v, 'seconds'));

export function endpointsSpec(sourceName: SourceName, api: VsCodeApi): TableSpec<EndpointRow> {
  return {
    id: 'endpoints',
    label: l10n.t('Endpoints'),
    filterLabel: l10n.t('Filter endpoints'),
    filterPlaceholder: l10n.t('Filter by method or path'),
    keyOf: (r) => JSON.stringify([r.sourceId, r.method, r.path]),
    searchText: (r) => `${r.method} ${r.path} ${sourceName(r.sourceId)}`,
    columns: [
      txt('method', l10n.t('Method'), (r) => r.method, 16),
      txt('path', l10n.t('Path'), (r) => r.path),
      num('p50', l10n.t('p50'), (r) => r.p50, ms),
      num('p95', l10n.t('p95'), (r) => r.p95, ms),
      num('p99', l10n.t('p99'), (r) => r.p99, ms),
      num('errorRate', l10n.t('Errors'), (r) => r.errorRate, (v) => formatValue(v, 'percent')),
      num('throughput', l10n.t('Throughput'), (r) => r.throughput, (v) => formatValue(v, 'per_second')),
      txt('source', l10n.t('Source'), (r) => sourceName(r.sourceId), 40),
    ],
    rowAction: {
      label: l10n.t('Go to handler'),
      after: 'path',
      make: (r) => {
        const target = handlerTarget(r.method, r.path);
        return target && goToHandlerButton(api, target, 'icon');
      },
    },
  };
}

export function connectionsSpec(sourceName: SourceName): TableSpec<ConnectionView> {
  return {
    id: 'connections',
    label: l10n.t('Connections'),
    filterLabel: l10n.t('Filter connections'),
    filterPlaceholder: l10n.t('Filter by id or address'),
    keyOf: (r) => JSON.stringify([r.sourceId, r.id]),
    searchText: (r) => `${r.id} ${r.remoteAddress} ${sourceName(r.sourceId)}`,
    columns: [
      txt('id', l10n.t('ID'), (r) => r.id, 40),
      txt('remoteAddress', l10n.t('Remote address'), (r) => r.remoteAddress, 64),
      num('durationSeconds', l10n.t('Duration'), (r) => r.durationSeconds, secs),
      num('messagesIn', l10n.t('Msgs in'), (r) => r.messagesIn, count),
      num('messagesOut', l10n.t('Msgs out'), (r) => r.messagesOut, count),
      num('bytesIn', l10n.t('Bytes in'), (r) => r.bytesIn, bytes),
      num('bytesOut', l10n.t('Bytes out'), (r) => r.bytesOut, bytes),
      num('idleSeconds', l10n.t('Idle'), (r) => r.idleSeconds, secs),
      txt('source', l10n.t('Source'), (r) => sourceName(r.sourceId), 40),
    ],
  };
}

export function topicsSpec(sourceName: SourceName): TableSpec<TopicRow> {
  return {
    id: 'topics',
    label: l10n.t('Topics'),
    filterLabel: l10n.t('Filter topics'),
    filterPlaceholder: l10n.t('Filter topics'),
    keyOf: (r) => JSON.stringify([r.sourceId, r.topic]),
    searchText: (r) => `${r.topic} ${sourceName(r.sourceId)}`,
    columns: [
      txt('topic', l10n.t('Topic'), (r) => r.topic),
      num('subscribers', l10n.t('Subscribers'), (r) => r.subscribers, count),
      txt('source', l10n.t('Source'), (r) => sourceName(r.sourceId), 40),
    ],
  };
}

/** A table that fills a panel section: the section shows the row count and hides while there are no rows. */
export interface TableSection<R> {
  render(rows: readonly R[], prefs: TablePrefs): void;
}

export function createTableSection<R>(spec: TableSpec<R>, section: Section, prefs: TablePrefs, onPrefs: (patch: Partial<TablePrefs>) => void): TableSection<R> {
  const table: SortableTable<R> = createSortableTable(spec, prefs, onPrefs);
  section.body.append(table.root);
  return {
    render(rows, prefs) {
      table.render(rows, prefs);
      section.setCount(rows.length);
      section.setVisible(rows.length > 0);
    },
  };
}
