// HomePage under abuse: a cap on live result streams (a clear 503), a slow reader dropped instead of buffered
// without limit, everything released on disconnect, and a bounded queue to Kafka (503 when full, not growth).
import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { trace } from '@opentelemetry/api';
import type { Kafka } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredBarrageResult } from '../shared/barrage-message';
import type { ResultStore } from '../store/result-store';
import { listen } from '../shared/lifecycle';
import { BarrageProducer, ProducerQueueFullError } from './barrage-producer';
import { ResultFeed } from './result-feed';
import { createHomepageServer } from './server';

/** A store that always has a page of large results after any cursor: an endless stream for a reader. */
function endlessStore(): ResultStore {
  let n = 0;
  const big = 'x'.repeat(8 * 1024);
  return {
    put: async () => ({ created: true }) as never,
    listAfter: async () =>
      Array.from({ length: 200 }, () => {
        n += 1;
        return {
          cursor: String(n).padStart(12, '0'),
          id: `id-${n}`,
          text: big,
        } as unknown as StoredBarrageResult;
      }),
    latestCursor: async () => undefined,
    countByUserSentBetween: async () => 0,
    ping: async () => {},
    close: async () => {},
  };
}

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function start(options: { maxStreams?: number; maxStreamBufferBytes?: number }) {
  const store = endlessStore();
  const feed = new ResultFeed(store, 50);
  server = createHomepageServer({
    sender: { send: async () => {}, connect: async () => {} },
    store,
    feed,
    tracer: trace.getTracer('test'),
    kafkaReady: async () => {},
    ...options,
  });
  return listen(server, 0);
}

/** Opens a stream that never reads (paused socket): the slowest possible reader. */
function stalledReader(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('GET /api/barrage/stream HTTP/1.1\r\nHost: x\r\n\r\n');
      socket.pause();
      resolve(socket);
    });
    sockets.push(socket);
  });
}

describe('HomePage limits', () => {
  it('answers 503 with a reason beyond the stream cap, and frees a slot when a stream goes', async () => {
    const port = await start({ maxStreams: 2, maxStreamBufferBytes: 64 * 1024 * 1024 });
    const first = await stalledReader(port);
    await stalledReader(port);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await fetch(`http://127.0.0.1:${port}/api/barrage/stream`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: string }).error).toMatch(/too many live result streams \(2\)/);
    first.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const controller = new AbortController();
    const accepted = await fetch(`http://127.0.0.1:${port}/api/barrage/stream`, {
      signal: controller.signal,
    });
    expect(accepted.status).toBe(200);
    controller.abort();
  });

  it('drops a reader that does not read once its buffer passes the bound', async () => {
    const port = await start({ maxStreamBufferBytes: 256 * 1024 });
    const socket = await stalledReader(port);
    const closed = new Promise<boolean>((resolve) => {
      socket.on('close', () => resolve(true));
      setTimeout(() => resolve(false), 10_000);
    });
    // Reading slowly now would show it: the server must have cut it off on its own.
    setTimeout(() => socket.resume(), 2000);
    expect(await closed).toBe(true);
    // And the process still serves.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('fails sends at once when the queue to Kafka is full', async () => {
    const never = new Promise<never>(() => {});
    const kafka = {
      producer: () => ({ on: () => {}, connect: () => never, send: () => never, disconnect: async () => {} }),
    } as unknown as Kafka;
    const producer = new BarrageProducer(kafka, { topic: 't', maxQueued: 3, sendTimeoutMs: 60_000 });
    const record = { key: 'k', value: 'v', headers: {} };
    // The first goes in flight (waiting to connect); three more fill the queue; the next is refused.
    for (let i = 0; i < 4; i++) void producer.send(record).catch(() => {});
    expect(producer.queued).toBe(3);
    await expect(producer.send(record)).rejects.toBeInstanceOf(ProducerQueueFullError);
  });
});
