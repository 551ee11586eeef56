// OpenTelemetry for the barrage services. With TRACING set (an OTLP/HTTP traces URL) spans are batched and
// exported; without it nothing is installed and every call below goes to the API's no-op tracer, so the
// untraced path costs a function call and allocates no spans.
// Context travels as W3C trace context: HomePage writes `traceparent`/`tracestate` into Kafka record headers, the
// KafkaSource turns record headers into CloudEvent extensions named `kafkaheader<name>` (so
// `kafkaheadertraceparent`), and processing reads them back from the event (kafkaHeadersOfEvent).
import {
  context,
  propagation,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface Tracing {
  readonly tracer: Tracer;
  readonly enabled: boolean;
  /** Flushes pending spans (call before exit). */
  shutdown(): Promise<void>;
}

export function startTracing(serviceName: string, endpoint: string | undefined): Tracing {
  if (!endpoint) {
    return { tracer: trace.getTracer(serviceName), enabled: false, shutdown: async () => {} };
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }))],
  });
  // W3C trace context only: that is what travels in Kafka headers and CloudEvent extensions.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return { tracer: trace.getTracer(serviceName), enabled: true, shutdown: () => provider.shutdown() };
}

/** The W3C headers of the span's context (empty when tracing is off). */
export function traceHeaders(span: Span): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  return carrier;
}

const recordGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (value === undefined || value === null) return undefined;
    return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  },
};

/** The parent context carried by a CloudEvent's extensions or HTTP headers (root context when none). */
export function extractTraceContext(carrier: Record<string, unknown>): Context {
  return propagation.extract(context.active(), carrier, recordGetter);
}
