// A synthetic engine for the UI benchmarks (bench/ui-*.bench.ts) and for looking at screens without a cluster.
// It is NOT a test double of the engine: the e2e tests run against the real engine in web mode. It produces
// contract-shaped data at a chosen load — N Services × 600 points of pod history plus one point per second,
// Kafka lag, and barrage comments at a chosen rate — so frame rates measure the UI alone.
import type { EventOf, OperationName, ResponseOf, StreamName } from '../../../electron/common/contract';
import type { EngineClient, StreamHandlers } from '../engine/engine-client';
import { toEngineError } from '../engine/engine-client';

export interface SyntheticOptions {
  /** Knative Services reporting pods. */
  services: number;
  /** History points sent first per series. */
  historyPoints: number;
  /** Barrage comments per second on barrage:view. */
  commentsPerSecond: number;
}

const namespace = 'demo';
const context = 'playground-admin';
const created = new Date(Date.now() - 42 * 60_000).toISOString();

function podsAt(service: number, t: number) {
  // A slow wave per service, so charts show scaling up and down.
  const phase = (t / 1000 / 60) * Math.PI * 2 + service;
  const ready = Math.max(0, Math.round(4 + 4 * Math.sin(phase)));
  return {
    at: t,
    ready,
    pending: Math.max(0, Math.round(2 * Math.sin(phase + 0.6))),
    terminating: Math.max(0, Math.round(2 * Math.sin(phase - 0.6))),
    desired: Math.max(0, Math.round(4 + 4 * Math.sin(phase + 0.3))),
    actual: ready,
  };
}

function lagSample(t: number, previous: number) {
  const total = Math.max(0, Math.round(400 + 380 * Math.sin(t / 1000 / 45)));
  return {
    at: t,
    totalLag: String(total),
    produceRate: 120 + 60 * Math.sin(t / 1000 / 20),
    consumeRate: 120 + 60 * Math.sin(t / 1000 / 20) - (total - previous),
  };
}

const rows = [
  {
    name: 'barrage-processing',
    kind: 'ECI' as const,
    url: `http://barrage-processing.${namespace}.svc.cluster.local`,
  },
  { name: 'barrage-homepage', kind: 'FC' as const, url: 'http://barrage.demo.knative.top' },
].map((row, index) => ({
  uid: `uid-${index}`,
  namespace,
  ready: 'True' as const,
  reason: null,
  message: null,
  latestCreatedRevision: `${row.name}-00001`,
  latestReadyRevision: `${row.name}-00001`,
  traffic: [{ revisionName: `${row.name}-00001`, latestRevision: true, percent: 100, tag: null, url: null }],
  createdAt: created,
  generation: 1,
  observedGeneration: 1,
  ...row,
}));

