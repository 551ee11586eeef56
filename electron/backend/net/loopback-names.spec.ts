// `*.localhost` names reach loopback from the engine as they do from the browser, with the name kept in the Host
// header so a name-routing ingress (the playground's, Knative's) still picks the right Service. Real local servers;
// the system resolver on this machine does not resolve these names, which is why the engine must.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSender } from '../barrage/sender';
import { BarrageViewer } from '../barrage/viewer';
import { isLoopbackName, loopbackAwareAgent, loopbackAwareLookup, loopbackTarget } from './loopback-names';

const hostsSeen: string[] = [];
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    hostsSeen.push(request.headers.host ?? '');
    request.resume();
    request.on('end', () => {
      if (request.url === '/api/barrage/stream') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end('id: 1\nevent: barrage\ndata: {"id":"01","text":"hi"}\n\n');
        return;
      }
      response.writeHead(request.method === 'POST' ? 202 : 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('loopback names', () => {
  it('knows localhost and the names under it, and nothing else', () => {
    expect(isLoopbackName('localhost')).toBe(true);
    expect(isLoopbackName('hello.demo.localhost')).toBe(true);
    expect(isLoopbackName('Hello.Demo.LOCALHOST.')).toBe(true);
    expect(isLoopbackName('localhost.example.com')).toBe(false);
    expect(isLoopbackName('notlocalhost')).toBe(false);
    expect(isLoopbackName('127.0.0.1')).toBe(false);
  });

  it('resolves *.localhost to 127.0.0.1 and leaves other names to the system', async () => {
    const lookup = (name: string, all: boolean) =>
      new Promise<unknown>((resolve, reject) =>
        loopbackAwareLookup(name, { all }, (error, address, family) =>
          error ? reject(error) : resolve(all ? address : { address, family }),
        ),
      );
    expect(await lookup('hello.demo.localhost', false)).toEqual({ address: '127.0.0.1', family: 4 });
    expect(await lookup('hello.demo.localhost', true)).toEqual([{ address: '127.0.0.1', family: 4 }]);
    // An IP literal goes through the system resolver untouched.
    expect(await lookup('127.0.0.2', false)).toEqual({ address: '127.0.0.2', family: 4 });
  });

  it('rewrites a *.localhost URL to 127.0.0.1 and keeps the name for the Host header', () => {
    expect(loopbackTarget('http://hello.demo.localhost:8080/api/barrage?x=1')).toEqual({
      url: 'http://127.0.0.1:8080/api/barrage?x=1',
      hostHeader: 'hello.demo.localhost:8080',
    });
    expect(loopbackTarget('http://example.com/a')).toEqual({ url: 'http://example.com/a' });
    expect(loopbackTarget('http://localhost:1/a')).toEqual({ url: 'http://localhost:1/a' });
  });

  it('fetch through the agent reaches a *.localhost URL with its name as Host', async () => {
    hostsSeen.length = 0;
    const response = await fetch(`http://hello.demo.localhost:${port}/x`, { dispatcher: loopbackAwareAgent });
    expect(response.status).toBe(200);
    expect(hostsSeen).toEqual([`hello.demo.localhost:${port}`]);
  });

  it('the sender loads a *.localhost HomePage URL with its name as Host', async () => {
    hostsSeen.length = 0;
    const run = startSender(
      {
        url: `http://hello.demo.localhost:${port}`,
        message: 'hi',
        concurrency: 2,
        durationSeconds: 10,
        maxRequests: 20,
      },
      () => {},
    );
    const done = await run.finished;
    expect(done.errors).toBe(0);
    expect(done.accepted).toBe(20);
    expect(new Set(hostsSeen)).toEqual(new Set([`hello.demo.localhost:${port}`]));
  });

  it('the viewer follows the stream of a *.localhost HomePage URL', async () => {
    const messages: unknown[] = [];
    const viewer = new BarrageViewer({
      url: `http://hello.demo.localhost:${port}`,
      bufferSize: 10,
      flushIntervalMs: 10,
      emit: (event) => {
        if (event.type === 'messages') messages.push(...event.messages);
      },
    });
    viewer.start();
    await expect.poll(() => messages.length).toBeGreaterThan(0);
    viewer.stop();
  });
});
