// A slow UI on the desktop transport: the engine's session and the preload's PortClient joined by a channel that
// carries structured clones (as Electron's MessagePort does) and that the test can hold, as a renderer whose main
// thread is busy holds its port's messages. The engine must notice from the missing acks alone (a MessagePort has
// no bufferedAmount), so the barrage viewer drops the oldest messages instead of pushing everything, and the UI is
// told how many were dropped. Uses the real engine's barrage:view handler against a local SSE server.
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { serveForFile } from '../../../test/support/local-server';
import { scratchDir, scratchEngine } from '../../../test/support/scratch-engine';
import { PortClient } from '../../common/port-client';
import type { BarrageViewEvent } from '../../common/schemas/barrage';
import { EngineSession } from './session';

let stream: ServerResponse | undefined;
const server = createServer((request, response) => {
  if (request.url !== '/api/barrage/stream') {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  stream = response;
});
let next = 1;
function publish(count: number): void {
  for (let i = 0; i < count; i++, next++) {
    stream?.write(`id: ${next}\ndata: ${JSON.stringify({ id: `m${next}`, text: `message ${next}` })}\n\n`);
  }
}
const local = serveForFile(server);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 400 && !check(); i++) await sleep(25);
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

describe('drop-oldest over the desktop transport', () => {
  it('holds and drops the oldest viewer messages while the UI does not ack, and tells the UI the count', async () => {
    const engine = scratchEngine('electron', scratchDir('backpressure'));
    // The renderer's inbox: the engine's messages wait here while the UI is "busy".
    const inbox: unknown[] = [];
    let busy = false;
    const client = new PortClient();
    const session = new EngineSession(engine.handlers, (message) => inbox.push(structuredClone(message)), {
      flushIntervalMs: 5,
      ackWindow: 2,
    });
    client.connect((message) => session.receive(structuredClone(message)));
    const pump = setInterval(() => {
      if (!busy) for (const message of inbox.splice(0)) client.receive(message);
    }, 5);

    const events: BarrageViewEvent[] = [];
    const stop = client.subscribe(
      'barrage:view',
      { url: `${local.origin}/`, bufferSize: 10 },
      (batch) => events.push(...(batch as BarrageViewEvent[])),
      () => {},
    );
    const received = () =>
      events.flatMap((event) => (event.type === 'messages' ? event.messages.map((m) => m.text) : []));
    const lastDropped = () =>
      events.reduce((dropped, event) => (event.type === 'messages' ? event.dropped : dropped), 0);
    try {
      await until(() => stream !== undefined && events.some((e) => e.type === 'status'), 'the stream');
      // A UI that keeps up gets everything.
      publish(5);
      await until(() => received().length === 5, 'the first five');
      expect(lastDropped()).toBe(0);

      // The UI stops taking messages: the engine sees unacknowledged batches pile up and stops pushing.
      busy = true;
      // (One message per 20 ms: the viewer's 100 ms flushes would never overflow its buffer of 10 by themselves.)
      for (let i = 0; i < 40; i++) {
        publish(1);
        await sleep(20);
      }
      const inFlight = session.unackedBatches;
      expect(inFlight).toBeGreaterThanOrEqual(2);
      expect(inFlight).toBeLessThanOrEqual(4); // not one batch per flush: it held back
      busy = false;

      // Once the UI catches up it gets the newest messages (the buffer's 10) and the count of those it lost.
      await until(() => received().at(-1) === `message ${next - 1}`, 'the newest message');
      const texts = received();
      expect(lastDropped()).toBeGreaterThan(0);
      expect(texts.length + lastDropped()).toBe(next - 1); // every message is either shown or counted as dropped
      expect(new Set(texts).size).toBe(texts.length); // nothing twice
      expect(session.unackedBatches).toBe(0);
    } finally {
      stop();
      clearInterval(pump);
      session.close();
      await engine.dispose();
    }
  });
});
