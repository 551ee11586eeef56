import { describe, expect, it } from 'vitest';
import { ApiError } from '../engine/errors';
import { fakeEngine } from './fake-engine';

describe('fakeEngine', () => {
  it('refuses a request the contract refuses, before any handler runs', async () => {
    const engine = fakeEngine({ 'kafka:topics': () => ({ topics: [] }) });
    await expect(engine.call('kafka:topics', { profileId: 'p', extra: 1 } as never)).rejects.toThrow();
    expect(engine.calls).toEqual([]);
  });

  it('refuses an answer that drifted from the contract', async () => {
    const engine = fakeEngine({ 'kafka:topics': () => ({ topics: [{ name: 't' }] }) as never });
    await expect(engine.call('kafka:topics', { profileId: 'p' })).rejects.toThrow(/partitions/);
  });

  it('records requests with defaults applied, and fails an operation it has no handler for like the engine would', async () => {
    const engine = fakeEngine();
    const failure = await engine.call('fc:profiles', {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('internal');
    expect(engine.callsOf('fc:profiles')).toEqual([{}]);
  });

  it('delivers events only to open subscriptions, parsed with the stream’s schema', () => {
    const engine = fakeEngine();
    const seen: unknown[] = [];
    const stop = engine.subscribe(
      'workloads:watch',
      { context: 'c' },
      { onEvent: (event) => seen.push(event) },
    );
    engine.emit('workloads:watch', { type: 'snapshot', rows: [] });
    expect(() => engine.emit('workloads:watch', { type: 'nonsense' } as never)).toThrow();
    stop();
    engine.emit('workloads:watch', { type: 'snapshot', rows: [] });
    expect(seen).toEqual([{ type: 'snapshot', rows: [] }]);
    expect(engine.subscribers('workloads:watch')).toEqual([]);
  });
});
