// Issue 18 in a real VS Code: an app instrumented with the OpenTelemetry JS SDK (only
// OTEL_EXPORTER_OTLP_ENDPOINT set) exports to Pulse's `otlp` source, and a real Prometheus scraping
// the reference dev server is read by a `promql` source whose chart has history when the panel opens.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { CodeServer, CodeServerEnv, Profile } from './helpers/env';
import { vscodeEnv } from './helpers/env';
import { openWorkbench, runCommand, shot, waitFor } from './helpers/workbench';
import type { Workbench } from './helpers/workbench';
import { Rig, chartPoints, chartSelector, panel, pinSeries, readGauge, tidyLayout, waitForSourceState } from './helpers/pulse';
import { startOtelApp } from './helpers/otelApp';
import type { OtelApp } from './helpers/otelApp';
import { startDevServer } from '../helpers/devserver';
import type { DevServer } from '../helpers/devserver';
import { startPrometheus } from '../helpers/prometheus';
import type { PrometheusServer } from '../helpers/prometheus';
import { freePort } from '../helpers/ports';
import { formatBytes } from '../../src/shared/format';

const OTEL = 'otel';
const PROM = 'team prometheus';
const SERVICE = 'e2e-shop';
const RPS = 20;
const PROM_POLL_MS = 10_000;
const MEMORY_QUERY = 'dev server memory';
/** Scrapes Prometheus holds before VS Code starts: the history a backfill brings (1 s scrapes). */
const HISTORY_SCRAPES = 60;

interface SeriesRow {
  readonly name: string;
  readonly labels: string;
  readonly value: string;
  readonly unit: string;
  readonly source: string;
}

async function seriesRows(page: Page): Promise<SeriesRow[]> {
  const frame = await panel(page, 'table[data-table=series] tr[data-series-id]');
  const trs = frame.locator('table[data-table=series] tr[data-series-id]');
  const out: SeriesRow[] = [];
  for (let i = 0; i < (await trs.count()); i++) {
    const tr = trs.nth(i);
    const cell = async (cls: string): Promise<string> => ((await tr.locator(`td.${cls}`).textContent({ timeout: 5000 })) ?? '').trim();
    out.push({ name: await cell('name'), labels: await cell('labels'), value: await cell('value'), unit: await cell('unit'), source: await cell('source-cell') });
  }
  return out;
}

/** "23/s" → 23, "1.2k/s" → 1200. */
function perSecond(text: string): number | undefined {
  const m = /^([\d.]+)(k?)\/s$/.exec(text);
  return m ? Number(m[1]) * (m[2] === 'k' ? 1000 : 1) : undefined;
}

/** "312 ms" → 312, "1.53 s" → 1530. */
function millis(text: string): number | undefined {
  const m = /^([\d.]+) (ms|s)$/.exec(text);
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : undefined;
}

