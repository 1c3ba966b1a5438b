// The `promql` source against a real Prometheus (Debian's package) scraping a prom-client app:
// instant values with their labels, history backfilled from the engine, API errors on the source.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger, SourceConfig } from '../../../src/core/model';
import { Pipeline } from '../../../src/core/pipeline';
import { PanelFeed } from '../../../src/core/views/panelFeed';
import { readSettings } from '../../../src/core/settings/settings';
import { createTransport } from '../../../src/sources/transport';
import type { Transport } from '../../../src/sources/transport';
import { promqlLabelValues, promqlLabels, promqlSeries } from '../../../src/sources/promqlDiscovery';
import { prometheusBinary, startMetricsApp, startPrometheus } from '../../helpers/prometheus';
import type { MetricsApp, PrometheusServer } from '../../helpers/prometheus';
import { until } from '../../helpers/transports';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeUrl } from '../../../src/sources/probe';
import { FakeVscode, disposeContext, loadExtension, makeContext, repoRoot } from '../../helpers/fakeVscode';

const noop = (): void => undefined;
const log: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop };

function configFrom(entry: Record<string, unknown>): SourceConfig {
  const settings = readSettings({ get: () => undefined, userSources: [entry], workspaceSources: undefined });
  assert.deepEqual(settings.problems, []);
  const config = settings.sources[0];
  assert.ok(config);
  return config;
}

