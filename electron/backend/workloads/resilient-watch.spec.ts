// The watch recovery rules against a contract double of the apiserver's list/watch protocol (a real HTTP server
// speaking what kube-apiserver speaks: discovery, List with resourceVersion, chunked watch events, an ERROR event
// with a 410 Status). 410 Gone and dropped connections cannot be produced on demand with the real apiserver;
// test/engine-watch-restart.int.test.ts covers a real restart.
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { serveForFile, useApiserverDouble } from '../../../test/support/local-server';
import type { KubeObject } from './kube-object';
import { ResilientWatch } from './resilient-watch';
import { resources } from '../../../knative/resources';

const svc = (name: string, rv: string): KubeObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name, namespace: 'ns', resourceVersion: rv, uid: name },
});

/** Scripted apiserver: each list and watch request takes the next step of its script. */
const lists: ({ rv: string; items: KubeObject[] } | number)[] = [];
const watches: (((response: ServerResponse) => void) | number)[] = [];
const seen: { kind: 'list' | 'watch'; resourceVersion: string | null }[] = [];

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://x');
  if (url.pathname === '/apis/serving.knative.dev/v1') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: 'serving.knative.dev/v1',
        resources: [
          {
            name: 'services',
            singularName: 'service',
            namespaced: true,
            kind: 'Service',
            verbs: ['list', 'watch'],
          },
        ],
      }),
    );
    return;
  }
  if (url.pathname !== '/apis/serving.knative.dev/v1/namespaces/ns/services') {
    response.writeHead(404).end();
    return;
  }
  const isWatch = url.searchParams.get('watch') === 'true';
  seen.push({ kind: isWatch ? 'watch' : 'list', resourceVersion: url.searchParams.get('resourceVersion') });
  if (!isWatch) {
    const step = lists.shift();
    if (step === undefined || typeof step === 'number') {
      response
        .writeHead(step ?? 500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: step ?? 500 }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        kind: 'ServiceList',
        apiVersion: 'serving.knative.dev/v1',
        metadata: { resourceVersion: step.rv },
        items: step.items,
      }),
    );
    return;
  }
  const step = watches.shift();
  if (typeof step === 'number') {
    response.writeHead(step).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  if (step) step(response);
});

const line = (response: ServerResponse, type: string, object: unknown) =>
  response.write(`${JSON.stringify({ type, object })}\n`);

let config: KubeConfig;
const local = serveForFile(server);
beforeAll(() => {
  config = new KubeConfig();
  useApiserverDouble(config, 'double', local.origin);
});

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

type Entry = string;

/** Starts a watch that logs what its listener hears: snapshots, changes and status lines with their attempt. */
function logged(extra: Partial<ConstructorParameters<typeof ResilientWatch>[0]> = {}) {
  const log: Entry[] = [];
  const watch = new ResilientWatch({
    config,
    type: resources.service,
    namespace: 'ns',
    minBackoffMs: 10,
    maxBackoffMs: 50,
    healthyAfterMs: 60_000,
    listener: {
      snapshot: (objects) => log.push(`snapshot ${objects.map((o) => o.metadata?.name).join(',')}`),
      upsert: (object) => log.push(`upsert ${object.metadata?.name}@${object.metadata?.resourceVersion}`),
      remove: (object) => log.push(`delete ${object.metadata?.name}`),
      status: (state, attempt, error) =>
        log.push(
          state === 'live' ? 'live' : `reconnecting ${attempt} ${error?.details.httpStatus ?? error?.code}`,
        ),
    },
    ...extra,
  }).start();
  return { log, watch };
}

// Each test waits for every request its script expects before stopping, so no request of one test reaches the
// script of the next.
const reset = () => {
  lists.length = 0;
  watches.length = 0;
  seen.length = 0;
};

