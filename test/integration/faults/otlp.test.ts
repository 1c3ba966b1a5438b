// Hostile and mistaken OTLP exports against the real receiver: each gets OTLP's answer, bad payloads
// are counted on the source, and nothing unbounded is buffered.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
import { freePort } from '../../helpers/ports';
import { makeRig, sourceConfig, until } from './support';
import type { Rig } from './support';

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

function post(port: number, path: string, body: Buffer, headers: Record<string, string>, method = 'POST'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
    });
    // The receiver may answer 413 and close before the whole body is sent.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.end(body);
  });
}

const JSON_TYPE = { 'Content-Type': 'application/json' };
const PROTO_TYPE = { 'Content-Type': 'application/x-protobuf' };
const MAX_PAYLOAD = 1024 * 1024;

const gauge = (name: string, points: unknown[]) => ({ name, unit: '1', gauge: { dataPoints: points } });
const request = (metrics: unknown[]) => Buffer.from(JSON.stringify({ resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeMetrics: [{ metrics }] }] }));

describe('OTLP receiver faults', () => {
  let rig: Rig;
  let port: number;
  beforeEach(async () => {
    port = await freePort();
    rig = makeRig({ maxPayloadBytes: MAX_PAYLOAD });
    await rig.apply([sourceConfig('otel', `http://127.0.0.1:${port}`, 'otlp')]);
    await until('listening', () => rig.runtime('otel').state.phase === 'open');
  });
  afterEach(() => rig.dispose());

  it('garbage protobuf: 400 with a reason, counted and shown on the source', async () => {
    const answer = await post(port, '/v1/metrics', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), PROTO_TYPE);
    assert.equal(answer.status, 400);
    assert.equal(answer.contentType, 'application/x-protobuf');
    assert.match(answer.body.toString('latin1'), /invalid protobuf/);
    const rt = rig.runtime('otel');
    assert.equal(rt.decodeErrors, 1);
    assert.match(rt.lastError ?? '', /invalid protobuf/);
    assert.equal(rt.errorCount, 1);
  });

  it('protobuf nested 100,000 deep (AnyValue arrays): 400, no stack overflow', async () => {
    const varint = (n: number): number[] => {
      const out: number[] = [];
      for (; n > 127; n = Math.floor(n / 128)) out.push((n & 127) | 128);
      out.push(n);
      return out;
    };
    const wrap = (tag: number, inner: Buffer): Buffer => Buffer.concat([Buffer.from([tag, ...varint(inner.length)]), inner]);
    let value: Buffer = Buffer.alloc(0);
    for (let i = 0; i < 100_000; i++) value = wrap(0x2a, wrap(0x0a, value)); // AnyValue.array_value → ArrayValue.values
    const keyValue = Buffer.concat([wrap(0x0a, Buffer.from('k')), wrap(0x12, value)]);
    const body = wrap(0x0a, wrap(0x0a, wrap(0x0a, keyValue))); // request → ResourceMetrics.resource → Resource.attributes
    assert.ok(body.length < MAX_PAYLOAD, String(body.length));
    const answer = await post(port, '/v1/metrics', body, PROTO_TYPE);
    assert.equal(answer.status, 400);
    assert.match(answer.body.toString('latin1'), /invalid protobuf/);
    assert.equal(rig.runtime('otel').decodeErrors, 1);
  });

  it('garbage JSON and a non-request: 400 with a JSON status', async () => {
    const bad = await post(port, '/v1/metrics', Buffer.from('{"resourceMetrics": ['), JSON_TYPE);
    assert.equal(bad.status, 400);
    assert.match((JSON.parse(bad.body.toString('utf8')) as { message: string }).message, /invalid JSON/);
    const notRequest = await post(port, '/v1/metrics', Buffer.from('[1,2,3]'), JSON_TYPE);
    assert.equal(notRequest.status, 400);
    assert.equal(rig.runtime('otel').decodeErrors, 2);
  });

  it('partial success: refused points are reported in the response, the rest stored', async () => {
    const json = await post(port, '/v1/metrics', request([gauge('ok.value', [{ asDouble: 1 }, { asDouble: 'NaN' }]), gauge('', [{ asDouble: 2 }])]), JSON_TYPE);
    assert.equal(json.status, 200);
    const answer = JSON.parse(json.body.toString('utf8')) as { partialSuccess: { rejectedDataPoints: string; errorMessage: string } };
    assert.equal(answer.partialSuccess.rejectedDataPoints, '2');
    assert.match(answer.partialSuccess.errorMessage, /no finite value/);
    assert.ok(rig.pipeline.store.bySource('otel/svc').some((s) => s.name === 'ok.value' && s.raw === 1));
    // Nothing refused: an empty response, and still no decode error.
    const clean = await post(port, '/v1/metrics', request([gauge('ok.value', [{ asDouble: 3 }])]), JSON_TYPE);
    assert.equal(clean.body.toString('utf8'), '{}');
    assert.equal(rig.runtime('otel').decodeErrors, 0);
  });

  it('protobuf partial success is encoded as ExportMetricsServiceResponse', async () => {
    // ResourceMetrics{ScopeMetrics{Metric{name "", gauge{point{as_double 1}}}}}: one point refused for its name.
    const point = Buffer.from([0x21, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]); // field 4 (as_double), fixed64 1.0
    const gaugeMsg = Buffer.concat([Buffer.from([0x0a, point.length]), point]); // Gauge.data_points = 1
    const metric = Buffer.concat([Buffer.from([0x2a, gaugeMsg.length]), gaugeMsg]); // Metric.gauge = 5
    const scope = Buffer.concat([Buffer.from([0x12, metric.length]), metric]); // ScopeMetrics.metrics = 2
    const rm = Buffer.concat([Buffer.from([0x12, scope.length]), scope]); // ResourceMetrics.scope_metrics = 2
    const body = Buffer.concat([Buffer.from([0x0a, rm.length]), rm]); // request.resource_metrics = 1
    const answer = await post(port, '/v1/metrics', body, PROTO_TYPE);
    assert.equal(answer.status, 200);
    assert.equal(answer.contentType, 'application/x-protobuf');
    assert.equal(answer.body[0], 0x0a);
    assert.deepEqual([...answer.body.subarray(2, 4)], [0x08, 0x01]);
    assert.match(answer.body.toString('latin1'), /metric name/);
  });

  it('a body over pulse.limits.maxPayloadMB: 413, declared or streamed', async () => {
    const big = Buffer.alloc(MAX_PAYLOAD + 1, 0x20);
    const declared = await post(port, '/v1/metrics', big, { ...JSON_TYPE, 'Content-Length': String(big.length) });
    assert.equal(declared.status, 413);
    const streamed = await post(port, '/v1/metrics', big, { ...JSON_TYPE, 'Transfer-Encoding': 'chunked' });
    assert.equal(streamed.status, 413);
    assert.match(rig.runtime('otel').lastError ?? '', /limit/);
  });

  it('a gzip bomb: 413 once it inflates past the limit', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(32 * MAX_PAYLOAD));
    assert.ok(bomb.length < MAX_PAYLOAD / 8);
    const answer = await post(port, '/v1/metrics', bomb, { ...JSON_TYPE, 'Content-Encoding': 'gzip' });
    assert.equal(answer.status, 413);
    assert.match(answer.body.toString('utf8'), /inflates past/);
    assert.equal(rig.runtime('otel').messages, 0);
  });

  it('a body that is not gzip but says so: 400', async () => {
    const answer = await post(port, '/v1/metrics', Buffer.from('{}'), { ...JSON_TYPE, 'Content-Encoding': 'gzip' });
    assert.equal(answer.status, 400);
    assert.equal(rig.runtime('otel').decodeErrors, 1);
  });

  it('other content types and encodings: 415', async () => {
    assert.equal((await post(port, '/v1/metrics', Buffer.from('x'), { 'Content-Type': 'text/plain' })).status, 415);
    assert.equal((await post(port, '/v1/metrics', Buffer.from('{}'), { ...JSON_TYPE, 'Content-Encoding': 'br' })).status, 415);
  });

  it('a request naming another host (DNS rebinding from a web page): 403', async () => {
    const answer = await post(port, '/v1/metrics', request([gauge('x', [{ asDouble: 1 }])]), { ...JSON_TYPE, Host: `evil.example:${port}` });
    assert.equal(answer.status, 403);
    assert.equal(rig.runtime('otel').messages, 0);
    const local = await post(port, '/v1/metrics', request([gauge('x', [{ asDouble: 1 }])]), { ...JSON_TYPE, Host: `localhost:${port}` });
    assert.equal(local.status, 200);
  });

  it('other paths: 404; other methods: 405', async () => {
    assert.equal((await post(port, '/v1/traces', Buffer.from('{}'), JSON_TYPE)).status, 404);
    assert.equal((await post(port, '/', Buffer.from(''), JSON_TYPE, 'GET')).status, 404);
    assert.equal((await post(port, '/v1/metrics', Buffer.from(''), {}, 'GET')).status, 405);
    assert.equal(rig.runtime('otel').messages, 0);
  });
});

describe('OTLP receiver listening', () => {
  it('refuses a non-loopback address without the opt-in', async () => {
    const rig = makeRig();
    try {
      await rig.apply([sourceConfig('wide', 'http://0.0.0.0:4318', 'otlp')]);
      const state = await until('failed', () => {
        const s = rig.runtime('wide').state;
        return s.phase === 'failed' ? s : undefined;
      });
      assert.match(state.reason, /allowNonLoopback/);
    } finally {
      rig.dispose();
    }
  });

  it('a port in use: waits and retries, then listens once it is free', async () => {
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    const rig = makeRig();
    try {
      await rig.apply([sourceConfig('busy', `http://127.0.0.1:${port}`, 'otlp')]);
      const state = await until('reconnecting', () => {
        const s = rig.runtime('busy').state;
        return s.phase === 'reconnecting' ? s : undefined;
      });
      assert.match(state.reason, /in use/);
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
      await until('open', () => rig.runtime('busy').state.phase === 'open', 15_000);
    } finally {
      blocker.close();
      rig.dispose();
    }
  });
});
