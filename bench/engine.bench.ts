// Console engine figures, each printed as `name: value unit (reference, ratio)` with the reference measured in the
// same run:
// - engine heap idle (reference: the same process before the engine is created) and while watching 200 pods
//   (reference: idle engine);
// - cost of one Kafka lag sample over a 100-partition topic (reference: a sample over a 1-partition topic);
// - events per second the WebSocket transport carries to a client (reference: raw ws messages of the same size);
// - one kube API call (list pods) by the kube client, whose connections patches/@kubernetes+client-node+2.0.1.patch
//   keeps alive (reference: the same GET on a new TCP + TLS connection each time, as the client did unpatched).
// Needs the playground (`npm run -s playground -- up`). Loopback only; every loop is bounded in count and time.
import { playgroundEnginePort } from '../playground/engine-port';
import { mkdtempSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { logLevel } from 'kafkajs';
import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { readPlaygroundInfo } from '../playground/info';
import type { PlaygroundInfo } from '../playground/info';
import { createEngine } from '../electron/backend/engine';
import type { Handlers } from '../electron/backend/rpc/handlers';
import { EngineSession } from '../electron/backend/rpc/session';
import { startWebServer } from '../electron/web/web-server';
import { createEngineClient } from '../renderer/src/engine/engine-client';
import { WebSocketTransport } from '../renderer/src/engine/websocket-transport';
import type { WebSocketLike } from '../renderer/src/engine/websocket-transport';
import { contractApi } from '../test/support/contract-api';
import type { LiveSeriesEvent } from '../electron/common/schemas/live';
import { connectedKafkaClients, kafkaFor, kubeConfigFor, uniqueName } from '../test/support/unique';
import { reportFigure } from './report-figure';
import { sessionCalls } from './session-calls';

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function settledHeap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(100);
  }
  return process.memoryUsage().heapUsed / MB;
}

function engineFor(playground: PlaygroundInfo) {
  const temp = mkdtempSync(join(tmpdir(), 'knd-bench-'));
  return createEngine({
    mode: 'web',
    configDir: temp,
    playground: playgroundEnginePort(playground.dir),
    env: { KUBECONFIG: join(temp, 'none') },
  });
}

async function memoryBench(playground: PlaygroundInfo): Promise<void> {
  const before = await settledHeap();
  const engine = engineFor(playground);
  const session = new EngineSession(engine.handlers, () => {}, { flushIntervalMs: 200 });
  // Idle = engine created and asked once for its contexts (what the app does at start).
  session.receive({ t: 'call', id: 1, name: 'clusters:list', payload: {} });
  await sleep(500);
  const idle = await settledHeap();
  reportFigure('engine heap idle', idle, 'MB', 'same process before the engine was created', before);

  const core = kubeConfigFor(playground, 'admin').makeApiClient(CoreV1Api);
  const namespace = uniqueName('bench-pods');
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  try {
    const service = 'bench-svc';
    for (let batch = 0; batch < 200; batch += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          core.createNamespacedPod({
            namespace,
            body: {
              metadata: { name: `p-${batch + i}`, labels: { 'serving.knative.dev/service': service } },
              spec: { containers: [{ name: 'c', image: 'example.invalid/none:1' }] },
            },
          }),
        ),
      );
    }
    let pendingSeen = 0;
    const watching = new EngineSession(
      engine.handlers,
      (message) => {
        if (message.t !== 'events') return;
        for (const event of message.events as LiveSeriesEvent[]) {
          const point = event.series?.[0]?.points.at(-1);
          if (point) pendingSeen = point.pending;
        }
      },
      { flushIntervalMs: 200 },
    );
    watching.receive({
      t: 'subscribe',
      id: 2,
      name: 'live:pods',
      params: { context: playground.contexts.admin, namespace, sampleMs: 500 },
    });
    watching.receive({
      t: 'subscribe',
      id: 3,
      name: 'workloads:watch',
      params: { context: playground.contexts.admin, namespace },
    });
    for (let i = 0; i < 100 && pendingSeen < 200; i++) await sleep(200);
    if (pendingSeen < 200) throw new Error(`the series saw only ${pendingSeen} of 200 pods`);
    await sleep(2000); // a few samples into the ring buffers
    const watchingHeap = await settledHeap();
    reportFigure('engine heap watching 200 pods', watchingHeap, 'MB', 'idle engine', idle);
    watching.close();
  } finally {
    session.close();
    await core.deleteNamespace({ name: namespace }).catch(() => {});
    await engine.dispose();
  }
}

