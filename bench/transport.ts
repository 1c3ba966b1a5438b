// Figure 2: messages per second through Pulse's WebSocket transport into the pipeline
// (createTransport → onDidReceive → Pipeline.handle), and through the transport alone (onDidReceive
// counting), each against a bare `ws` client that only counts.
// The server is a separate process sending pre-built Bun messages as fast as the socket drains.

import { WebSocket } from 'ws';
import { createTransport } from '../src/sources/transport';
import type { BenchContext, FigureRow } from './lib/report';
import { atLeast, fmt, iqr } from './lib/report';
import { startBlaster } from './lib/blaster';
import { interleaved, median } from './lib/stats';
import { benchSource, newPipeline, silentLogger } from './ingest';

interface Count {
  count: number;
  first: number;
  last: number;
}

function rate(c: Count): number {
  return c.count > 1 && c.last > c.first ? (c.count - 1) / ((c.last - c.first) / 1000) : 0;
}

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  const seconds = ctx.quick ? 0.5 : 1.5;
  const blaster = await startBlaster(ctx.root, 0, seconds);
  const pipeline = newPipeline(['blast']);
  const config = { ...benchSource('blast', 'bun'), url: blaster.url };
  try {
    const pulseRound = async (withPipeline: boolean): Promise<number> => {
      const c: Count = { count: 0, first: 0, last: 0 };
      const transport = createTransport(config, { maxPayloadBytes: 4 * 1024 * 1024, log: silentLogger });
      const ended = new Promise<void>((resolve) => {
        transport.onDidChangeState((s) => {
          if (s.phase === 'reconnecting' || s.phase === 'failed' || s.phase === 'closed') resolve();
        });
      });
      transport.onDidReceive((m) => {
        const t = performance.now();
        if (c.count === 0) c.first = t;
        c.count++;
        c.last = t;
        if (withPipeline) pipeline.handle('blast', m.payload, m.receivedAt, m.bytes);
      });
      transport.start();
      await ended;
      transport.dispose();
      await blaster.nextDone();
      return rate(c);
    };
    const bareRound = async (): Promise<number> => {
      const c: Count = { count: 0, first: 0, last: 0 };
      const socket = new WebSocket(blaster.url);
      socket.on('message', () => {
        const t = performance.now();
        if (c.count === 0) c.first = t;
        c.count++;
        c.last = t;
      });
      await new Promise<void>((resolve) => {
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
      });
      await blaster.nextDone();
      return rate(c);
    };
    const result = await interleaved({ rounds: 15, warmup: 1, a: () => pulseRound(true), b: bareRound });
    const alone = await interleaved({ rounds: 15, warmup: 1, a: () => pulseRound(false), b: bareRound });
    const row = (id: string, figure: string, r: typeof result): FigureRow => ({
      id,
      figure,
      pulse: `${fmt(median(r.a))} msg/s`,
      baseline: `${fmt(median(r.b))} msg/s (ws, count only)`,
      ratio: r.ratio.median,
      spread: iqr(r.ratio),
      goal: '≥ 0.9×',
      pass: atLeast(r.ratio.median, 0.9),
      details: { secondsPerRound: seconds, pulse: r.a, bare: r.b, ratios: r.ratios },
    });
    return [
      row('transport.throughput', 'transport: msgs/s, Pulse ws transport + pipeline vs bare ws client', result),
      row('transport.alone', 'transport alone: msgs/s, Pulse ws transport (onDidReceive, counting) vs bare ws client', alone),
    ];
  } finally {
    await blaster.stop();
  }
}
