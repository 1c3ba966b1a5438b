// Starts scripts/devserver/otelApp.ts (an app instrumented with the OpenTelemetry JS SDK) as a child
// process configured only through OTEL_* env vars, and keeps what it reported observing.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './env';

export interface OtelObservation {
  readonly heap: number;
  readonly served: number;
  readonly at: number;
}

export interface OtelApp {
  readonly pid: number;
  /** Heap values and request counts the app exported (one per collection), oldest first. */
  observations(): readonly OtelObservation[];
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. */
  stop(): Promise<void>;
}

export interface OtelAppOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://127.0.0.1:4318 */
  readonly endpoint: string;
  readonly serviceName: string;
  readonly rps?: number;
  readonly exportIntervalMs?: number;
  readonly protocol?: 'http/protobuf' | 'http/json';
}

function isObservation(v: unknown): v is OtelObservation {
  const o = v as Partial<OtelObservation> | null;
  return typeof o === 'object' && o !== null && typeof o.heap === 'number' && typeof o.served === 'number' && typeof o.at === 'number';
}

export async function startOtelApp(opts: OtelAppOptions): Promise<OtelApp> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OTEL_EXPORTER_OTLP_ENDPOINT: opts.endpoint,
    OTEL_SERVICE_NAME: opts.serviceName,
    OTEL_METRIC_EXPORT_INTERVAL: String(opts.exportIntervalMs ?? 2000),
    ...(opts.protocol ? { OTEL_EXPORTER_OTLP_PROTOCOL: opts.protocol } : {}),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'devserver', 'otelApp.ts'), '--rps', String(opts.rps ?? 20), '--report'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const seen: OtelObservation[] = [];
  let stderr = '';
  let buffered = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 20_000) stderr += chunk;
  });
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('PULSE_OTEL_APP_READY ')) markReady();
      if (!line.startsWith('PULSE_OTEL_OBSERVED ')) continue;
      const parsed: unknown = JSON.parse(line.slice('PULSE_OTEL_OBSERVED '.length));
      if (isObservation(parsed)) seen.push(parsed);
      if (seen.length > 1000) seen.splice(0, seen.length - 1000);
    }
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  };
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the OTel app did not start in 20 s:\n${stderr}`)), 20_000).unref());
  const died = exited.then(() => {
    throw new Error(`the OTel app exited (${child.exitCode}):\n${stderr}`);
  });
  try {
    await Promise.race([ready, timeout, died]);
  } catch (error) {
    await stop();
    throw error;
  }
  died.catch(() => undefined);
  return { pid: child.pid ?? 0, observations: () => seen, stop };
}
