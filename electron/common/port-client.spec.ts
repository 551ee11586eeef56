// The preload's client across an engine restart, and the shared router's acks: what the page sees when the
// engine's port closes and a restarted engine's port arrives.
import { describe, expect, it } from 'vitest';
import { PortClient } from './port-client';
import type { ClientMessage } from './wire';

function connected(keep?: (name: string) => boolean) {
  const client = new PortClient({ keep });
  const sent: ClientMessage[] = [];
  client.connect((message) => sent.push(message));
  return { client, sent };
}

describe('PortClient', () => {
  it('acknowledges each numbered batch after its listener ran', () => {
    const { client, sent } = connected();
    const seen: unknown[] = [];
    client.subscribe(
      'workloads:watch',
      {},
      (events) => seen.push(...events),
      () => {},
    );
    client.receive({ t: 'events', id: 1, events: ['a', 'b'], seq: 7 });
    expect(seen).toEqual(['a', 'b']);
    expect(sent.at(-1)).toEqual({ t: 'ack', seq: 7 });
  });

  it('fails calls in flight and while the engine is gone, keeps open-ended streams and re-subscribes them', async () => {
    const { client, sent } = connected((name) => name === 'workloads:watch');
    const ended: (string | null)[] = [];
    client.subscribe(
      'workloads:watch',
      { context: 'c' },
      () => {},
      (error) => ended.push(error?.code ?? null),
    );
    client.subscribe(
      'deploy:apply',
      {},
      () => {},
      (error) => ended.push(`apply ${error?.code}`),
    );
    const inFlight = client.call('app:info', {});

    client.disconnect('The engine stopped unexpectedly; it is being restarted.');
    expect(await inFlight).toEqual({
      ok: false,
      error: {
        code: 'unreachable',
        message: 'The engine stopped unexpectedly; it is being restarted.',
        details: {},
      },
    });
    expect(ended).toEqual(['apply unreachable']); // the finite stream ended, the watch is kept
    const whileGone = await client.call('app:info', {});
    expect(whileGone.ok).toBe(false); // at once, not queued until a port that may never come

    const next: ClientMessage[] = [];
    client.connect((message) => next.push(message));
    expect(next).toEqual([{ t: 'subscribe', id: 1, name: 'workloads:watch', params: { context: 'c' } }]);
    expect(sent.filter((message) => message.t === 'subscribe')).toHaveLength(2);
  });
});
