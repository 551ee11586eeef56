// Proof that the playground runs the real kube-controller-manager and kube-scheduler (issue 9), checked with
// kubectl: a deleted namespace is gone within a minute (namespace controller + garbage collector), a Deployment
// gets its ReplicaSet, deleting it takes the ReplicaSet along (garbage collector), a service-account token Secret
// is filled in, a selector-less Service's Endpoints are mirrored to an EndpointSlice, and an unschedulable Pod is
// marked so by the scheduler.
import { describe, expect, inject, it } from 'vitest';
import { eventually, kubectl } from './support/kubectl';
import { createUniqueNamespace, uniqueName } from './support/unique';

const playground = inject('playground');

describe('kube-controller-manager and kube-scheduler', () => {
  it('deletes a namespace with a Knative Service and a Deployment in it within a minute', async () => {
    const namespace = await createUniqueNamespace(playground, 'ns-gone');
    const name = uniqueName('svc');
    const applied = await kubectl(playground, ['apply', '-n', namespace.name, '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'serving.knative.dev/v1',
            kind: 'Service',
            metadata: { name },
            spec: {
              template: {
                spec: { containers: [{ image: 'knative-desk/playground-probe:0.1.0' }] },
              },
            },
          },
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'web' },
            spec: {
              replicas: 1,
              selector: { matchLabels: { app: 'web' } },
              template: {
                metadata: { labels: { app: 'web' } },
                spec: { containers: [{ name: 'web', image: 'nowhere.invalid/web:1' }] },
              },
            },
          },
        ],
      }),
    });
    expect(applied.code).toBe(0);

    const deleted = await kubectl(playground, ['delete', 'namespace', namespace.name, '--wait=false']);
    expect(deleted.code).toBe(0);
    await eventually(
      `namespace ${namespace.name} to be gone`,
      async () => {
        const got = await kubectl(playground, ['get', 'namespace', namespace.name]);
        return got.code !== 0 && /NotFound/.test(got.stderr);
      },
      60_000,
      1_000,
    );
  }, 90_000);

  it('gives a Deployment its ReplicaSet and Pods, and garbage-collects them with it', async () => {
    const namespace = await createUniqueNamespace(playground, 'deploy');
    try {
      const created = await kubectl(playground, [
        'create',
        'deployment',
        'web',
        '-n',
        namespace.name,
        '--image=nowhere.invalid/web:1',
        '--replicas=2',
      ]);
      expect(created.code).toBe(0);
      await eventually(
        'a ReplicaSet owned by the Deployment with 2 Pods',
        async () => {
          const got = await kubectl(playground, [
            'get',
            'rs,pods',
            '-n',
            namespace.name,
            '-l',
            'app=web',
            '-o',
            'json',
          ]);
          const items = (
            JSON.parse(got.stdout || '{"items":[]}') as {
              items: { kind: string; metadata: { ownerReferences?: { kind: string }[] } }[];
            }
          ).items;
          const sets = items.filter((item) => item.kind === 'ReplicaSet');
          const pods = items.filter((item) => item.kind === 'Pod');
          return (
            sets.length === 1 &&
            sets[0]!.metadata.ownerReferences?.[0]?.kind === 'Deployment' &&
            pods.length === 2 &&
            pods.every((pod) => pod.metadata.ownerReferences?.[0]?.kind === 'ReplicaSet')
          );
        },
        30_000,
      );

      expect((await kubectl(playground, ['delete', 'deployment', 'web', '-n', namespace.name])).code).toBe(0);
      await eventually(
        'the ReplicaSet to be garbage-collected',
        async () => {
          const got = await kubectl(playground, ['get', 'rs', '-n', namespace.name, '-o', 'name']);
          return got.code === 0 && got.stdout.trim() === '';
        },
        30_000,
      );
    } finally {
      await namespace.remove();
    }
  });

  it('marks a Pod no node can take as Unschedulable (the scheduler runs)', async () => {
    const namespace = await createUniqueNamespace(playground, 'sched');
    try {
      const created = await kubectl(playground, ['apply', '-n', namespace.name, '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'picky' },
          spec: {
            nodeSelector: { 'knative-desk.dev/no-such-node': 'true' },
            containers: [{ name: 'c', image: 'nowhere.invalid/c:1' }],
          },
        }),
      });
      expect(created.code).toBe(0);
      await eventually(
        'PodScheduled=False reason Unschedulable',
        async () => {
          const got = await kubectl(playground, [
            'get',
            'pod',
            'picky',
            '-n',
            namespace.name,
            '-o',
            'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}',
          ]);
          return got.stdout === 'Unschedulable';
        },
        30_000,
      );
    } finally {
      await namespace.remove();
    }
  });

  it('fills in a service-account token Secret and mirrors hand-made Endpoints to an EndpointSlice', async () => {
    const namespace = await createUniqueNamespace(playground, 'sa');
    try {
      const applied = await kubectl(playground, ['apply', '-n', namespace.name, '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } },
            {
              apiVersion: 'v1',
              kind: 'Secret',
              type: 'kubernetes.io/service-account-token',
              metadata: {
                name: 'robot-token',
                annotations: { 'kubernetes.io/service-account.name': 'robot' },
              },
            },
            {
              apiVersion: 'v1',
              kind: 'Service',
              metadata: { name: 'outside' },
              spec: { ports: [{ name: 'http', port: 80 }] },
            },
            {
              apiVersion: 'v1',
              kind: 'Endpoints',
              metadata: { name: 'outside' },
              subsets: [{ addresses: [{ ip: '10.213.255.254' }], ports: [{ name: 'http', port: 8080 }] }],
            },
          ],
        }),
      });
      expect(applied.code).toBe(0);
      await eventually(
        'the token Secret to hold a token',
        async () => {
          const got = await kubectl(playground, [
            'get',
            'secret',
            'robot-token',
            '-n',
            namespace.name,
            '-o',
            'jsonpath={.data.token}',
          ]);
          return got.stdout.length > 100;
        },
        30_000,
      );
      await eventually(
        'an EndpointSlice mirrored from the Endpoints',
        async () => {
          const got = await kubectl(playground, [
            'get',
            'endpointslices',
            '-n',
            namespace.name,
            '-l',
            'kubernetes.io/service-name=outside',
            '-o',
            'jsonpath={.items[*].endpoints[*].addresses[*]}',
          ]);
          return got.stdout === '10.213.255.254';
        },
        30_000,
      );
    } finally {
      await namespace.remove();
    }
  });
});
