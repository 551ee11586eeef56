// `GET /api/barrage/stream`: Server-Sent Events of processed results. Each event's id is the store cursor, so a
// browser that reconnects sends `Last-Event-ID` and resumes exactly after the last result it saw. A new stream
// without it starts at the newest result (a wall shows what arrives from now on; `?after=` pages history).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResultStore } from '../store/result-store';
import type { ResultFeed } from './result-feed';

const pageSize = 200;
const heartbeatMs = 15_000;

export async function openResultStream(
  request: IncomingMessage,
  response: ServerResponse,
  store: ResultStore,
  feed: ResultFeed,
  startAfter: string | undefined,
): Promise<void> {
  let cursor = startAfter ?? (await store.latestCursor());
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  // Tell EventSource how soon to reconnect, and open the stream for proxies that wait for a first byte.
  response.write('retry: 1000\n\n');

  let reading = false;
  let again = false;
  let closed = false;
  const drain = async (): Promise<void> => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        for (;;) {
          const page = await store.listAfter(cursor, pageSize);
          if (closed) return;
          for (const result of page) {
            const { cursor: id, ...data } = result;
            response.write(`id: ${id}\nevent: barrage\ndata: ${JSON.stringify(data)}\n\n`);
            cursor = id;
          }
          if (page.length < pageSize) break;
        }
      } while (again && !closed);
    } catch (error) {
      response.write(`event: error\ndata: ${JSON.stringify({ error: (error as Error).message })}\n\n`);
    } finally {
      reading = false;
    }
  };

  const onChanged = (): void => void drain();
  feed.on('changed', onChanged);
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), heartbeatMs);
  request.on('close', () => {
    closed = true;
    clearInterval(heartbeat);
    feed.off('changed', onChanged);
  });
  await drain();
}
