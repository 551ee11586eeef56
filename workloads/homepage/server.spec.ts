// HomePage's POST /api/barrage on its edges: what is refused (415 not JSON, 413 too large, 400 bad JSON or fields)
// never reaches Kafka; what is accepted goes to Kafka once, as the JSON message with its trace headers, and
// answers 202 with the id. The sender records what it was given (Kafka itself is covered by the integration tests).
import type { Server } from 'node:http';
import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResultStore } from '../store/result-store';
import { listen } from '../shared/lifecycle';
import type { OutgoingRecord } from './barrage-producer';
import { ResultFeed } from './result-feed';
import { createHomepageServer, maxPostBytes } from './server';

const emptyStore = {
  put: async () => ({ created: true }),
  listAfter: async () => [],
  latestCursor: async () => undefined,
} as unknown as ResultStore;

let server: Server;
let url: string;
let sent: OutgoingRecord[];

beforeEach(async () => {
  sent = [];
  server = createHomepageServer({
    sender: {
      send: async (record) => {
        sent.push(record);
      },
      connect: async () => {},
    },
    store: emptyStore,
    feed: new ResultFeed(emptyStore, 1_000),
    tracer: trace.getTracer('test'),
    kafkaReady: async () => {},
  });
  url = `http://127.0.0.1:${await listen(server, 0)}/api/barrage`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function post(body: string, contentType = 'application/json') {
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
}

describe('POST /api/barrage', () => {
  it('answers 415 to a body that is not JSON and sends nothing', async () => {
    const response = await post('text=hello', 'application/x-www-form-urlencoded');
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ error: 'send the barrage as application/json' });
    expect(sent).toEqual([]);
  });

  it('answers 413 to a body over the limit and sends nothing', async () => {
    const response = await post(JSON.stringify({ text: 'x'.repeat(maxPostBytes) }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: unknown }).error).toEqual(expect.any(String));
    expect(sent).toEqual([]);
  });

  it('takes a body just under the limit as far as validation', async () => {
    // The size limit is on bytes; this one fits, so it is the text rule that answers (400), not 413.
    const response = await post(JSON.stringify({ text: 'x'.repeat(maxPostBytes - 20) }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { field: unknown }).field).toBe('text');
  });

  it('answers 400 naming the problem for invalid JSON and for an unknown field', async () => {
    const broken = await post('{"text": ');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ field: 'body', reason: 'is not valid JSON' });
    const extra = await post(JSON.stringify({ text: 'hi', admin: true }));
    expect(extra.status).toBe(400);
    expect(sent).toEqual([]);
  });

  it('sends an accepted barrage to Kafka once and answers 202 with its id', async () => {
    const response = await post(
      JSON.stringify({ text: '  hello  ', user: 'alice' }),
      'application/json; charset=utf-8',
    );
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    expect(sent).toHaveLength(1);
    const record = sent[0]!;
    expect(record.key).toBe('alice');
    expect(JSON.parse(record.value)).toMatchObject({ id, text: 'hello', user: 'alice' });
    expect(record.headers['content-type']).toBe('application/json');
  });
});