/** A pipeline fed by one transport, as the host's SourceManager wires them. */
function run(config: SourceConfig): { pipeline: Pipeline; transport: Transport } {
  const pipeline = new Pipeline({ store: { rawWindowMs: 900_000, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 2000 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 64 * 1024 * 1024 }, log);
  pipeline.setSources([config]);
  const transport = createTransport(config, { maxPayloadBytes: 4 * 1024 * 1024, log, now: () => pipeline.clock.now(), backfillWindowMs: 60_000 });
  transport.onDidChangeState((s) => pipeline.setState(config.id, s));
  transport.onDidReceive((m) => pipeline.handle(config.id, m.payload, m.receivedAt, m.bytes));
  transport.onDidWarn((m) => pipeline.warn(config.id, m));
  return { pipeline, transport };
}

describe('promql source against a real Prometheus', { timeout: 120_000 }, () => {
  let app: MetricsApp;
  let prom: PrometheusServer;
  const open: Transport[] = [];

  before(async () => {
    app = await startMetricsApp();
    prom = await startPrometheus([app.target]);
    // Several scrapes stored, so there is history from before the source starts.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await prom.query('count_over_time(up{job="app"}[1m])');
      if (Number(r[0]?.value[1] ?? 0) >= 6) break;
      if (Date.now() > deadline) throw new Error('Prometheus stored no scrapes of the app within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  after(async () => {
    for (const t of open) t.dispose();
    await prom?.stop();
    await app?.close();
  });

  it('shows instant values with their labels, backfills history from the engine, and shows a bad query’s API error', async () => {
    const config = configFrom({
      name: 'team prometheus',
      url: prom.url,
      kind: 'promql',
      pollIntervalMs: 500,
      selector: '{job="app"}',
      queries: [
        { name: 'requests', query: 'sum by (handler) (rate(http_requests_total{job="app"}[1m]))', unit: 'per_second', role: 'requestRate' },
        { name: 'broken', query: 'sum(rate(http_requests_total[1m]' },
      ],
    });
    const { pipeline, transport } = run(config);
    open.push(transport);
    const startedAt = pipeline.clock.now();
    transport.start();

    const users = await until('the /api/users request rate', () =>
      pipeline.store.bySource(config.id).find((s) => s.name === 'requests' && s.labels.some(([k, v]) => k === 'handler' && v === '/api/users')),
    30_000);
    assert.equal(users.unit, 'per_second');
    assert.equal(users.role, 'requestRate');
    assert.ok(users.value !== null && users.value > 0, `rate ${users.value}`);
    assert.ok(pipeline.store.bySource(config.id).some((s) => s.name === 'requests' && s.labels.some(([, v]) => v === '/api/orders')));

    // The selector's standard queries: memory with the target's labels, and `up`.
    const rss = pipeline.store.bySource(config.id).find((s) => s.name === 'process.rss');
    assert.ok(rss, 'process.rss from the selector');
    assert.equal(rss.role, 'rss');
    assert.ok(rss.labels.some(([k, v]) => k === 'job' && v === 'app'));
    assert.ok(rss.raw > 1_000_000, `rss ${rss.raw}`);
    const up = pipeline.store.bySource(config.id).find((s) => s.name === 'up');
    assert.equal(up?.raw, 1);

    // History from before the source started, from query_range; the panel's chart request gets it.
    const points = pipeline.store.points(rss.id, startedAt - 3_600_000, pipeline.clock.now(), 'raw');
    const older = points.t.filter((t) => t < startedAt - 2_000);
    assert.ok(older.length >= 3, `points older than the source's start: ${older.length} of ${points.t.length}`);
    const feed = new PanelFeed(pipeline, () => []);
    const [charted] = feed.history([users.id], '1m', 'raw', pipeline.clock.now());
    assert.ok(charted && charted.t.some((t) => t < startedAt - 2_000), 'the chart window holds backfilled points');

    // The invalid query: the API's own error on the source, while the other queries keep working.
    const rt = await until('the API error on the source', () => {
      const r = pipeline.source(config.id);
      return r?.lastError?.includes('broken') ? r : undefined;
    });
    assert.match(rt.lastError ?? '', /query "broken": bad_data: .*parse error/);
    assert.match(rt.lastReportedError ?? '', /bad_data/);
    assert.equal(rt.state.phase, 'open');
    const before = pipeline.store.get(users.id)?.updatedAt ?? 0;
    await until('a newer request rate', () => (pipeline.store.get(users.id)?.updatedAt ?? 0) > before, 10_000);
  });

  it('"Add Source…" recognises the engine by its API and saves a promql source for the picked job', async () => {
    const probe = await probeUrl(prom.url, { log, maxPayloadBytes: 4 * 1024 * 1024 });
    assert.ok(probe.ok && probe.kind === 'promql', JSON.stringify(probe));
    assert.match(probe.engine ?? '', /^version \d+\.\d+/);
    // The same through the command, in the real host bundle with the fake VS Code.
    const storageDir = await mkdtemp(join(tmpdir(), 'pulse-add-promql-'));
    const fake = new FakeVscode();
    const picks: string[][] = [];
    const prompts: string[] = [];
    fake.answers = {
      ...fake.answers,
      quickPick: (items) => {
        const labels = items.map((i) => String((i as { label?: unknown }).label));
        picks.push(labels);
        return items.find((i) => ['Connect to a URL', 'app'].includes(String((i as { label?: unknown }).label)));
      },
      inputBox: (options) => {
        const o = options as { title?: string; prompt?: string };
        prompts.push(o.prompt ?? '');
        return o.title?.includes('URL') === true ? prom.url : 'team prometheus';
      },
    };
    const context = makeContext({ storageDir });
    const extension = loadExtension(join(repoRoot, 'dist', 'extension.js'), fake);
    try {
      extension.activate(context);
      await fake.executeCommand('pulse.addSource');
      assert.deepEqual(picks[0], ['Connect to a URL', 'Receive OpenTelemetry (OTLP/HTTP)']);
      assert.deepEqual(picks[1], ['app', 'All jobs'], 'the jobs the engine knows, then all of them');
      assert.match(prompts[1] ?? '', /Prometheus-compatible server \(version \d/);
      const saved = fake.config.user.get('pulse.sources') as Array<Record<string, unknown>> | undefined;
      assert.deepEqual(saved, [{ name: 'team prometheus', url: prom.url, kind: 'promql', selector: '{job="app"}' }]);
      // readSettings accepts what was saved, and the source it makes expands the selector to queries.
      assert.ok(configFrom(saved[0] ?? {}).promql?.selector === '{job="app"}');
      assert.ok(fake.statusMessages.some((m) => m.includes('added source "team prometheus" (promql, {job="app"})')), fake.statusMessages.join(' | '));
    } finally {
      await extension.deactivate();
      disposeContext(context);
      await rm(storageDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  });

  it('a missing prometheus binary is a clear failure naming the install command', () => {
    assert.throws(() => prometheusBinary('/nonexistent'), /apt-get install -y --no-install-recommends prometheus/);
    assert.match(prometheusBinary(), /prometheus$/);
  });

  it('discovers labels, label values and series', async () => {
    const labels = await promqlLabels(prom.url, ['{job="app"}']);
    assert.ok(labels.ok, labels.ok ? '' : labels.error);
    for (const name of ['__name__', 'handler', 'instance', 'job']) assert.ok(labels.data.includes(name), `label ${name}`);
    const jobs = await promqlLabelValues(prom.url, 'job');
    assert.ok(jobs.ok && jobs.data.includes('app'));
    const series = await promqlSeries(prom.url, ['http_requests_total{job="app"}']);
    assert.ok(series.ok, series.ok ? '' : series.error);
    assert.ok(series.data.some((l) => l.some(([k, v]) => k === 'handler' && v === '/api/users')));
    const bad = await promqlSeries(prom.url, ['{job=']);
    assert.ok(!bad.ok && /bad_data/.test(bad.error), bad.ok ? 'expected an error' : bad.error);
  });
});
