// `GET /api/barrage/stream`: Server-Sent Events of processed results. Each event's id is the store cursor, so a
// browser that reconnects sends `Last-Event-ID` and resumes exactly after the last result it saw. A new stream
// without it starts at the newest result (a wall shows what arrives from now on; `?after=` pages history).
// Backpressure: the next page is read only once the socket has taken the last one, and a reader so slow that more
// than `maxBufferedBytes` wait for it is dropped (its browser reconnects with Last-Event-ID and loses nothing), so
// one slow client never makes HomePage buffer without limit. Everything is released when the connection closes.
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
  limits: { maxBufferedBytes: number } = { maxBufferedBytes: 1024 * 1024 },
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
  /** Writes one chunk; drops the reader when too much waits for it. Returns false when the socket is full. */
  const write = (chunk: string): boolean => {
    if (closed) return false;
    const flowing = response.write(chunk);
    if (response.writableLength > limits.maxBufferedBytes) {
      closed = true;
      response.destroy();
      return false;
    }
    return flowing;
  };
  const drained = () =>
    new Promise<void>((resolve) => {
      if (closed) return resolve();
      const done = () => {
        response.off('drain', done);
        response.off('close', done);
        resolve();
      };
      response.once('drain', done);
      response.once('close', done);
    });
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
          let flowing = true;
          for (const result of page) {
            const { cursor: id, ...data } = result;
            flowing = write(`id: ${id}\nevent: barrage\ndata: ${JSON.stringify(data)}\n\n`) && flowing;
            cursor = id;
          }
          if (closed) return;
          if (!flowing) await drained();
          if (page.length < pageSize) break;
        }
      } while (again && !closed);
    } catch (error) {
      write(`event: error\ndata: ${JSON.stringify({ error: (error as Error).message })}\n\n`);
    } finally {
      reading = false;
    }
  };

  const onChanged = (): void => void drain();
  feed.on('changed', onChanged);
  const heartbeat = setInterval(() => write(': keep-alive\n\n'), heartbeatMs);
  const release = () => {
    closed = true;
    clearInterval(heartbeat);
    feed.off('changed', onChanged);
  };
  request.once('close', release);
  response.once('close', release);
  await drain();
}