describe('OpenTelemetry app and a team Prometheus in a real VS Code (issue 18)', { timeout: 12 * 60_000 }, () => {
  let env: CodeServerEnv | undefined;
  let vsix = '';
  let dev: DevServer | undefined;
  let prom: PrometheusServer | undefined;
  let app: OtelApp | undefined;
  let profile: Profile | undefined;
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  /** Before code-server started: no Pulse source could have polled earlier. */
  let vscodeStartedAt = 0;

  const page = (): Page => {
    if (!wb) throw new Error('the workbench is not open');
    return wb.page;
  };

  before(async () => {
    const rig = new Rig();
    await rig.install();
    env = rig.env;
    vsix = rig.vsix;
  }, { timeout: 12 * 60_000 });

  before(async () => {
    const m = await vscodeEnv();
    if (!env) throw new Error('code-server is not installed');
    // Encore's Prometheus text is collected every 3 s instead of 60 s.
    dev = await startDevServer({ args: ['--interval-scale', '0.05'] });
    prom = await startPrometheus([`127.0.0.1:${dev.port}`]);
    const otlpPort = await freePort();
    app = await startOtelApp({ endpoint: `http://127.0.0.1:${otlpPort}`, serviceName: SERVICE, rps: RPS, exportIntervalMs: 2000 });
    const stored = async (): Promise<number> => Number((await prom?.query('count_over_time(memory_usage_bytes{job="app"}[10m])'))?.[0]?.value[1] ?? 0);
    await waitFor(`Prometheus to hold ${HISTORY_SCRAPES} scrapes of the dev server`, async () => ((await stored()) >= HISTORY_SCRAPES ? true : undefined), 120_000);

    profile = m.createProfile({
      // Pulse's OTLP port would otherwise raise code-server's "application running on port" toast.
      userSettings: { 'remote.autoForwardPorts': false },
      workspaceSettings: {
        'pulse.sources': [
          { name: OTEL, kind: 'otlp', port: otlpPort },
          {
            name: PROM,
            kind: 'promql',
            url: prom.url,
            pollIntervalMs: PROM_POLL_MS,
            queries: [{ name: MEMORY_QUERY, query: 'memory_usage_bytes{job="app"}', unit: 'bytes' }],
          },
        ],
      },
    });
    await m.installVsix(env, profile, vsix);
    vscodeStartedAt = Date.now();
    server = await m.startCodeServer(env, profile);
    wb = await openWorkbench(server.url, profile.workspace);
    await tidyLayout(wb.page);
  }, { timeout: 5 * 60_000 });

  after(async () => {
    const failures: unknown[] = [];
    for (const stop of [() => wb?.close(), () => server?.stop(), () => app?.stop(), () => prom?.stop(), () => dev?.stop(), () => profile?.cleanup()]) {
      try {
        await stop();
      } catch (e) {
        failures.push(e);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, 'stopping the OTLP/PromQL e2e rig');
  });

  it('1. the Prometheus chart already has history when the panel opens (query_range backfill)', async () => {
    await runCommand(page(), 'Pulse: Open Metrics Panel');
    await panel(page());
    await waitForSourceState(page(), PROM, 'open');
    const id = await pinSeries(page(), MEMORY_QUERY);
    const points = await waitFor('the pinned Prometheus chart to have points', async () => {
      const n = await chartPoints(page(), id);
      return n !== undefined && n > 0 ? n : undefined;
    }, 30_000);
    // Live polling alone gives one point per poll since the source connected (after code-server started).
    const livePolls = Math.floor((Date.now() - vscodeStartedAt) / PROM_POLL_MS) + 1;
    await shot(page(), 'otlp-promql-1-prometheus-history');
    assert.ok(points > livePolls + 3, `chart has ${points} points; live polling alone could give at most ${livePolls}`);
    const rows = await seriesRows(page());
    const memory = rows.find((r) => r.name === MEMORY_QUERY);
    assert.ok(memory, `no "${MEMORY_QUERY}" row in ${JSON.stringify(rows.map((r) => r.name))}`);
    assert.equal(memory.source, PROM);
    assert.equal(memory.unit, 'bytes');
    // The table shows exact numbers; the chart's legend formats them (memory_usage_bytes is ~10 MiB).
    const legend = (await (await panel(page(), `${chartSelector(id)} .legend-value`)).locator(`${chartSelector(id)} .legend-value`).first().textContent()) ?? '';
    assert.match(legend.trim(), /^[\d.]+ (KiB|MiB|GiB)$/, `chart legend shows the memory in byte units: ${legend}`);
  });

  it('2. the OTel service shows its p95 latency (ms), request rate (/s) and heap (MiB)', async () => {
    await waitForSourceState(page(), OTEL, 'open');
    let seen = '';
    const readings = await waitFor('latency, request rate and heap gauges to match the OTel app', async () => {
      const latency = await readGauge(page(), 'latency');
      const rate = await readGauge(page(), 'requestRate');
      const heap = await readGauge(page(), 'heap');
      const recent = (app?.observations() ?? []).filter((o) => o.at > Date.now() - 20_000);
      const heaps = new Set(recent.map((o) => formatBytes(o.heap)));
      const first = recent[0];
      const last = recent[recent.length - 1];
      const served = first && last && last.at > first.at ? ((last.served - first.served) * 1000) / (last.at - first.at) : undefined;
      seen = `latency ${latency?.text}, rate ${rate?.text} (app served ${served?.toFixed(1)}/s), heap ${heap?.text} (app observed ${[...heaps].join(' | ')})`;
      const ms = latency ? millis(latency.text) : undefined;
      const perS = rate ? perSecond(rate.text) : undefined;
      const latencyOk = ms !== undefined && ms >= 250 && ms <= 500;
      const rateOk = perS !== undefined && served !== undefined && perS >= served * 0.6 && perS <= served * 1.4;
      const heapOk = heap !== undefined && heaps.has(heap.text);
      return latencyOk && rateOk && heapOk ? { latency, rate, heap } : undefined;
    }, 90_000).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}: ${seen}`, { cause: e });
    });
    assert.match(readings.heap?.text ?? '', / MiB$/);
    assert.match(readings.latency?.text ?? '', / ms$/);

    const rows = await seriesRows(page());
    // The receiver makes a source per exporting service, named after it.
    const mine = rows.filter((r) => r.source === SERVICE && r.labels.includes(SERVICE));
    const p95 = mine.find((r) => r.name === 'http.server.request.duration' && r.labels.includes('0.95'));
    assert.ok(p95, `no p95 row for ${SERVICE}: ${JSON.stringify(mine)}`);
    assert.equal(p95.unit, 'ms');
    const heapRow = mine.find((r) => r.name === 'v8js.memory.heap.used');
    assert.ok(heapRow, `no heap row for ${SERVICE}: ${JSON.stringify(mine.map((r) => r.name))}`);
    assert.equal(heapRow.unit, 'bytes');
    const heapValue = Number(heapRow.value.replace(/,/g, ''));
    assert.ok(heapValue > 1024 * 1024 && heapValue < 2 * 1024 ** 3, `heap row value ${heapRow.value}`);
    await shot(page(), 'otlp-promql-2-otel-service');
  });
});
