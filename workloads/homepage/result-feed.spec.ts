import { describe, expect, it } from 'vitest';
import type { ResultStore } from '../store/result-store';
import { ResultFeed } from './result-feed';

/** A store whose newest cursor the test moves; counts the polls. */
function cursorStore() {
  const state = { latest: '1', polls: 0 };
  const store = {
    latestCursor: () => {
      state.polls += 1;
      return Promise.resolve(state.latest);
    },
  } as unknown as ResultStore;
  return { store, state };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('ResultFeed', () => {
  it('polls the store only while a stream listens, and says when the newest result changed', async () => {
    const { store, state } = cursorStore();
    const feed = new ResultFeed(store, 5);
    feed.start();
    await tick();
    expect(feed.polling).toBe(false);
    expect(state.polls).toBe(0);

    let changes = 0;
    const listener = () => (changes += 1);
    feed.on('changed', listener);
    await tick();
    expect(feed.polling).toBe(true);
    expect(state.polls).toBeGreaterThan(0);
    expect(changes).toBe(1); // the first cursor seen; unchanged after that

    state.latest = '2';
    await tick();
    expect(changes).toBe(2);

    feed.off('changed', listener);
    expect(feed.polling).toBe(false);
    const polls = state.polls;
    await tick();
    expect(state.polls).toBe(polls);
    feed.stop();
  });

  it('does not poll before start() nor after stop(), listeners or not', async () => {
    const { store, state } = cursorStore();
    const feed = new ResultFeed(store, 5);
    feed.on('changed', () => {});
    await tick();
    expect(state.polls).toBe(0);
    feed.start();
    await tick();
    expect(state.polls).toBeGreaterThan(0);
    feed.stop();
    const polls = state.polls;
    await tick();
    expect(state.polls).toBe(polls);
    expect(feed.polling).toBe(false);
  });
});
