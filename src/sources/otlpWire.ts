// OTLP/HTTP bodies in and out: protobuf (through protobufjs and the official message definitions)
// or JSON, to the plain object shape the OTLP JSON encoding uses (lowerCamelCase, int64 as numbers or
// strings), which core/decode/otlp maps onto Pulse's model.
import { Root } from 'protobufjs/light';
import type { Type } from 'protobufjs/light';
import { OTLP_METRICS_SCHEMA } from './otlpSchema';

export type OtlpEncoding = 'protobuf' | 'json';

const COLLECTOR = 'opentelemetry.proto.collector.metrics.v1';

interface MessageTypes {
  readonly request: Type;
  readonly response: Type;
  readonly status: Type;
}

let types: MessageTypes | undefined;

function messageTypes(): MessageTypes {
  if (!types) {
    const root = Root.fromJSON(OTLP_METRICS_SCHEMA);
    types = {
      request: root.lookupType(`${COLLECTOR}.ExportMetricsServiceRequest`),
      response: root.lookupType(`${COLLECTOR}.ExportMetricsServiceResponse`),
      status: root.lookupType('opentelemetry.proto.Status'),
    };
  }
  return types;
}

export type BodyResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** An ExportMetricsServiceRequest body as a plain object; never throws. */
export function parseRequest(body: Buffer, encoding: OtlpEncoding): BodyResult {
  if (encoding === 'json') {
    try {
      return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
    } catch (error) {
      return { ok: false, error: `invalid JSON: ${describe(error)}` };
    }
  }
  try {
    const { request } = messageTypes();
    // int64 fields as numbers (counts and values far below 2^53); enums as their numbers, as in OTLP JSON.
    return { ok: true, value: request.toObject(request.decode(body), { longs: Number, enums: Number, defaults: false }) };
  } catch (error) {
    // protobufjs reports truncated or malformed input, and runaway nesting ends in a RangeError.
    return { ok: false, error: `invalid protobuf: ${describe(error)}` };
  }
}

/** An ExportMetricsServiceResponse in the request's encoding; partialSuccess only when points were refused. */
export function encodeResponse(encoding: OtlpEncoding, rejectedDataPoints: number, errorMessage: string): Buffer {
  const partial = rejectedDataPoints > 0 || errorMessage !== '' ? { partialSuccess: { rejectedDataPoints, errorMessage } } : {};
  if (encoding === 'json') {
    // OTLP JSON writes int64 as a decimal string.
    const json = 'partialSuccess' in partial ? { partialSuccess: { rejectedDataPoints: String(rejectedDataPoints), errorMessage } } : {};
    return Buffer.from(JSON.stringify(json), 'utf8');
  }
  const { response } = messageTypes();
  return Buffer.from(response.encode(response.fromObject(partial)).finish());
}

/** A google.rpc.Status error body (code 3, INVALID_ARGUMENT) in the request's encoding. */
export function encodeStatus(encoding: OtlpEncoding, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code: 3, message }), 'utf8');
  const { status } = messageTypes();
  return Buffer.from(status.encode(status.fromObject({ code: 3, message })).finish());
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}
