// Worst-case decode time per decoder: adversarial payloads (many label groups, deep nesting, many keys,
// long lists) at 0.25, 1 and 4 MiB, `decodeMessage` against `JSON.parse` of the same bytes. Linear means
// the ratio stays flat as the payload grows.

import { decodeMessage } from '../src/core/decode/decode';
import type { FormatHint } from '../src/shared/vocabulary';
import type { BenchContext, FigureRow } from './lib/report';
import { fmt, iqr } from './lib/report';
import type { AbResult } from './lib/stats';
import { gc, interleaved, median, nowMs } from './lib/stats';

const MIB = 1024 * 1024;
const SIZES_MIB = [0.25, 1, 4] as const;
/** The JSON walk's default depth bound (`decode.ts`): chains end just inside and just past it. */
const MAX_DEPTH = 64;
const GOAL_RATIO = 10;
/** Linear: the ratio at 4 MiB at most this times the ratio at 0.25 MiB. */
const FLAT_FACTOR = 1.5;
/** One decode slower than this is already a finding: one round, no repeats. */
const SLOW_MS = 2000;

interface Shape {
  readonly name: string;
  /** A payload of at most `chars` characters (and close to it). */
  build(chars: number): string;
}

interface Decoder {
  readonly hint: FormatHint;
  readonly label: string;
  readonly shapes: readonly Shape[];
}

/** head + item(0) sep item(1) … + tail, as many items as fit in `chars`. */
function fill(chars: number, head: string, item: (i: number) => string, sep: string, tail: string): string {
  const parts: string[] = [];
  let n = head.length + tail.length;
  for (let i = 0; ; i++) {
    const s = item(i);
    const add = s.length + (parts.length > 0 ? sep.length : 0);
    if (n + add > chars) break;
    parts.push(s);
    n += add;
  }
  return head + parts.join(sep) + tail;
}

/** `"g<i>":{"a":{"a":…1…}}` — a chain `depth` objects deep under one key. */
const chain = (depth: number) => (i: number) => `"g${i}":${'{"a":'.repeat(depth)}${i}${'}'.repeat(depth)}`;
const key = (i: number) => `"key_${i}_${(i * 7919) % 100_003}":${i}.5`;

/** The JSON shapes every JSON decoder gets, inside that format's envelope (`head` … `tail`). */
function jsonShapes(head: string, tail: string): Shape[] {
  return [
    { name: `nest-${MAX_DEPTH - 2}`, build: (c) => fill(c, `${head}{`, chain(MAX_DEPTH - 3), ',', `}${tail}`) },
    { name: `nest-${MAX_DEPTH + 2}`, build: (c) => fill(c, `${head}{`, chain(MAX_DEPTH + 1), ',', `}${tail}`) },
    { name: 'many-keys', build: (c) => fill(c, `${head}{`, key, ',', `}${tail}`) },
    { name: 'long-array', build: (c) => fill(c, `${head}[`, (i) => `{"v":${i},"w":${i * 3}}`, ',', `]${tail}`) },
  ];
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];

function histogramGroup(i: number): string {
  const labels = `method="${METHODS[i % 4] ?? 'GET'}",path="/api/r/${i}"`;
  const lines = BUCKETS.map((le, b) => `http_request_duration_seconds_bucket{${labels},le="${le}"} ${i + b}`);
  lines.push(`http_request_duration_seconds_sum{${labels}} ${i * 0.25}`, `http_request_duration_seconds_count{${labels}} ${i + BUCKETS.length}`);
  return lines.join('\n');
}

const PROMETHEUS: Shape[] = [
  {
    name: 'histogram-label-groups',
    build: (c) => fill(c, '# HELP http_request_duration_seconds Latency.\n# TYPE http_request_duration_seconds histogram\n', histogramGroup, '\n', '\n'),
  },
  // The issue's attack: tiny groups (one bucket line each), so the count of groups, not their size, grows.
  { name: 'histogram-one-bucket-groups', build: (c) => fill(c, '# TYPE h histogram\n', (i) => `h_bucket{g="${i}",le="+Inf"} ${i}`, '\n', '\n') },
  { name: 'many-names', build: (c) => fill(c, '', (i) => `# TYPE app_metric_${i}_total counter\napp_metric_${i}_total{instance="h${i % 97}"} ${i}`, '\n', '\n') },
  {
    name: 'many-labels',
    build: (c) => fill(c, '# TYPE wide gauge\n', (i) => `wide{${Array.from({ length: 40 }, (_, k) => `l${k}="v${(i + k) % 1000}"`).join(',')}} ${i}`, '\n', '\n'),
  },
];

