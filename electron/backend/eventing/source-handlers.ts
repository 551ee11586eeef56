// The contract's `eventing:` KafkaSource form handlers, wired to the KafkaSourceService (kept apart from engine.ts so
// additions to either rebase cleanly).
import { finiteStream } from '../rpc/finite-stream';
import type { Handlers } from '../rpc/handlers';
import type { KafkaSourceService } from './kafka-source-service';

type SourceHandlers = Pick<Handlers, 'eventing:sourceForm' | 'eventing:planSource' | 'eventing:applySource'>;

export function sourceHandlers(sources: KafkaSourceService): SourceHandlers {
  return {
    'eventing:sourceForm': async ({ context, namespace, name }) => sources.form(context, namespace, name),
    'eventing:planSource': async (request) => sources.plan(request),
    'eventing:applySource': (request, sink) =>
      finiteStream(sink, (emit, signal) => sources.apply(request, emit, signal)),
  };
}
