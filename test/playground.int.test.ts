// Proof that the playground is real (issue 2, section 3): each check here would fail against a fake or a mock —
// a real API server stores and versions objects, validates them against the upstream Knative CRD schemas, enforces
// RBAC per user, streams watch events; a real Kafka broker keeps offsets per consumer group.
import { ApiException, CustomObjectsApi, VersionApi, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createUniqueNamespace,
  kafkaFor,
  kubeConfigFor,
  uniqueGroup,
  uniqueName,
  uniqueTopic,
} from './support/unique';

const playground = inject('playground');
const SERVICES = { group: 'serving.knative.dev', version: 'v1', plural: 'services' } as const;

interface KnativeService {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

function knativeService(name: string, extraSpec: Record<string, unknown> = {}): KnativeService {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name },
    spec: {
      template: {
        metadata: { annotations: { 'autoscaling.knative.dev/max-scale': '3' } },
        spec: {
          containerConcurrency: 10,
          containers: [{ image: 'knative-desk/barrage-homepage:0.1.0', ports: [{ containerPort: 8080 }] }],
        },
      },
      ...extraSpec,
    },
  };
}

async function apiError(promise: Promise<unknown>): Promise<ApiException<unknown>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ApiException)) throw new Error(`expected an ApiException, got ${String(error)}`);
  return error;
}