const endpoint = (i: number) =>
  `{"path":"/api/r/${i}","method":"${METHODS[i % 4] ?? 'GET'}","p50":${i % 50},"p95":${i % 200},"p99":${i % 400},"errorRate":${i % 7},"throughput":${i % 30},"requests":${i},"errors":${i % 11},"extra":${i}}`;
const alert = (i: number) => `{"id":"a${i}","severity":"${i % 2 ? 'warning' : 'critical'}","message":"alert ${i}","metric":"m${i}","value":${i},"threshold":1}`;
const connection = (i: number) =>
  `{"id":"c${i}","remote_addr":"127.0.0.1:${1024 + (i % 60_000)}","duration_sec":${i},"messages_sent":${i},"messages_recv":${i},"bytes_sent":${i * 9},"bytes_recv":${i * 8},"idle_sec":${i % 60}}`;

const DECODERS: readonly Decoder[] = [
  { hint: 'prometheus', label: 'Prometheus text', shapes: PROMETHEUS },
  {
    hint: 'bun',
    label: 'Bun',
    shapes: [
      ...jsonShapes('{"websockets":{"pendingConnections":1},"extra":', '}'),
      { name: 'many-topics', build: (c) => fill(c, '{"websockets":{"subscribers":{', (i) => `"topic-${i}":${i % 9}`, ',', '}}}') },
      { name: 'many-memory-keys', build: (c) => fill(c, '{"memory":{"heapUsed":1,"used":{', (i) => `"k${i}":${i}`, ',', '}}}') },
    ],
  },
  {
    hint: 'snapshot',
    label: 'snapshot',
    shapes: [
      ...jsonShapes('{"type":"snapshot","data":{"endpoints":[],"extra":', '}}'),
      { name: 'many-endpoints', build: (c) => fill(c, '{"type":"snapshot","data":{"endpoints":[', endpoint, ',', ']}}') },
      { name: 'many-alerts', build: (c) => fill(c, '{"type":"update","data":{"system":{"cpu":1}},"alerts":[', alert, ',', ']}') },
    ],
  },
  {
    hint: 'daemon',
    label: 'daemon',
    shapes: [
      ...jsonShapes('{"type":"metrics","data":{"raw":{"http_requests":1,"extra":', '}}}'),
      // data.raw is the daemon's flat list of metrics: its keys are the format's list.
      { name: 'many-raw-keys', build: (c) => fill(c, '{"type":"metrics","data":{"raw":{', key, ',', '}}}') },
    ],
  },
  {
    hint: 'go-stats',
    label: 'go-stats',
    shapes: [
      ...jsonShapes('{"connections":{"active":1,"extra":', '}}'),
      { name: 'many-connections', build: (c) => fill(c, '{"connections":{"active":1,"connections":[', connection, ',', ']}}') },
    ],
  },
  {
    hint: 'json',
    label: 'generic JSON',
    shapes: [
      ...jsonShapes('', ''),
      // One chain as deep as the payload allows: far past the bound, and JSON.parse's own worst case.
      { name: 'nest-chain', build: (c) => `${'['.repeat(Math.floor(c / 2) - 1)}1${']'.repeat(Math.floor(c / 2) - 1)}` },
    ],
  },
];

let sink = 0;

interface Cell {
  readonly shape: string;
  readonly sizeMiB: number;
  readonly chars: number;
  readonly ok: boolean;
  readonly samples: number;
  readonly reps: number;
  readonly msPerDecode: number;
  readonly msPerParse: number;
  readonly result: AbResult;
}

async function measure(decoder: Decoder, shape: Shape, sizeMiB: number, quick: boolean): Promise<Cell> {
  const text = shape.build(Math.floor(sizeMiB * MIB));
  // Prometheus text is not JSON: the baseline parses one JSON string of the same text (the same
  // characters, newlines and quotes escaped) — the cheapest JSON.parse of those bytes, so a strict one.
  const json = decoder.hint === 'prometheus' ? JSON.stringify(text) : text;
  let now = Date.UTC(2025, 10, 23, 9);
  const t0 = nowMs();
  const check = decodeMessage(text, decoder.hint, { now });
  const first = nowMs() - t0;
  const slow = first > SLOW_MS;
  // At least 1 MiB of input per measurement, so each side's time is well above timer noise.
  const reps = slow ? 1 : Math.max(1, Math.round(1 / sizeMiB));
  const result = await interleaved({
    rounds: slow ? 1 : sizeMiB >= 4 || quick ? 3 : 5,
    warmup: slow ? 0 : 1,
    a: () => {
      gc();
      const start = nowMs();
      for (let i = 0; i < reps; i++) {
        const r = decodeMessage(text, decoder.hint, { now: (now += 1000) });
        if (r.ok) sink += r.value.samples.length;
      }
      return nowMs() - start;
    },
    b: () => {
      gc();
      const start = nowMs();
      for (let i = 0; i < reps; i++) {
        const v: unknown = JSON.parse(json);
        if (v !== null) sink++;
      }
      return nowMs() - start;
    },
  });
  return {
    shape: shape.name,
    sizeMiB,
    chars: text.length,
    ok: check.ok,
    samples: check.ok ? check.value.samples.length + (check.value.histograms?.length ?? 0) : 0,
    reps,
    msPerDecode: median(result.a) / reps,
    msPerParse: median(result.b) / reps,
    result,
  };
}

