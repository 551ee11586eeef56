import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../../electron/common/contract';
import { schemas } from '../../../electron/common/contract';
import type { EngineClient, StreamHandlers } from '../engine/engine-client';
import { ApiError } from '../engine/errors';
import { BarrageWatch, type BarrageMessages } from './barrage-watch';

type ViewEvent = EventOf<'barrage:view'>;

/** An engine whose barrage:view streams the test drives by hand (events checked against the contract). */
function manualEngine() {
  const streams: { params: unknown; handlers: StreamHandlers<ViewEvent>; left: boolean }[] = [];
  const engine: EngineClient = {
    call: () => Promise.reject(new Error('not used')),
    subscribe: (name, params, handlers) => {
      expect(name).toBe('barrage:view');
      const stream = { params, handlers: handlers as StreamHandlers<ViewEvent>, left: false };
      streams.push(stream);
      return () => {
        stream.left = true;
      };
    },
  };
  const emit = (index: number, event: ViewEvent) =>
    streams[index]!.handlers.onEvent(schemas.barrage.barrageViewEvent.parse(event));
  return { engine, streams, emit };
}

const messages = (...texts: string[]): ViewEvent => ({
  type: 'messages',
  messages: texts.map((text, i) => ({ id: String(i), text, data: null, receivedAt: 1_000 + i })),
  dropped: 0,
});

const url = 'http://barrage-homepage.default.svc.cluster.local';

describe('BarrageWatch', () => {
  it('keeps one stream and its count for the same target, drawing only while a stage is attached', () => {
    const { engine, streams, emit } = manualEngine();
    const watch = new BarrageWatch();
    watch.watch(engine, url, 'playground');
    expect(streams.map((s) => s.params)).toEqual([{ url, context: 'playground' }]);
    const drawn: BarrageMessages[] = [];
    const detach = watch.attach((batch) => drawn.push(batch));
    emit(0, { type: 'status', state: 'open', attempt: 0, error: null });
    emit(0, messages('a', 'b'));
    // The screen goes away (Monitor): comments keep being counted, not drawn.
    detach();
    emit(0, messages('c'));
    // The screen comes back with the same URL: the same stream, the count kept.
    watch.watch(engine, url, 'playground');
    watch.attach((batch) => drawn.push(batch));
    emit(0, messages('d'));
    expect(streams).toHaveLength(1);
    expect(streams[0]!.left).toBe(false);
    expect(watch.getSnapshot()).toMatchObject({ state: 'open', received: 4, offScreen: 1 });
    expect(drawn.flat().map((m) => m.text)).toEqual(['a', 'b', 'd']);
  });

  it('starts over for another URL or context, and ignores what the old stream still says', () => {
    const { engine, streams, emit } = manualEngine();
    const watch = new BarrageWatch();
    watch.watch(engine, url, null);
    emit(0, messages('a'));
    watch.watch(engine, url, 'playground');
    expect(streams[0]!.left).toBe(true);
    expect(streams[1]!.params).toEqual({ url, context: 'playground' });
    expect(watch.getSnapshot()).toMatchObject({ received: 0, state: 'connecting' });
    emit(0, messages('late'));
    expect(watch.getSnapshot().received).toBe(0);
    watch.watch(engine, '', 'playground');
    expect(streams[1]!.left).toBe(true);
    expect(watch.getSnapshot()).toMatchObject({ target: null, state: 'idle', received: 0 });
  });

  it('stays disconnected until the user connects again, which starts a new stream', () => {
    const { engine, streams, emit } = manualEngine();
    const watch = new BarrageWatch();
    watch.watch(engine, url, null);
    emit(0, messages('a'));
    watch.setWatching(engine, false, url, null);
    expect(streams[0]!.left).toBe(true);
    watch.watch(engine, url, null);
    expect(streams).toHaveLength(1);
    expect(watch.getSnapshot()).toMatchObject({ watching: false, target: null, received: 0 });
    watch.setWatching(engine, true, url, null);
    expect(streams).toHaveLength(2);
    expect(watch.getSnapshot()).toMatchObject({ watching: true, state: 'connecting' });
  });

  it('keeps a failure for its target instead of subscribing again on every render', () => {
    const { engine, streams } = manualEngine();
    const watch = new BarrageWatch();
    watch.watch(engine, url, null);
    streams[0]!.handlers.onError?.(new ApiError({ code: 'invalid', message: 'bad url', details: {} }));
    watch.watch(engine, url, null);
    expect(streams).toHaveLength(1);
    expect(watch.getSnapshot().failure).toMatchObject({ message: 'bad url' });
    watch.watch(engine, `${url}/other`, null);
    expect(streams).toHaveLength(2);
    expect(watch.getSnapshot().failure).toBeNull();
  });
});
