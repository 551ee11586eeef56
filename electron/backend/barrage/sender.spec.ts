// The sender against a real local HTTP server standing in for HomePage's POST /api/barrage (HomePage itself is
// exercised in the workloads' tests): its counts must match what the server saw and accepted. Bounded: 1 s on
// 127.0.0.1 with a request cap.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BarrageSendEvent } from '../../common/schemas/barrage';
import { startSender } from './sender';

let received = 0;
let accepted = 0;
const bodies = new Set<string>();
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    if (request.method !== 'POST' || request.url !== '/api/barrage') {
      response.writeHead(404).end();
      return;
    }
    received++;
    bodies.add(body);
    // Every fourth request is refused, like HomePage's rate limiting would: the sender must count it apart.
    if (received % 4 === 0) {
      response.writeHead(429).end();
      return;
    }
    // And every seventh is a 503 with HomePage's JSON reason, as when Kafka is away.
    if (received % 7 === 0) {
      response
        .writeHead(503, { 'content-type': 'application/json' })
        .end('{"error":"There is no leader for this topic-partition"}');
      return;
    }
    accepted++;
    response.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('barrage sender', () => {
  it('counts exactly what the server accepted and refused, with per-second stats', async () => {
    const events: BarrageSendEvent[] = [];
    // A count-bounded run completes every request it sends, so the counts must match the server's exactly.
    const run = startSender(
      { url, message: 'hello', concurrency: 4, durationSeconds: 20, maxRequests: 400 },
      (event) => events.push(event),
    );
    const done = await run.finished;
    expect(done.reason).toBe('finished');
    expect(done.totalRequests).toBe(received);
    expect(done.accepted).toBe(accepted);
    expect(done.statusCodes['202']).toBe(accepted);
    expect(done.statusCodes['429']! + done.statusCodes['503']!).toBe(received - accepted);
    expect(done.refused).toBe(received - accepted);
    expect(done.accepted + done.refused).toBe(400);
    expect(done.refusals).toEqual([
      { status: 429, message: '', count: done.statusCodes['429'] },
      { status: 503, message: 'There is no leader for this topic-partition', count: done.statusCodes['503'] },
    ]);
    expect(done.totalRequests).toBe(400);
    expect(done.unanswered).toBe(0);
    expect([...bodies]).toEqual([JSON.stringify({ text: 'hello' })]);
    const seconds = events.filter((event) => event.type === 'second');
    expect(seconds.length).toBeGreaterThanOrEqual(1);
    const summed = seconds.reduce((sum, event) => sum + (event.type === 'second' ? event.rps : 0), 0);
    expect(summed).toBe(received);
    const refusedPerSecond = seconds.reduce((sum, e) => sum + (e.type === 'second' ? e.refused : 0), 0);
    expect(refusedPerSecond).toBe(done.refused);
    const second = seconds[0];
    if (second?.type === 'second') {
      expect(second.latency.p50).toBeLessThanOrEqual(second.latency.p99);
      expect(second.latency.p99).toBeLessThanOrEqual(second.latency.max);
    }
  });

  it('stops when asked, reporting "stopped"', async () => {
    const events: BarrageSendEvent[] = [];
    const run = startSender({ url, message: 'x', concurrency: 2, durationSeconds: 30, rate: 50 }, (event) =>
      events.push(event),
    );
    setTimeout(() => run.stop(), 300);
    const done = await run.finished;
    expect(done.reason).toBe('stopped');
    expect(done.durationSeconds).toBeLessThan(30);
  });

  it('ends a time-bounded run on time, with at most one request per connection unanswered', async () => {
    const before = received;
    const run = startSender({ url, message: 'x', concurrency: 3, durationSeconds: 1 }, () => {});
    const done = await run.finished;
    expect(done.reason).toBe('finished');
    const seen = received - before;
    expect(seen - done.totalRequests).toBeGreaterThanOrEqual(0);
    expect(seen - done.totalRequests).toBeLessThanOrEqual(3);
    // What the server saw beyond the answered requests is what the run reports as still in flight.
    expect(seen - done.totalRequests).toBeLessThanOrEqual(done.unanswered);
    expect(done.unanswered).toBeLessThanOrEqual(3);
  });

  it('reports the requests still in flight when the run ends as unanswered, not as nothing', async () => {
    // A HomePage that answers only after 3 s: a 1 s run ends with every connection's request in flight.
    const slow = createServer((request, response) => {
      request.resume();
      const timer = setTimeout(() => response.writeHead(202).end('{}'), 3_000);
      response.on('close', () => clearTimeout(timer));
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const port = (slow.address() as AddressInfo).port;
      const run = startSender(
        { url: `http://127.0.0.1:${port}/`, message: 'x', concurrency: 4, durationSeconds: 1 },
        () => {},
      );
      const done = await run.finished;
      expect(done.totalRequests).toBe(0);
      expect(done.accepted).toBe(0);
      expect(done.unanswered).toBe(4);
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it('reports a refused connection as errors, not as accepted', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = startSender(
      { url: `http://127.0.0.1:${port}/`, message: 'x', concurrency: 1, durationSeconds: 1, maxRequests: 20 },
      () => {},
    );
    const done = await run.finished;
    expect(done.accepted).toBe(0);
    expect(done.errors + done.timeouts).toBeGreaterThan(0);
  });

  it("keeps refusal reasons bounded and reads HomePage's reasons", async () => {
    const { RefusalTally, refusalReason } = await import('./sender');
    expect(refusalReason('{"status":"unavailable","kafka":"down"}')).toBe('kafka: down');
    expect(refusalReason('x'.repeat(500))).toHaveLength(200);
    const tally = new RefusalTally();
    for (let i = 0; i < 50; i++) tally.add(503, `reason ${i}`);
    const kinds = tally.list();
    expect(kinds.length).toBeLessThanOrEqual(8);
    expect(kinds.reduce((sum, kind) => sum + kind.count, 0)).toBe(50);
  });
});