describe('ResilientWatch', () => {
  it('re-lists after a 410 ERROR event and after a dropped connection, saying live only after each list', async () => {
    reset();
    lists.push({ rv: '10', items: [svc('a', '10')] });
    watches.push((response) => {
      line(response, 'ADDED', svc('b', '11'));
      line(response, 'ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'Expired',
        code: 410,
      });
      response.end();
    });
    lists.push({ rv: '20', items: [svc('a', '10'), svc('b', '11'), svc('c', '20')] });
    watches.push((response) => {
      line(response, 'MODIFIED', svc('c', '21'));
      setTimeout(() => response.destroy(), 50); // the connection drops mid-watch
    });
    lists.push({ rv: '22', items: [svc('b', '11'), svc('c', '21')] });
    watches.push((response) => {
      line(response, 'DELETED', svc('b', '23'));
    });

    const { log, watch } = logged();
    try {
      await until(() => log.includes('delete b'), 'the delete after the reconnect');
    } finally {
      watch.stop();
    }
    expect(log).toEqual([
      'snapshot a',
      'live',
      'upsert b@11',
      'reconnecting 1 410',
      'snapshot a,b,c',
      'live',
      'upsert c@21',
      expect.stringMatching(/^reconnecting 2 /),
      'snapshot b,c',
      'live',
      'delete b',
    ]);
    expect(seen).toEqual([
      { kind: 'list', resourceVersion: null },
      { kind: 'watch', resourceVersion: '10' },
      { kind: 'list', resourceVersion: null },
      { kind: 'watch', resourceVersion: '20' },
      { kind: 'list', resourceVersion: null },
      { kind: 'watch', resourceVersion: '22' },
    ]);
    expect(
      watch
        .objects()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['c']);
  });

  it('stays "reconnecting" while the list fails, and is live only once a list succeeds', async () => {
    reset();
    lists.push(503, 503, { rv: '5', items: [svc('a', '5')] });
    watches.push(() => {});
    const { log, watch } = logged();
    try {
      await until(() => log.includes('live') && seen.length === 4, 'live and its watch');
    } finally {
      watch.stop();
    }
    expect(log).toEqual(['reconnecting 1 503', 'reconnecting 2 503', 'snapshot a', 'live']);
  });

  it('re-lists when the watch request itself answers 410, instead of retrying the stale resourceVersion', async () => {
    reset();
    lists.push({ rv: '7', items: [] }, { rv: '9', items: [svc('a', '9')] });
    watches.push(410, () => {});
    const { log, watch } = logged();
    try {
      await until(() => log.includes('snapshot a') && seen.length === 4, 'the second snapshot and its watch');
    } finally {
      watch.stop();
    }
    expect(log).toEqual(['snapshot ', 'live', 'reconnecting 1 410', 'snapshot a', 'live']);
    expect(seen.map((request) => `${request.kind}@${request.resourceVersion}`)).toEqual([
      'list@null',
      'watch@7',
      'list@null',
      'watch@9',
    ]);
  });

  it('backs off with a growing attempt count when a watch flaps (closed at once, or a non-410 ERROR)', async () => {
    reset();
    for (let i = 0; i < 4; i++) lists.push({ rv: String(i), items: [] });
    watches.push(
      (response) => response.end(), // closed without an error right after it opened
      (response) => {
        line(response, 'ERROR', { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500 });
        response.end();
      },
      (response) => response.end(),
      () => {},
    );
    const { log, watch } = logged();
    try {
      await until(() => seen.length === 8, 'the fourth watch');
    } finally {
      watch.stop();
    }
    // The attempt count did not start over on each successful connect: it only resets after a healthy period.
    expect(log.filter((entry) => entry.startsWith('reconnecting'))).toEqual([
      'reconnecting 1 unreachable',
      'reconnecting 2 500',
      'reconnecting 3 unreachable',
    ]);
  });

  it('computes capped exponential backoff with full jitter, never below the minimum', () => {
    const at = (random: number) =>
      new ResilientWatch({
        config,
        type: resources.service,
        listener: { snapshot() {}, upsert() {}, remove() {} },
        minBackoffMs: 100,
        maxBackoffMs: 1000,
        random: () => random,
      });
    expect([1, 2, 3, 4, 5, 9].map((attempt) => at(1).backoffMs(attempt))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(at(0.5).backoffMs(4)).toBe(400);
    expect(at(0).backoffMs(6)).toBe(100);
  });
});
