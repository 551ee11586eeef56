// Proof that the playground runs the real kube-controller-manager and kube-scheduler (issue 9), checked with
// kubectl: a deleted namespace is gone (namespace controller + garbage collector; Pods first, as Kubernetes 1.34 orders it), a Deployment
// gets its ReplicaSet, deleting it takes the ReplicaSet along (garbage collector), a service-account token Secret
// is filled in, a selector-less Service's Endpoints are mirrored to an EndpointSlice, and an unschedulable Pod is
// marked so by the scheduler.
import { describe, expect, inject, it } from 'vitest';
import { eventually, kubectl, namespaceGone } from './support/kubectl';
import { createUniqueNamespace, uniqueName } from './support/unique';

const playground = inject('playground');

/** Runs `check` in a namespace of its own, removed afterwards whatever happens. */
async function inFreshNamespace(
  prefix: string,
  check: (namespace: { name: string }) => Promise<void>,
): Promise<void> {
  const namespace = await createUniqueNamespace(playground, prefix);
  try {
    await check(namespace);
  } finally {
    await namespace.remove();
  }
}

/** `kubectl apply` of `object` into the namespace, which must succeed. */
async function applyIn(namespace: string, object: unknown): Promise<void> {
  const applied = await kubectl(playground, ['apply', '-n', namespace, '-f', '-'], {
    input: JSON.stringify(object),
  });
  expect(applied.code, applied.stderr).toBe(0);
}

/** Waits (30 s at most) until `kubectl get <what> -n <namespace> -o jsonpath=<path>` prints what `accept` takes. */
const untilPrinted = (
  description: string,
  namespace: string,
  what: readonly string[],
  path: string,
  accept: (printed: string) => boolean,
) =>
  eventually(
    description,
    async () =>
      accept((await kubectl(playground, ['get', ...what, '-n', namespace, '-o', `jsonpath=${path}`])).stdout),
    30_000,
  );

describe('kube-controller-manager and kube-scheduler', () => {
  it('deletes a namespace with a Knative Service and a Deployment in it', async () => {
    const namespace = await createUniqueNamespace(playground, 'ns-gone');
    const name = uniqueName('svc');
    await applyIn(namespace.name, {
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
    });

    // Gone, and (bench/upstream-serving.bench.ts measures it) within a minute as issue 9 asks, though Kubernetes 1.34 deletes a namespace's Pods first and the rest after
    // they are gone (ordered namespace deletion, KEP-5080), and a Knative pod drains for 30 s (queue-proxy) with a
    // 300 s grace period: the playground's `--namespace-sync-period=10s` looks again every 10 s instead of after
    // half the grace period.
    const deletedAt = Date.now();
    const deleted = await kubectl(playground, ['delete', 'namespace', namespace.name, '--wait=false']);
    expect(deleted.code).toBe(0);
    await eventually(
      `namespace ${namespace.name} to be gone`,
      () => namespaceGone(playground, namespace.name),
      90_000,
      1_000,
    );
    const goneAfterMs = Date.now() - deletedAt;
    console.info(`namespace ${namespace.name} gone ${(goneAfterMs / 1000).toFixed(1)} s after its deletion`);
  }, 150_000);

  it('gives a Deployment its ReplicaSet and Pods, and garbage-collects them with it', () =>
    inFreshNamespace('deploy', async (namespace) => {
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
    }));

  it('marks a Pod no node can take as Unschedulable (the scheduler runs)', () =>
    inFreshNamespace('sched', async (namespace) => {
      await applyIn(namespace.name, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'picky' },
        spec: {
          nodeSelector: { 'knative-desk.dev/no-such-node': 'true' },
          containers: [{ name: 'c', image: 'nowhere.invalid/c:1' }],
        },
      });
      await untilPrinted(
        'PodScheduled=False reason Unschedulable',
        namespace.name,
        ['pod', 'picky'],
        '{.status.conditions[?(@.type=="PodScheduled")].reason}',
        (reason) => reason === 'Unschedulable',
      );
    }));

  it('fills in a service-account token Secret and mirrors hand-made Endpoints to an EndpointSlice', () =>
    inFreshNamespace('sa', async (namespace) => {
      await applyIn(namespace.name, {
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
      });
      await untilPrinted(
        'the token Secret to hold a token',
        namespace.name,
        ['secret', 'robot-token'],
        '{.data.token}',
        (token) => token.length > 100,
      );
      await untilPrinted(
        'an EndpointSlice mirrored from the Endpoints',
        namespace.name,
        ['endpointslices', '-l', 'kubernetes.io/service-name=outside'],
        '{.items[*].endpoints[*].addresses[*]}',
        (addresses) => addresses === '10.213.255.254',
      );
    }));
});