describe('the playground Kubernetes API is real', () => {
  const admin = kubeConfigFor(playground, 'admin').makeApiClient(CustomObjectsApi);
  let namespace: { name: string; remove: () => Promise<void> };

  beforeAll(async () => {
    namespace = await createUniqueNamespace(playground, 'proof');
  });
  afterAll(async () => {
    await namespace?.remove();
  });

  it('reports the pinned Kubernetes version', async () => {
    const version = await kubeConfigFor(playground).makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe(playground.versions.kubernetes);
  });

  it('stores a Knative Service created through client-node and reads it back, pruned to the CRD schema', async () => {
    const name = uniqueName('stored');
    // `notInSchema` is not a field of the upstream schema: a real API server drops it (structural pruning).
    const created = (await admin.createNamespacedCustomObject({
      ...SERVICES,
      namespace: namespace.name,
      body: knativeService(name, { notInSchema: true }),
    })) as KnativeService;
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);

    const read = (await admin.getNamespacedCustomObject({
      ...SERVICES,
      namespace: namespace.name,
      name,
    })) as KnativeService;
    expect(read.metadata.uid).toBe(created.metadata.uid);
    // Versioned: Knative's controller may have written the status since (a newer resourceVersion), the spec is
    // still the first generation.
    expect(Number(read.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Number(created.metadata.resourceVersion),
    );
    expect(read.metadata.generation).toBe(1);
    // The upstream schema also defaults `protocol: TCP` on container ports: another thing only a real server does.
    const expected = knativeService(name).spec.template as {
      spec: { containers: { ports: Record<string, unknown>[] }[] };
    };
    expected.spec.containers[0]!.ports[0]!.protocol = 'TCP';
    // And Knative's own webhook (webhook.serving.knative.dev) defaults the rest, as on any cluster running Serving.
    Object.assign(expected.spec.containers[0]!, {
      name: 'user-container',
      readinessProbe: { successThreshold: 1, tcpSocket: { port: 0 } },
      resources: {},
    });
    Object.assign(expected.spec, { enableServiceLinks: false, timeoutSeconds: 300 });
    expect(read.spec).toEqual({ template: expected, traffic: [{ latestRevision: true, percent: 100 }] });
    expect(read.metadata.annotations?.['serving.knative.dev/creator']).toBe('knative-desk-admin');
    expect(read.spec).not.toHaveProperty('notInSchema');
  });

  it("rejects a malformed Knative Service naming the field (Knative's webhook, before any schema: 400)", async () => {
    const error = await apiError(
      admin.createNamespacedCustomObject({
        ...SERVICES,
        namespace: namespace.name,
        body: {
          ...knativeService(uniqueName('malformed')),
          spec: { template: { spec: { containerConcurrency: 'lots', containers: [{ image: 'x' }] } } },
        },
      }),
    );
    expect(error.code).toBe(400);
    const { message } = JSON.parse(String(error.body)) as { message: string };
    expect(message).toContain('admission webhook "webhook.serving.knative.dev" denied the request');
    expect(message).toContain('template.spec.containerConcurrency of type int64');
  });

  it('gives the viewer 403 on create, and reads only in its own namespace', async () => {
    const viewer = kubeConfigFor(playground, 'viewer').makeApiClient(CustomObjectsApi);
    const create = await apiError(
      viewer.createNamespacedCustomObject({
        ...SERVICES,
        namespace: playground.viewerNamespace,
        body: knativeService(uniqueName('forbidden')),
      }),
    );
    expect(create.code).toBe(403);
    expect(String(create.body)).toContain('knative-desk-viewer');

    // The 403 comes from RBAC, not from broken credentials: the viewer can list where it is allowed to …
    const listed = (await viewer.listNamespacedCustomObject({
      ...SERVICES,
      namespace: playground.viewerNamespace,
    })) as { items: unknown[] };
    expect(Array.isArray(listed.items)).toBe(true);
    // … and nowhere else.
    const elsewhere = await apiError(
      viewer.listNamespacedCustomObject({ ...SERVICES, namespace: namespace.name }),
    );
    expect(elsewhere.code).toBe(403);
  });

  it('streams an update to a watcher', async () => {
    const name = uniqueName('watched');
    const created = (await admin.createNamespacedCustomObject({
      ...SERVICES,
      namespace: namespace.name,
      body: knativeService(name),
    })) as KnativeService;

    const seen: KnativeService[] = [];
    let controller: AbortController | undefined;
    const modified = new Promise<KnativeService>((resolve, reject) => {
      void new Watch(kubeConfigFor(playground))
        .watch(
          `/apis/serving.knative.dev/v1/namespaces/${namespace.name}/services`,
          // Start after the create. Knative's controller writes the Service's status as well (MODIFIED events of
          // its own), so the test waits for the MODIFIED that carries its change.
          { resourceVersion: created.metadata.resourceVersion, fieldSelector: `metadata.name=${name}` },
          (phase: string, object: KnativeService) => {
            seen.push(object);
            if (phase === 'MODIFIED' && object.metadata.annotations?.['knative-desk.dev/touched'] === 'yes')
              resolve(object);
          },
          (error: unknown) =>
            reject(error instanceof Error ? error : new Error('watch ended before the update')),
        )
        .then((abort) => (controller = abort), reject);
    });

    // No race with the watch registering: it starts from the create's resourceVersion, so the API server replays
    // any event after it even if the update lands first.
    // A replace with the resourceVersion just read: a status write of the controller in between answers 409, and
    // the test reads again (as any client of a reconciled object does), a few times at most.
    for (let attempt = 1; ; attempt++) {
      const current = (await admin.getNamespacedCustomObject({
        ...SERVICES,
        namespace: namespace.name,
        name,
      })) as KnativeService;
      // Knative's creator/lastModifier annotations stay: its webhook refuses a replace that drops them.
      current.metadata.annotations = { ...current.metadata.annotations, 'knative-desk.dev/touched': 'yes' };
      try {
        await admin.replaceNamespacedCustomObject({
          ...SERVICES,
          namespace: namespace.name,
          name,
          body: current,
        });
        break;
      } catch (error) {
        if (!(error instanceof ApiException && error.code === 409) || attempt >= 5) throw error;
      }
    }

    const event = await modified;
    controller?.abort();
    expect(event.metadata.annotations).toEqual({
      'knative-desk.dev/touched': 'yes',
      'serving.knative.dev/creator': 'knative-desk-admin',
      'serving.knative.dev/lastModifier': 'knative-desk-admin',
    });
    expect(Number(event.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect(seen.every((object) => object.metadata.name === name)).toBe(true);
  });
});

describe('the playground Kafka is real', () => {
  it('produces and consumes, and admin offsets give lag = produced − committed', async () => {
    const kafka = kafkaFor(playground);
    const topic = uniqueTopic('lag');
    const groupId = uniqueGroup('lag');
    const produced = 10;
    const committed = 4;

    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })).toBe(
        true,
      );

      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic,
        messages: Array.from({ length: produced }, (_, i) => ({ key: `k${i}`, value: `message ${i}` })),
      });
      await producer.disconnect();

      const consumer = kafka.consumer({ groupId });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const received: string[] = [];
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ message }) => {
              received.push(String(message.value));
              if (received.length === produced) resolve();
            },
          })
          .catch(reject);
      });
      // Commit only the first `committed` messages: the committed offset is the next one to read.
      await consumer.commitOffsets([{ topic, partition: 0, offset: String(committed) }]);
      await consumer.disconnect();
      expect(received).toEqual(Array.from({ length: produced }, (_, i) => `message ${i}`));

      const [end] = await admin.fetchTopicOffsets(topic);
      const [groupOffsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const partition = groupOffsets?.partitions.find((p) => p.partition === 0);
      expect(end?.high).toBe(String(produced));
      expect(partition?.offset).toBe(String(committed));
      const lag = BigInt(end!.high) - BigInt(partition!.offset);
      expect(lag).toBe(BigInt(produced - committed));
    } finally {
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await admin.disconnect();
    }
  });
});
