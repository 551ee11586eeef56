import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../../electron/common/contract';
import { schemas } from '../../../electron/common/contract';
import type { EngineClient, StreamHandlers } from '../engine/engine-client';
import { monitorPodsParams } from '../monitor/pods-params';
import { LoadRun } from './load-run';

type SendEvent = EventOf<'barrage:send'>;

/**
 * An engine whose barrage:send stream the test drives by hand; events are checked against the contract. live:pods
 * subscriptions (the run following the target's pods) are recorded with whether they were left.
 */
function manualEngine() {
  let handlers: StreamHandlers<SendEvent> | undefined;
  let unsubscribed = 0;
  const followed: { params: unknown; left: boolean }[] = [];
  const engine: EngineClient = {
    call: () => Promise.reject(new Error('not used')),
    subscribe: (name, params, h) => {
      if (name === 'live:pods') {
        const follow = { params, left: false };
        followed.push(follow);
        return () => {
          follow.left = true;
        };
      }
      handlers = h as StreamHandlers<SendEvent>;
      return () => {
        unsubscribed += 1;
      };
    },
  };
  const emit = (event: SendEvent) => handlers?.onEvent(schemas.barrage.barrageSendEvent.parse(event));
  return { engine, emit, unsubscribed: () => unsubscribed, followed };
}

const latency = { p50: 5, p90: 9, p99: 20, max: 30, mean: 6 };
const second = (n: number): SendEvent => ({
  type: 'second',
  second: n,
  at: 1_000 * n,
  rps: 100,
  latency,
  statusCodes: { '202': 100 },
  refused: 0,
  errors: 0,
  timeouts: 0,
  totalRequests: 100 * n,
});

describe('LoadRun', () => {
  it('collects per-second samples and ends with the summary', () => {
    const { engine, emit } = manualEngine();
    const run = new LoadRun();
    run.start(engine, { url: 'http://127.0.0.1:1/', message: 'hi', concurrency: 20, durationSeconds: 2 });
    emit(second(1));
    emit(second(2));
    expect(run.getSnapshot().seconds.map((s) => s.second)).toEqual([1, 2]);
    emit({
      type: 'done',
      reason: 'finished',
      durationSeconds: 2,
      totalRequests: 200,
      accepted: 200,
      refused: 0,
      refusals: [],
      errors: 0,
      timeouts: 0,
      statusCodes: { '202': 200 },
      latency,
      meanRps: 100,
      unanswered: 0,
      error: null,
    });
    expect(run.getSnapshot().state).toBe('done');
    expect(run.getSnapshot().summary?.accepted).toBe(200);
  });

  it('refuses a second run while one is going, and stop unsubscribes once', () => {
    const { engine, unsubscribed } = manualEngine();
    const run = new LoadRun();
    run.start(engine, { url: 'http://127.0.0.1:1/', message: 'hi' });
    expect(() => run.start(engine, { url: 'http://127.0.0.1:1/', message: 'hi' })).toThrow(
      /already in progress/,
    );
    run.stop();
    run.stop();
    expect(unsubscribed()).toBe(1);
    expect(run.getSnapshot().state).toBe('done');
  });

  it('notifies subscribers with a new snapshot object each change', () => {
    const { engine, emit } = manualEngine();
    const run = new LoadRun();
    const seen: unknown[] = [];
    run.subscribe(() => seen.push(run.getSnapshot()));
    run.start(engine, { url: 'http://127.0.0.1:1/', message: 'hi' });
    emit(second(1));
    expect(seen.length).toBe(2);
    expect(seen[0]).not.toBe(seen[1]);
  });

  it("follows the target namespace's pods with the Monitor's parameters while it runs, and leaves when it ends", () => {
    const { engine, emit, followed } = manualEngine();
    const run = new LoadRun();
    run.start(engine, { url: 'http://127.0.0.1:1/', message: 'hi' }, 0, {
      context: 'kind',
      namespace: 'demo',
    });
    expect(followed).toEqual([{ params: monitorPodsParams('kind', 'demo'), left: false }]);
    emit(second(1));
    expect(followed[0]!.left).toBe(false);
    run.stop();
    expect(followed[0]!.left).toBe(true);
    // Without a namespace to follow (a typed URL, not connected), nothing is followed.
    run.start(engine, { url: 'http://127.0.0.1:1/', message: 'hi' });
    expect(followed).toHaveLength(1);
  });
});
