// Entry of the lazily loaded OTLP bundle (dist/otlp.js): the receiver and its protobuf decoder.
import type { SourceConfig } from '../core/model';
import { OtlpReceiver } from './otlpReceiver';
import type { Transport, TransportDeps } from './transport';

export function createOtlpTransport(config: SourceConfig, deps: TransportDeps): Transport {
  return new OtlpReceiver(config, deps);
}