async function decoderFigure(ctx: BenchContext, decoder: Decoder): Promise<FigureRow> {
  const cells: Cell[] = [];
  for (const shape of decoder.shapes) {
    for (const size of SIZES_MIB) {
      const cell = await measure(decoder, shape, size, ctx.quick);
      cells.push(cell);
      ctx.log(`    ${decoder.label} ${shape.name} ${size} MiB: ${cell.result.ratio.median.toFixed(2)}× (${fmt(cell.msPerDecode)} ms vs ${fmt(cell.msPerParse)} ms)`);
    }
  }
  const ratioOf = (c: Cell) => c.result.ratio.median;
  const worstAt = (size: number): Cell => {
    const at = cells.filter((c) => c.sizeMiB === size);
    return at.reduce((w, c) => (ratioOf(c) > ratioOf(w) ? c : w));
  };
  const worst = SIZES_MIB.map(worstAt);
  const smallest = SIZES_MIB[0];
  const largest = SIZES_MIB[SIZES_MIB.length - 1];
  // Flat per shape: a shape cheap at 0.25 MiB and costly at 4 MiB is super-linear even if another shape is worse.
  const perShape = decoder.shapes.map((s) => {
    const small = cells.find((c) => c.shape === s.name && c.sizeMiB === smallest);
    const large = cells.find((c) => c.shape === s.name && c.sizeMiB === largest);
    // A JSON decode includes JSON.parse of the same text, so a ratio below 1 is noise: counted as 1.
    const growth = small && large ? ratioOf(large) / Math.max(1, ratioOf(small)) : NaN;
    return { shape: s.name, growth: Number(growth.toFixed(3)), flat: growth <= FLAT_FACTOR };
  });
  const notFlat = perShape.filter((s) => !s.flat).map((s) => `${s.shape} ×${s.growth.toFixed(1)}`);
  const top = worst[worst.length - 1] ?? cells[0];
  if (!top) throw new Error(`no measurements for ${decoder.label}`);
  const maxRatio = Math.max(...worst.map(ratioOf));
  const pass = notFlat.length === 0 && maxRatio <= GOAL_RATIO;
  const series = worst.map((c) => `${ratioOf(c).toFixed(2)}×`).join(' / ');
  return {
    id: `adversarial.${decoder.hint}`,
    figure: `adversarial: ${decoder.label} worst shape at 0.25 / 1 / 4 MiB`,
    pulse: `${series} (worst at 4 MiB: ${top.shape}, ${fmt(top.msPerDecode)} ms)${notFlat.length > 0 ? `; not flat: ${notFlat.join(', ')}` : '; flat'}`,
    baseline: decoder.hint === 'prometheus' ? 'JSON.parse(JSON.stringify(text))' : 'JSON.parse of the same bytes',
    ratio: ratioOf(top),
    spread: iqr(top.result.ratio),
    goal: `flat (4 MiB ≤ ${FLAT_FACTOR}× 0.25 MiB) and ≤ ${GOAL_RATIO}×`,
    pass,
    details: {
      perShape,
      cells: cells.map((c) => ({
        shape: c.shape,
        sizeMiB: c.sizeMiB,
        chars: c.chars,
        ok: c.ok,
        samples: c.samples,
        reps: c.reps,
        ratio: Number(ratioOf(c).toFixed(3)),
        msPerDecode: Number(c.msPerDecode.toFixed(3)),
        msPerParse: Number(c.msPerParse.toFixed(3)),
        msPerMiB: Number((c.msPerDecode / c.sizeMiB).toFixed(2)),
        ratios: c.result.ratios,
      })),
      sink: sink > 0,
    },
  };
}

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  const rows: FigureRow[] = [];
  for (const decoder of DECODERS) rows.push(await decoderFigure(ctx, decoder));
  return rows;
}
