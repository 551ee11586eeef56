// A finite stream whose whole work is one promise: the work's events go to the sink and the stream ends when the
// work settles, with its error if it failed. Deploy, undeploy, apply, import, rollout and the playground's start and
// stop are all this shape.
import type { StreamSink } from './handlers';

export function finiteStream<E>(
  sink: StreamSink<E>,
  work: (emit: (event: E) => void, signal: AbortSignal) => Promise<unknown>,
): void {
  void work((event) => sink.emit(event), sink.signal).then(
    () => sink.end(),
    (error) => sink.end(error),
  );
}
