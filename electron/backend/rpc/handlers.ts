// The engine's side of the contract, as types: one handler per operation and per stream, keyed by the contract's
// names. An object of this type is what the dispatcher routes to, so a missing handler is a compile error.
import type {
  EventOf,
  OperationName,
  ParamsOf,
  RequestOf,
  ResponseOf,
  StreamName,
} from '../../common/contract';

export interface StreamSink<E> {
  /** Queues one event; the dispatcher batches and validates before sending. */
  emit(event: E): void;
  /** Ends the stream (finite streams when done; any stream on a fatal error). */
  end(error?: unknown): void;
  /** Aborted when the UI unsubscribes or the connection closes; long work should stop then. */
  readonly signal: AbortSignal;
  /**
   * True while the transport to the UI is backed up (e.g. a WebSocket's send buffer is full) or this stream has
   * many unsent events. Producers that can drop (the barrage viewer) hold back and drop oldest then.
   */
  congested(): boolean;
}

/** What a stream handler returns: called once when the stream ends for any reason. */
export type Disposer = () => void | Promise<void>;

export type OperationHandlers = {
  [K in OperationName]: (request: RequestOf<K>, signal: AbortSignal) => Promise<ResponseOf<K>>;
};

export type StreamHandlers = {
  [K in StreamName]: (
    params: ParamsOf<K>,
    sink: StreamSink<EventOf<K>>,
  ) => Disposer | void | Promise<Disposer | void>;
};

export type Handlers = OperationHandlers & StreamHandlers;
