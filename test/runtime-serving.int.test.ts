// The playground runtime's Serving side against the real kube-apiserver: Service → Configuration → Revision → Route
// with Knative's status, Pods mirrored with Knative's labels, the per-pod concurrency limit seen from the replica's
// side, scale up under load and back to zero, activation from zero, a new revision per template change, env from
// a Secret and fieldRef, and a clear failure for an image the playground cannot run.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { PROBE_IMAGE } from '../playground/probe/probe-image';
import {
  boundedLoad,
  clients,
  conditionOf,
  createKnativeService,
  deleteAllOf,
  getKsvc,
  getObject,
  podsOf,
  replicas,
  request,
  waitFor,
} from './support/runtime-helpers';
import { resources } from '../knative/resources';
import { runtimeTestContext, namespaceForFile } from './support/file-fixtures';

const { playground, runtime, kc } = runtimeTestContext();
const namespace = namespaceForFile(playground, 'rt-serving');
const scratch = mkdtempSync(join(tmpdir(), 'runtime-serving-'));

afterAll(async () => {
  // Deleting the Services lets the runtime stop their replicas; the namespace goes after.
  await deleteAllOf(kc, resources.service, namespace.name);
  await waitFor(
    'replicas to stop',
    async () => (await replicas(runtime, namespace.name)).length === 0,
    60_000,
  ).catch(() => undefined);
});

const podNameEnv = { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } };

function probeService(
  name: string,
  annotations: Record<string, string>,
  env: Record<string, unknown>[] = [podNameEnv],
) {
  return {
    metadata: { name, namespace: namespace.name },
    spec: {
      template: {
        metadata: { annotations },
        spec: {
          containerConcurrency: 2,
          containers: [{ image: PROBE_IMAGE, ports: [{ containerPort: 8000, name: 'http1' }], env }],
        },
      },
    },
  };
}

