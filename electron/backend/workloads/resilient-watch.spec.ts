// The watch recovery rules against a contract double of the apiserver's list/watch protocol (a real HTTP server
// speaking what kube-apiserver speaks: discovery, List with resourceVersion, chunked watch events, an ERROR event
// with a 410 Status). 410 Gone and dropped connections cannot be produced on demand with the real apiserver;
// test/engine-watch-restart.int.test.ts covers a real restart.
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object';
import { ResilientWatch } from './resilient-watch';
import { resources } from '../../../knative/resources';

const svc = (name: string, rv: string): KubeObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name, namespace: 'ns', resourceVersion: rv, uid: name },
});

/** Scripted apiserver: each list and watch request takes the next step of its script. */
const lists: { rv: string; items: KubeObject[] }[] = [];
const watches: ((response: ServerResponse) => void)[] = [];
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
    if (!step) {
      response.writeHead(500).end();
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
  response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  if (step) step(response);
});

const line = (response: ServerResponse, type: string, object: unknown) =>
  response.write(`${JSON.stringify({ type, object })}\n`);

let config: KubeConfig;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      {
        name: 'double',
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        skipTLSVerify: true,
      },
    ],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'double', cluster: 'double', user: 'u' }],
    currentContext: 'double',
  });
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

describe('ResilientWatch', () => {
  it('re-lists after 410 Gone and resumes from the last resourceVersion after a dropped connection', async () => {
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
    watches.push((response) => {
      line(response, 'DELETED', svc('a', '22'));
    });

    const log: string[] = [];
    const watch = new ResilientWatch({
      config,
      type: resources.service,
      namespace: 'ns',
      minBackoffMs: 10,
      maxBackoffMs: 50,
      listener: {
        snapshot: (objects) => log.push(`snapshot ${objects.map((o) => o.metadata?.name).join(',')}`),
        upsert: (object) => log.push(`upsert ${object.metadata?.name}@${object.metadata?.resourceVersion}`),
        remove: (object) => log.push(`delete ${object.metadata?.name}`),
        status: (state) => log.push(state),
      },
    }).start();
    try {
      await until(() => log.includes('delete a'), 'the delete after the reconnect');
    } finally {
      watch.stop();
    }
    expect(log.filter((entry) => !['live', 'reconnecting'].includes(entry))).toEqual([
      'snapshot a',
      'upsert b@11',
      'snapshot a,b,c',
      'upsert c@21',
      'delete a',
    ]);
    expect(log).toContain('reconnecting');
    // list@none, watch@10, (410) list@none, watch@20, (drop) watch@21 — no third list.
    expect(seen).toEqual([
      { kind: 'list', resourceVersion: null },
      { kind: 'watch', resourceVersion: '10' },
      { kind: 'list', resourceVersion: null },
      { kind: 'watch', resourceVersion: '20' },
      { kind: 'watch', resourceVersion: '21' },
    ]);
    expect(
      watch
        .objects()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['b', 'c']);
  });
});
