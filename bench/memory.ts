// Figure 4: memory per stored sample. A MetricStore holding 500 series × 10 Hz × 15 min (its raw
// window) against a plain Float64Array of the same (time, value) pairs, each in a fresh process,
// measured as heapUsed + arrayBuffers after forced GC. Also the downsampled tier's bytes against
// the raw tier's for the same span.

import { join } from 'node:path';
import type { BenchContext, FigureRow } from './lib/report';
import { atMost, fmt } from './lib/report';
import { runNode } from './lib/child';
import { spread } from './lib/stats';

interface ChildResult {
  readonly samples: number;
  readonly bytesPerSample: number;
  readonly rawTierBytes?: number;
  readonly bucketTierBytes?: number;
  readonly approxBytes?: number;
  readonly ingestNsPerSample?: number;
}

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  const script = join(ctx.root, 'bench', 'memoryChild.ts');
  const series = '500';
  const minutes = '15';
  const repeats = ctx.quick ? 1 : 2;
  const pulse: ChildResult[] = [];
  const base: ChildResult[] = [];
  for (let i = 0; i < repeats; i++) {
    pulse.push((await runNode(script, ['pulse', series, minutes], { cwd: ctx.root, nodeArgs: ['--max-old-space-size=2048'] })) as ChildResult);
    base.push((await runNode(script, ['baseline', series, minutes], { cwd: ctx.root })) as ChildResult);
  }
  const ratios = pulse.map((p, i) => p.bytesPerSample / (base[i]?.bytesPerSample ?? NaN));
  const s = spread(ratios);
  const p0 = pulse[0];
  const tierRatio = p0 && p0.rawTierBytes ? (p0.bucketTierBytes ?? 0) / p0.rawTierBytes : NaN;
  return [
    {
      id: 'memory.perSample',
      figure: `memory: bytes per stored sample (500 series × 10 Hz × 15 min, ${fmt(p0?.samples ?? 0)} samples)`,
      pulse: `${fmt(spread(pulse.map((p) => p.bytesPerSample)).median)} B/sample`,
      baseline: `${fmt(spread(base.map((b) => b.bytesPerSample)).median)} B/sample (Float64Array pairs)`,
      ratio: s.median,
      spread: `min–max ${s.min.toFixed(3)}–${s.max.toFixed(3)} (${repeats} processes each)`,
      goal: '≤ 1.25×',
      pass: atMost(s.median, 1.25),
      details: { pulse, baseline: base, ratios },
    },
    {
      id: 'memory.tiers',
      figure: 'memory: downsampled tier vs raw tier, same 15 min',
      pulse: `${fmt((p0?.bucketTierBytes ?? 0) / 1048576)} MiB buckets`,
      baseline: `${fmt((p0?.rawTierBytes ?? 0) / 1048576)} MiB raw`,
      ratio: tierRatio,
      spread: 'n/a (deterministic: typed-array capacities)',
      goal: '≤ 0.15×',
      pass: atMost(tierRatio, 0.15),
      details: {
        note: 'Buckets are 10 s wide, 40 B each (u32 index, f64 min/max/sum/last, u32 count). The full 24 h downsampled window holds 8,641 buckets per series (≈ 338 KiB), 2.4× a full 15 min raw tier at 10 Hz but 1/40 of 24 h of raw samples.',
      },
    },
  ];
}