describe('playground runtime: Serving', () => {
  it('reconciles a Service into Configuration, Revision, Route, PodAutoscaler and a labelled Pod, with Knative status', async () => {
    await createKnativeService(
      kc,
      namespace.name,
      probeService('hello', { 'autoscaling.knative.dev/minScale': '1' }),
    );
    const ksvc = await waitFor('ksvc hello Ready', async () => {
      const current = await getKsvc(kc, namespace.name, 'hello');
      return conditionOf(current, 'Ready')?.status === 'True' && current;
    });
    expect(ksvc.status).toMatchObject({
      latestCreatedRevisionName: 'hello-00001',
      latestReadyRevisionName: 'hello-00001',
      observedGeneration: 1,
      traffic: [{ revisionName: 'hello-00001', latestRevision: true, percent: 100 }],
    });
    expect(String(ksvc.status?.url)).toBe(
      `http://hello.${namespace.name}.localhost:${new URL(runtime.ingress).port}`,
    );
    expect(
      ['ConfigurationsReady', 'RoutesReady', 'Ready'].map((type) => conditionOf(ksvc, type)?.status),
    ).toEqual(['True', 'True', 'True']);

    const configuration = await getObject(kc, resources.configuration, namespace.name, 'hello');
    expect(configuration?.status).toMatchObject({
      latestCreatedRevisionName: 'hello-00001',
      latestReadyRevisionName: 'hello-00001',
    });
    const revision = await getObject(kc, resources.revision, namespace.name, 'hello-00001');
    expect(revision?.metadata.labels).toMatchObject({
      'serving.knative.dev/service': 'hello',
      'serving.knative.dev/configuration': 'hello',
      'serving.knative.dev/configurationGeneration': '1',
    });
    expect(conditionOf(revision, 'Ready')?.status).toBe('True');
    const route = await getObject(kc, resources.route, namespace.name, 'hello');
    expect(conditionOf(route, 'Ready')?.status).toBe('True');
    const pa = await waitFor('PodAutoscaler scales', async () => {
      const current = await getObject(kc, resources.podAutoscaler, namespace.name, 'hello-00001');
      return current?.status?.actualScale === 1 && current;
    });
    expect(pa.status?.desiredScale).toBe(1);

    const pods = await podsOf(kc, namespace.name, 'hello');
    expect(pods).toHaveLength(1);
    const pod = pods[0]!;
    expect(pod.metadata?.labels).toMatchObject({
      'serving.knative.dev/service': 'hello',
      'serving.knative.dev/revision': 'hello-00001',
      'serving.knative.dev/configuration': 'hello',
    });
    expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Revision',
      name: 'hello-00001',
      controller: true,
    });
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');

    // Reachable by Host header and by path; the runtime keeps the pod's log.
    const byHost = await request(`${runtime.ingress}/by-host`, {
      headers: { host: `hello.${namespace.name}.localhost` },
    });
    expect(byHost.status).toBe(200);
    expect(JSON.parse(byHost.body)).toMatchObject({ path: '/by-host', pod: pod.metadata?.name });
    const byPath = await request(`${runtime.ingress}/_/${namespace.name}/hello/by-path`);
    expect(JSON.parse(byPath.body)).toMatchObject({ path: '/by-path' });
    const podLog = await request(`${runtime.admin}/pods/${namespace.name}/${pod.metadata?.name}/log`);
    expect(podLog.status).toBe(200);
    expect(podLog.body).toContain('starting');
  });

  it('resolves env from value, secretKeyRef and fieldRef, and a template change makes revision 00002 take the traffic', async () => {
    await clients(kc).core.createNamespacedSecret({
      namespace: namespace.name,
      body: { metadata: { name: 'greeting' }, stringData: { text: 'from-a-secret' } },
    });
    const env = [
      { name: 'GREETING', valueFrom: { secretKeyRef: { name: 'greeting', key: 'text' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ];
    await createKnativeService(
      kc,
      namespace.name,
      probeService('envy', { 'autoscaling.knative.dev/minScale': '1' }, env),
    );
    await waitFor(
      'envy Ready',
      async () => conditionOf(await getKsvc(kc, namespace.name, 'envy'), 'Ready')?.status === 'True',
    );
    const stats = JSON.parse(
      (await request(`${runtime.ingress}/_/${namespace.name}/envy/_probe/stats`)).body,
    ) as Record<string, string>;
    expect(stats.greeting).toBe('from-a-secret');
    expect(stats.namespace).toBe(namespace.name);
    expect(stats.pod).toMatch(/^envy-00001-deployment-/);

    // New template → new revision, traffic moves to it once it is ready.
    // A merge patch of the template alone: a read-modify-write races the reconciler's status writes (409).
    const current = (await getKsvc(kc, namespace.name, 'envy'))!;
    const spec = current.spec as { template: { spec: { containers: { env: unknown[] }[] } } };
    spec.template.spec.containers[0]!.env = [{ name: 'GREETING', value: 'second' }, ...env.slice(1)];
    await clients(kc).custom.patchNamespacedCustomObject(
      {
        group: 'serving.knative.dev',
        version: 'v1',
        namespace: namespace.name,
        plural: 'services',
        name: 'envy',
        body: { spec: { template: { spec: { containers: spec.template.spec.containers } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const updated = await waitFor('envy-00002 ready and routed', async () => {
      const ksvc = await getKsvc(kc, namespace.name, 'envy');
      return ksvc?.status?.latestReadyRevisionName === 'envy-00002' && ksvc;
    });
    expect(updated.status?.traffic).toEqual([
      { configurationName: 'envy', latestRevision: true, percent: 100, revisionName: 'envy-00002' },
    ]);
    const after = await waitFor('traffic on the new revision', async () => {
      const body = JSON.parse(
        (await request(`${runtime.ingress}/_/${namespace.name}/envy/_probe/stats`)).body,
      ) as Record<string, string>;
      return body.greeting === 'second' && body;
    });
    expect(after.pod).toMatch(/^envy-00002-deployment-/);
  });

  it('leaves an unrunnable image not Ready with a clear reason', async () => {
    await createKnativeService(kc, namespace.name, {
      metadata: { name: 'elsewhere', namespace: namespace.name },
      spec: { template: { spec: { containers: [{ image: 'registry.example.com/some/thing:1.0' }] } } },
    });
    const ksvc = await waitFor('elsewhere to fail', async () => {
      const current = await getKsvc(kc, namespace.name, 'elsewhere');
      return conditionOf(current, 'Ready')?.status === 'False' && current;
    });
    expect(conditionOf(ksvc, 'Ready')?.reason).toBe('RevisionFailed');
    expect(conditionOf(ksvc, 'Ready')?.message).toMatch(/elsewhere-00001.*cannot run in the playground/);
    const revision = await getObject(kc, resources.revision, namespace.name, 'elsewhere-00001');
    expect(conditionOf(revision, 'Ready')).toMatchObject({ status: 'False', reason: 'ImageNotRunnable' });
    expect(await podsOf(kc, namespace.name, 'elsewhere')).toHaveLength(0);
  });

  it('queues past containerConcurrency, scales up under load, never lets a pod hold more than 2, then scales to zero and wakes again', async () => {
    const concurrencyFile = join(scratch, 'concurrency.txt');
    await createKnativeService(
      kc,
      namespace.name,
      probeService(
        'busy',
        {
          'autoscaling.knative.dev/minScale': '0',
          'autoscaling.knative.dev/maxScale': '4',
          'autoscaling.knative.dev/window': '6s',
        },
        [{ name: 'PROBE_CONCURRENCY_FILE', value: concurrencyFile }, podNameEnv],
      ),
    );
    await waitFor(
      'busy Ready',
      async () => conditionOf(await getKsvc(kc, namespace.name, 'busy'), 'Ready')?.status === 'True',
    );

    // 200 requests, 16 at a time, each held 300 ms: far above 2 per pod, so requests must queue and pods must grow.
    let maxPods = 0;
    const watcher = setInterval(() => {
      void podsOf(kc, namespace.name, 'busy').then((pods) => {
        const ready = pods.filter(
          (p) =>
            !p.metadata?.deletionTimestamp &&
            p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        );
        maxPods = Math.max(maxPods, ready.length);
      });
    }, 300);
    const results = await boundedLoad(200, 16, (i) =>
      request(`${runtime.ingress}/_/${namespace.name}/busy/work/${i}?holdMs=300`),
    );
    clearInterval(watcher);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(maxPods).toBeGreaterThan(1);
    const marks = readFileSync(concurrencyFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => Number(line.split(' ')[1]));
    expect(Math.max(...marks)).toBe(2);

    // No traffic: after a whole 6 s stable window the revision goes to zero and its Pods are deleted.
    await waitFor(
      'busy to scale to zero',
      async () => (await podsOf(kc, namespace.name, 'busy')).length === 0,
      60_000,
    );
    await waitFor(
      'PodAutoscaler to report 0/0',
      async () => {
        const pa = await getObject(kc, resources.podAutoscaler, namespace.name, 'busy-00001');
        return pa?.status?.desiredScale === 0 && pa.status.actualScale === 0;
      },
      10_000,
    );

    // At zero, a request is buffered by the activator and served once a replica is up.
    const woken = await request(`${runtime.ingress}/_/${namespace.name}/busy/wake`);
    expect(woken.status).toBe(200);
    expect(JSON.parse(woken.body)).toMatchObject({ path: '/wake' });
    expect(existsSync(concurrencyFile)).toBe(true);
  });
});