export function createSyntheticEngine(options: SyntheticOptions): EngineClient {
  const services = Array.from({ length: options.services }, (_, i) =>
    i === 0 ? 'barrage-processing' : `service-${String(i).padStart(2, '0')}`,
  );
  const responses: Partial<{ [K in OperationName]: () => ResponseOf<K> }> = {
    'clusters:list': () => ({
      sources: [{ kind: 'playground', path: '/tmp/playground/kubeconfig', error: null }],
      contexts: [
        {
          name: context,
          cluster: 'playground',
          user: 'admin',
          server: 'https://127.0.0.1:6443',
          namespace,
          source: '/tmp/playground/kubeconfig',
          sourceKind: 'playground',
          credentialCommand: null,
          credentialCommandConfirmed: true,
        },
      ],
      suggested: context,
    }),
    'clusters:check': () => ({
      context,
      namespace,
      reachable: true,
      serverVersion: 'v1.34.1',
      access: 'read-write',
      summary: 'Read-write: you may create Knative Services in demo.',
      checks: [],
      error: null,
    }),
    'clusters:namespaces': () => ({ namespaces: [{ name: namespace, phase: 'Active', createdAt: created }] }),
    'playground:status': () => ({ state: 'up', info: null, message: null }),
    'fc:profiles': () => ({ profiles: [] }),
    'kafka:profiles': () => ({
      profiles: [
        {
          id: 'playground',
          name: 'playground',
          brokers: ['127.0.0.1:9092'],
          ssl: false,
          sasl: null,
          hasPassword: false,
          origin: 'playground',
        },
      ],
    }),
    'workloads:list': () => ({ rows }),
    'workloads:kafkaSources': () => ({
      sources: [
        {
          name: 'barrage-source',
          namespace,
          topics: ['barrage-info'],
          bootstrapServers: ['127.0.0.1:9092'],
          consumerGroup: 'barrage-group',
          initialOffset: 'latest',
          sink: 'Service/barrage-processing',
          ready: 'True',
          reason: null,
          message: null,
        },
      ],
    }),
    'deploy:templates': () => ({ templates: [] }),
  };

  function tick<E>(handlers: StreamHandlers<E>, everyMs: number, make: (t: number) => E | null): () => void {
    const timer = setInterval(() => {
      const event = make(Date.now());
      if (event) handlers.onEvent(event);
    }, everyMs);
    return () => clearInterval(timer);
  }

  return {
    async call(name, _request) {
      const respond = responses[name] as (() => unknown) | undefined;
      if (!respond)
        throw toEngineError({ code: 'unknown-operation', message: `The synthetic engine has no ${name}.` });
      return respond() as never;
    },
    subscribe(name: StreamName, _params, handlers) {
      const now = Date.now();
      if (name === 'live:pods') {
        const first: EventOf<'live:pods'> = {
          series: services.map((service, s) => ({
            namespace,
            service,
            workload: 'pods',
            points: Array.from({ length: options.historyPoints }, (_, i) =>
              podsAt(s, now - (options.historyPoints - i) * 1000),
            ),
          })),
        };
        queueMicrotask(() => handlers.onEvent(first as never));
        return tick(handlers as StreamHandlers<EventOf<'live:pods'>>, 1000, (t) => ({
          series: services.map((service, s) => ({
            namespace,
            service,
            workload: 'pods' as const,
            points: [podsAt(s, t)],
          })),
        }));
      }
      if (name === 'kafka:watchLag') {
        let previous = 0;
        const samples = Array.from({ length: options.historyPoints }, (_, i) => {
          const sample = lagSample(now - (options.historyPoints - i) * 1000, previous);
          previous = Number(sample.totalLag);
          return sample;
        });
        const lagEvent = (batch: ReturnType<typeof lagSample>[]): EventOf<'kafka:watchLag'> => {
          const last = batch.at(-1) as ReturnType<typeof lagSample>;
          const total = Number(last.totalLag);
          return {
            samples: batch,
            latest: {
              at: last.at,
              groupId: 'barrage-group',
              topic: 'barrage-info',
              partitions: [0, 1, 2].map((partition) => ({
                partition,
                committed: String(10_000 + partition),
                low: '0',
                high: String(10_000 + partition + Math.floor(total / 3)),
                lag: String(Math.floor(total / 3)),
              })),
              totalLag: String(Math.floor(total / 3) * 3),
            },
            trend: 'steady',
            catchUpSeconds: null,
          };
        };
        queueMicrotask(() => handlers.onEvent(lagEvent(samples) as never));
        return tick(handlers as StreamHandlers<EventOf<'kafka:watchLag'>>, 1000, (t) => {
          const sample = lagSample(t, previous);
          previous = Number(sample.totalLag);
          return lagEvent([sample]);
        });
      }
      if (name === 'barrage:view') {
        let sequence = 0;
        queueMicrotask(() =>
          handlers.onEvent({ type: 'status', state: 'open', attempt: 0, error: null } as never),
        );
        // Ten batches a second, like an SSE stream read by the engine and pushed in batches.
        return tick(handlers as StreamHandlers<EventOf<'barrage:view'>>, 100, (t) => ({
          type: 'messages' as const,
          dropped: 0,
          messages: Array.from({ length: Math.round(options.commentsPerSecond / 10) }, () => {
            sequence += 1;
            return { id: String(sequence), text: `弹幕 ${sequence}`, data: null, receivedAt: t };
          }),
        }));
      }
      if (name === 'workloads:watch') {
        queueMicrotask(() => {
          handlers.onEvent({ type: 'status', state: 'live', attempt: 0, error: null } as never);
          handlers.onEvent({ type: 'snapshot', rows } as never);
        });
        return () => {};
      }
      queueMicrotask(() =>
        handlers.onError?.(
          toEngineError({ code: 'unknown-operation', message: `The synthetic engine has no ${name}.` }),
        ),
      );
      return () => {};
    },
  };
}
