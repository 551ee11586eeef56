// Local CloudEvents sinks for the KafkaSource tests: an HTTP server on 127.0.0.1 that reads each delivery's body and
// then answers as the test says (a status, after a delay, or never, to make the dispatcher's attempt time out).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';

export interface SinkAnswer {
  /** 0 never answers. */
  status: number;
  delayMs?: number;
  body?: string;
}

export interface EventSink {
  uri: string;
  close: () => void;
}

/** A sink whose `answer` decides each response once the request's body was read. */
export async function startSink(
  answer: (request: http.IncomingMessage) => SinkAnswer,
  path = '/',
): Promise<EventSink> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const { status, delayMs = 0, body } = answer(request);
      if (status === 0) return;
      const reply = () => {
        response.statusCode = status;
        response.end(body);
      };
      if (delayMs > 0) setTimeout(reply, delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    close: () => server.close(),
  };
}

/** A sink that answers `status` and records the CloudEvent id (ce-id) of each delivery, in order. */
export interface RecordingSink extends EventSink {
  ids: string[];
}

export async function recordingSink(status = 202): Promise<EventSink & { ids: string[] }> {
  const ids: string[] = [];
  const sink = await startSink((request) => {
    ids.push(String(request.headers['ce-id']));
    return { status };
  });
  return { ...sink, ids };
}

/** Starts sinks for a test file and closes every one of them in an afterAll (so a failing test leaves no server). */
export function sinksForFile() {
  const open: EventSink[] = [];
  afterAll(() => {
    for (const sink of open) sink.close();
  });
  const keep = <S extends EventSink>(sink: S): S => {
    open.push(sink);
    return sink;
  };
  return {
    start: async (answer: (request: http.IncomingMessage) => SinkAnswer, path?: string) =>
      keep(await startSink(answer, path)),
    recording: async (status?: number) => keep(await recordingSink(status)),
  };
}
