// The viewer against a real local SSE server: messages arrive in order, a dropped connection is resumed with
// Last-Event-ID (nothing repeated, nothing lost), and a UI that cannot keep up loses the oldest messages, counted.
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { serveForFile } from '../../../test/support/local-server';
import type { BarrageViewEvent } from '../../common/schemas/barrage';
import { BarrageViewer } from './viewer';

let next = 1;
const lastEventIds: (string | undefined)[] = [];
let current: ServerResponse | undefined;
const server = createServer((request, response) => {
  if (request.url !== '/api/barrage/stream') {
    response.writeHead(404).end();
    return;
  }
  lastEventIds.push(request.headers['last-event-id'] as string | undefined);
  const resumeAfter = Number(request.headers['last-event-id'] ?? 0);
  next = resumeAfter + 1;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  response.write('retry: 50\n\n');
  current = response;
});
function send(count: number): void {
  for (let i = 0; i < count; i++, next++) {
    current?.write(`id: ${next}\ndata: ${JSON.stringify({ id: `m${next}`, text: `message ${next}` })}\n\n`);
  }
}
const local = serveForFile(server);

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(check()).toBe(true);
};

describe('barrage viewer', () => {
  it('delivers in order and resumes after a dropped connection without repeats', async () => {
    const events: BarrageViewEvent[] = [];
    const viewer = new BarrageViewer({
      url: `${local.origin}/`,
      bufferSize: 100,
      emit: (e) => events.push(e),
      flushIntervalMs: 10,
    }).start();
    const texts = () => events.flatMap((e) => (e.type === 'messages' ? e.messages.map((m) => m.text) : []));
    try {
      await until(() => current !== undefined);
      send(5);
      await until(() => texts().length === 5);
      current?.destroy(); // the server drops the connection
      current = undefined;
      await until(() => current !== undefined);
      send(3);
      await until(() => texts().length === 8);
      expect(texts()).toEqual(Array.from({ length: 8 }, (_, i) => `message ${i + 1}`));
      expect(lastEventIds.at(-1)).toBe('5');
      expect(events.some((e) => e.type === 'status' && e.state === 'reconnecting')).toBe(true);
    } finally {
      viewer.stop();
    }
  });

  it('drops the oldest messages, counted, while the UI is congested', async () => {
    current = undefined;
    const events: BarrageViewEvent[] = [];
    let congested = true;
    const viewer = new BarrageViewer({
      url: `${local.origin}/`,
      bufferSize: 10,
      emit: (e) => events.push(e),
      congested: () => congested,
      flushIntervalMs: 10,
    }).start();
    try {
      await until(() => current !== undefined);
      const first = next;
      send(25);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(events.filter((e) => e.type === 'messages')).toEqual([]);
      congested = false;
      await until(() => events.some((e) => e.type === 'messages'));
      const batch = events.find((e) => e.type === 'messages');
      if (batch?.type !== 'messages') throw new Error('no batch');
      expect(batch.dropped).toBe(15);
      expect(batch.messages.map((m) => m.text)).toEqual(
        Array.from({ length: 10 }, (_, i) => `message ${first + 15 + i}`),
      );
      expect(viewer.dropped).toBe(15);
    } finally {
      viewer.stop();
    }
  });

  it('never reconnects in a hot loop, even when the server says retry: 0 and closes every stream', async () => {
    let connections = 0;
    const closing = createServer((_request, response) => {
      connections++;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end('retry: 0\n\n');
    });
    await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
    const viewer = new BarrageViewer({
      url: `http://127.0.0.1:${(closing.address() as AddressInfo).port}/`,
      bufferSize: 10,
      emit: () => {},
    }).start();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    viewer.stop();
    closing.closeAllConnections();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
    // 250 ms minimum, backing off while no event arrives: at most 4 attempts in 1.2 s (hundreds without it).
    expect(connections).toBeGreaterThanOrEqual(2);
    expect(connections).toBeLessThanOrEqual(4);
  });
});
