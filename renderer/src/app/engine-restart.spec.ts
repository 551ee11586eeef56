import { describe, expect, it } from 'vitest';
import { initialEngineIdentity, onEngineHello } from './engine-restart';

const hello = (engineId: string, startedAt = 1000) => ({
  type: 'hello' as const,
  engineId,
  startedAt,
  restarts: 0,
});

describe('engine restart notice', () => {
  it('says nothing for the first engine or a re-subscription to the same one', () => {
    let state = onEngineHello(initialEngineIdentity, hello('a'));
    state = onEngineHello(state, hello('a'));
    expect(state).toEqual({ engineId: 'a', restartedAt: null });
  });

  it('says the engine restarted when another engine answers, with its start time', () => {
    const state = onEngineHello(onEngineHello(initialEngineIdentity, hello('a')), hello('b', 5000));
    expect(state).toEqual({ engineId: 'b', restartedAt: 5000 });
  });
});
