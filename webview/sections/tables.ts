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
    label: 'endpoints',
    filterPlaceholder: 'Filter by method or path',
    keyOf: (r) => JSON.stringify([r.sourceId, r.method, r.path]),
    searchText: (r) => `${r.method} ${r.path} ${sourceName(r.sourceId)}`,
    columns: [
      txt('method', 'Method', (r) => r.method, 16),
      txt('path', 'Path', (r) => r.path),
      num('p50', 'p50', (r) => r.p50, ms),
      num('p95', 'p95', (r) => r.p95, ms),
      num('p99', 'p99', (r) => r.p99, ms),
      num('errorRate', 'Errors', (r) => r.errorRate, (v) => formatValue(v, 'percent')),
      num('throughput', 'Throughput', (r) => r.throughput, (v) => formatValue(v, 'per_second')),
      txt('source', 'Source', (r) => sourceName(r.sourceId), 40),
    ],
    rowAction: {
      label: 'Go to handler',
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
    label: 'connections',
    filterPlaceholder: 'Filter by id or address',
    keyOf: (r) => JSON.stringify([r.sourceId, r.id]),
    searchText: (r) => `${r.id} ${r.remoteAddress} ${sourceName(r.sourceId)}`,
    columns: [
      txt('id', 'ID', (r) => r.id, 40),
      txt('remoteAddress', 'Remote address', (r) => r.remoteAddress, 64),
      num('durationSeconds', 'Duration', (r) => r.durationSeconds, secs),
      num('messagesIn', 'Msgs in', (r) => r.messagesIn, count),
      num('messagesOut', 'Msgs out', (r) => r.messagesOut, count),
      num('bytesIn', 'Bytes in', (r) => r.bytesIn, bytes),
      num('bytesOut', 'Bytes out', (r) => r.bytesOut, bytes),
      num('idleSeconds', 'Idle', (r) => r.idleSeconds, secs),
      txt('source', 'Source', (r) => sourceName(r.sourceId), 40),
    ],
  };
}

export function topicsSpec(sourceName: SourceName): TableSpec<TopicRow> {
  return {
    id: 'topics',
    label: 'topics',
    filterPlaceholder: 'Filter topics',
    keyOf: (r) => JSON.stringify([r.sourceId, r.topic]),
    searchText: (r) => `${r.topic} ${sourceName(r.sourceId)}`,
    columns: [
      txt('topic', 'Topic', (r) => r.topic),
      num('subscribers', 'Subscribers', (r) => r.subscribers, count),
      txt('source', 'Source', (r) => sourceName(r.sourceId), 40),
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