async function lagBench(playground: PlaygroundInfo): Promise<void> {
  const { admin, producer } = await connectedKafkaClients(kafkaFor(playground, 'bench', logLevel.NOTHING));
  const wide = uniqueName('bench-lag-100');
  const narrow = uniqueName('bench-lag-1');
  const groupId = uniqueName('bench-group');
  const engine = engineFor(playground);
  const session = sessionCalls(engine);
  const lag = (topic: string) => session.call('kafka:lag', { profileId: 'playground-kafka', groupId, topic });
  try {
    await admin.createTopics({
      topics: [
        { topic: wide, numPartitions: 100 },
        { topic: narrow, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    await producer.send({
      topic: wide,
      messages: Array.from({ length: 500 }, (_, i) => ({ partition: i % 100, value: 'x' })),
    });
    await producer.send({ topic: narrow, messages: Array.from({ length: 5 }, () => ({ value: 'x' })) });
    const time = async (topic: string, rounds: number) => {
      await lag(topic); // warm: connection and metadata
      const start = performance.now();
      for (let i = 0; i < rounds; i++) await lag(topic);
      return (performance.now() - start) / rounds;
    };
    const one = await time(narrow, 30);
    const hundred = await time(wide, 30);
    reportFigure('lag sample, 100 partitions', hundred, 'ms', '1 partition', one);
  } finally {
    session.close();
    await engine.dispose();
    await admin.deleteTopics({ topics: [wide, narrow] }).catch(() => {});
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }
}

const SAMPLE_EVENT: LiveSeriesEvent = {
  series: [
    {
      namespace: 'bench',
      service: 'svc',
      workload: 'pods',
      points: [{ at: 1, ready: 3, pending: 1, terminating: 0, desired: 4, actual: 3 }],
    },
  ],
};

async function transportBench(): Promise<void> {
  const DURATION_MS = 2000;
  // Reference: raw ws messages of one event's size, sent as fast as the socket takes them (bounded by time).
  const text = JSON.stringify({ t: 'events', id: 1, events: [SAMPLE_EVENT] });
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  let rawReceived = 0;
  wss.on('connection', (socket) => {
    const end = Date.now() + DURATION_MS;
    const pump = () => {
      while (socket.bufferedAmount < 1 * MB && Date.now() < end) socket.send(text);
      if (Date.now() < end) setImmediate(pump);
      else socket.close();
    };
    pump();
  });
  const raw = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const rawStart = performance.now();
  raw.on('message', () => rawReceived++);
  await new Promise((resolve) => raw.once('close', resolve));
  const rawRate = rawReceived / ((performance.now() - rawStart) / 1000);
  wss.close();

  // Through the contract: a stream handler that emits as fast as the transport drains (it yields when congested),
  // validated, batched by the session, sent over web mode's WebSocket, decoded by the typed client.
  const base = createEngine({
    mode: 'web',
    configDir: mkdtempSync(join(tmpdir(), 'knd-bench-')),
    env: {},
  }).handlers;
  const handlers: Handlers = {
    ...base,
    'live:pods': (_params, sink) => {
      const end = Date.now() + DURATION_MS;
      const pump = () => {
        if (sink.signal.aborted) return;
        for (let i = 0; i < 500 && !sink.congested(); i++) sink.emit(SAMPLE_EVENT);
        if (Date.now() < end) setTimeout(pump, 0);
        else setTimeout(() => sink.end(), 50);
      };
      pump();
    },
  };
  const server = await startWebServer({ handlers, root: tmpdir(), session: { flushIntervalMs: 50 } });
  const api = contractApi(
    createEngineClient(
      new WebSocketTransport({
        url: server.rpcUrl,
        createSocket: (url) => new WebSocket(url, { origin: server.origin }) as unknown as WebSocketLike,
      }),
    ),
  );
  let received = 0;
  const start = performance.now();
  const run = api.live.pods({ context: 'bench', namespace: 'bench' }, () => received++);
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (performance.now() - start > DURATION_MS + 5000) resolve();
    }, 100);
    run.done.then(resolve, resolve).finally(() => clearInterval(check));
  });
  const rate = received / ((performance.now() - start) / 1000);
  reportFigure(
    'transport events/s (contract over WebSocket, validated, batched)',
    rate,
    'events/s',
    'raw ws messages/s',
    rawRate,
  );
  await server.close();
}

/** The same GET on a new TCP + TLS connection (`agent: false`), with the client's own TLS options and token. */
async function getOnNewConnection(kc: ReturnType<typeof kubeConfigFor>, path: string): Promise<void> {
  const options: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  const url = new URL(path, kc.getCurrentCluster()!.server);
  await new Promise<void>((done, fail) => {
    const request = https.get(url, { ...options, agent: false }, (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 200 ? done() : fail(new Error(`GET ${path}: ${response.statusCode}`)),
      );
    });
    request.on('error', fail);
  });
}

/** Median ms of spaced kube API calls (list pods), kept-alive vs a new connection each, interleaved. */
async function apiCallBench(playground: PlaygroundInfo): Promise<void> {
  const kc = kubeConfigFor(playground, 'admin');
  const core = kc.makeApiClient(CoreV1Api);
  const namespace = 'knative-serving';
  const timed = async (call: () => Promise<unknown>) => {
    const began = performance.now();
    await call();
    return performance.now() - began;
  };
  const kept: number[] = [];
  const fresh: number[] = [];
  for (let i = 0; i < 50; i++) {
    const a = await timed(() => core.listNamespacedPod({ namespace }));
    await sleep(20);
    const b = await timed(() => getOnNewConnection(kc, `/api/v1/namespaces/${namespace}/pods`));
    await sleep(20);
    if (i < 5) continue; // warm-up
    kept.push(a);
    fresh.push(b);
  }
  const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  reportFigure(
    'kube API call (list pods), kept-alive connection',
    median(kept),
    'ms',
    'new TCP + TLS connection per call',
    median(fresh),
  );
}

async function main(): Promise<void> {
  const playground = readPlaygroundInfo();
  await transportBench();
  if (!playground) {
    console.log('engine memory / lag benches skipped: no playground (npm run -s playground -- up)');
    return;
  }
  await apiCallBench(playground);
  await lagBench(playground);
  await memoryBench(playground);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`engine bench failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
