// The part of the official OTLP metrics protos (opentelemetry-proto v1: collector/metrics/v1,
// metrics/v1, common/v1, resource/v1; google.rpc.Status) that Pulse reads, as a protobufjs JSON descriptor. Names, types
// and field numbers are the protos'; fields Pulse never reads (exemplars, min/max, scope, schema
// URLs, metadata) are left out, so protobufjs skips them on the wire instead of building them.
import type { INamespace } from 'protobufjs/light';

const COMMON = 'opentelemetry.proto.common.v1';
const METRICS = 'opentelemetry.proto.metrics.v1';

const attributes = (id: number) => ({ rule: 'repeated', type: `${COMMON}.KeyValue`, id });
/** Gauge and Summary: their data points only. */
const points = (type: string) => ({ fields: { dataPoints: { rule: 'repeated', type, id: 1 } } });
/** Sum, Histogram, ExponentialHistogram: data points and their aggregation temporality. */
const temporal = (type: string) => ({ fields: { ...points(type).fields, aggregationTemporality: { type: 'int32', id: 2 } } });
/** The count and sum every distribution point (histogram, exponential histogram, summary) starts with. */
const COUNT_SUM = { count: { type: 'fixed64', id: 4 }, sum: { type: 'double', id: 5 } };
/** Every data point's start and time (ns since the epoch): Pulse orders points by them, not by arrival. */
const TIMES = { startTimeUnixNano: { type: 'fixed64', id: 2 }, timeUnixNano: { type: 'fixed64', id: 3 } };

export const OTLP_METRICS_SCHEMA: INamespace = {
  nested: {
    opentelemetry: {
      nested: {
        proto: {
          nested: {
            common: {
              nested: {
                v1: {
                  nested: {
                    AnyValue: {
                      oneofs: { value: { oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] } },
                      fields: {
                        stringValue: { type: 'string', id: 1 },
                        boolValue: { type: 'bool', id: 2 },
                        intValue: { type: 'int64', id: 3 },
                        doubleValue: { type: 'double', id: 4 },
                        arrayValue: { type: 'ArrayValue', id: 5 },
                        kvlistValue: { type: 'KeyValueList', id: 6 },
                        bytesValue: { type: 'bytes', id: 7 },
                      },
                    },
                    ArrayValue: { fields: { values: { rule: 'repeated', type: 'AnyValue', id: 1 } } },
                    KeyValueList: { fields: { values: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
                    KeyValue: { fields: { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } } },
                  },
                },
              },
            },
            resource: {
              nested: {
                v1: { nested: { Resource: { fields: { attributes: attributes(1) } } } },
              },
            },
            metrics: {
              nested: {
                v1: {
                  nested: {
                    ResourceMetrics: {
                      fields: {
                        resource: { type: 'opentelemetry.proto.resource.v1.Resource', id: 1 },
                        scopeMetrics: { rule: 'repeated', type: 'ScopeMetrics', id: 2 },
                      },
                    },
                    ScopeMetrics: { fields: { metrics: { rule: 'repeated', type: 'Metric', id: 2 } } },
                    Metric: {
                      oneofs: { data: { oneof: ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] } },
                      fields: {
                        name: { type: 'string', id: 1 },
                        unit: { type: 'string', id: 3 },
                        gauge: { type: 'Gauge', id: 5 },
                        sum: { type: 'Sum', id: 7 },
                        histogram: { type: 'Histogram', id: 9 },
                        exponentialHistogram: { type: 'ExponentialHistogram', id: 10 },
                        summary: { type: 'Summary', id: 11 },
                      },
                    },
                    Gauge: points('NumberDataPoint'),
                    Sum: { fields: { ...temporal('NumberDataPoint').fields, isMonotonic: { type: 'bool', id: 3 } } },
                    Histogram: temporal('HistogramDataPoint'),
                    ExponentialHistogram: temporal('ExponentialHistogramDataPoint'),
                    Summary: points('SummaryDataPoint'),
                    NumberDataPoint: {
                      oneofs: { value: { oneof: ['asDouble', 'asInt'] } },
                      fields: {
                        attributes: attributes(7),
                        ...TIMES,
                        asDouble: { type: 'double', id: 4 },
                        asInt: { type: 'sfixed64', id: 6 },
                        flags: { type: 'uint32', id: 8 },
                      },
                    },
                    HistogramDataPoint: {
                      fields: {
                        attributes: attributes(9),
                        ...TIMES,
                        ...COUNT_SUM,
                        bucketCounts: { rule: 'repeated', type: 'fixed64', id: 6 },
                        explicitBounds: { rule: 'repeated', type: 'double', id: 7 },
                        flags: { type: 'uint32', id: 10 },
                      },
                    },
                    ExponentialHistogramDataPoint: {
                      fields: {
                        attributes: attributes(1),
                        ...TIMES,
                        ...COUNT_SUM,
                        scale: { type: 'sint32', id: 6 },
                        zeroCount: { type: 'fixed64', id: 7 },
                        positive: { type: 'Buckets', id: 8 },
                        negative: { type: 'Buckets', id: 9 },
                        flags: { type: 'uint32', id: 10 },
                        zeroThreshold: { type: 'double', id: 14 },
                      },
                      nested: {
                        Buckets: {
                          fields: {
                            offset: { type: 'sint32', id: 1 },
                            bucketCounts: { rule: 'repeated', type: 'uint64', id: 2 },
                          },
                        },
                      },
                    },
                    SummaryDataPoint: {
                      fields: {
                        attributes: attributes(7),
                        ...TIMES,
                        ...COUNT_SUM,
                        quantileValues: { rule: 'repeated', type: 'ValueAtQuantile', id: 6 },
                        flags: { type: 'uint32', id: 8 },
                      },
                      nested: {
                        ValueAtQuantile: { fields: { quantile: { type: 'double', id: 1 }, value: { type: 'double', id: 2 } } },
                      },
                    },
                  },
                },
              },
            },
            // google.rpc.Status, the body of OTLP error responses.
            Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } },
            collector: {
              nested: {
                metrics: {
                  nested: {
                    v1: {
                      nested: {
                        ExportMetricsServiceRequest: { fields: { resourceMetrics: { rule: 'repeated', type: `${METRICS}.ResourceMetrics`, id: 1 } } },
                        ExportMetricsServiceResponse: { fields: { partialSuccess: { type: 'ExportMetricsPartialSuccess', id: 1 } } },
                        ExportMetricsPartialSuccess: {
                          fields: {
                            rejectedDataPoints: { type: 'int64', id: 1 },
                            errorMessage: { type: 'string', id: 2 },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
