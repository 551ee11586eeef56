// Per-file fixtures of integration tests. Each registers the beforeAll that makes it and the afterAll that releases
// it, so a test file states what it needs in one line. Vitest runs afterAll hooks in reverse order of registration
// (sequence.hooks 'stack'), so a fixture registered first is released last: a namespace registered before the
// file's own afterAll outlives the objects that afterAll deletes in it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, inject } from 'vitest';
import type { PlaygroundInfo } from '../../playground/info';
import { etcdPart } from '../../playground/parts/etcd';
import { knativeWebhookPart } from '../../playground/parts/knative-serving';
import { kubeApiserverPart } from '../../playground/parts/kube-apiserver';
import { kubeControllerManagerPart, kubeSchedulerPart } from '../../playground/parts/kube-controllers';
import type { Part } from '../../playground/parts/part';
import { downPlayground, upPlayground } from '../../playground/playground';
import { silentProgress } from '../../playground/progress';
import { engineFor, type EngineHarness } from '../engine-harness';
import { runtimeOf } from './runtime-helpers';
import { createUniqueNamespace, kafkaFor, kubeConfigFor } from './unique';

export interface TestNamespace {
  /** Set before the first test runs. */
  name: string;
  remove: () => Promise<void>;
}

/** A fresh namespace (as admin) for the tests of this file, removed after them. */
export function namespaceForFile(playground: PlaygroundInfo, prefix: string): TestNamespace {
  const namespace: TestNamespace = { name: '', remove: async () => {} };
  beforeAll(async () => {
    Object.assign(namespace, await createUniqueNamespace(playground, prefix));
  });
  afterAll(async () => {
    await namespace.remove();
  });
  return namespace;
}

/** A kafkajs admin and producer on the playground's broker, connected before the tests and disconnected after. */
export function kafkaClientsForFile(playground: PlaygroundInfo): { admin: Admin; producer: Producer } {
  const kafka = kafkaFor(playground);
  const admin = kafka.admin();
  const producer = kafka.producer();
  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
  });
  afterAll(async () => {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });
  return { admin, producer };
}

/** What a playground test starts from: the shared test playground, its gateway and FC double, admin access. */
export function runtimeTestContext() {
  const playground = inject('playground');
  return { playground, runtime: runtimeOf(playground), kc: kubeConfigFor(playground, 'admin') };
}

export interface PrivateCluster {
  /** The playground dir (a fresh temp dir). */
  dir: string;
  /** What `up` gives: only the Kubernetes parts and Knative Serving's webhook (KUBE_PARTS). */
  options: {
    readonly dir: string;
    readonly parts: readonly Part[];
    readonly progress: typeof silentProgress;
  };
  /** Set before the first test runs. */
  info: PlaygroundInfo;
  /** The engine on it; set before the first test runs. */
  harness: EngineHarness;
}

/**
 * The Kubernetes parts of the playground (etcd, kube-apiserver, the controller manager and scheduler on it) and
 * Knative Serving's admission webhook, which every Knative write goes through: a cluster with Knative's API and
 * nothing that serves it (no Serving controller, autoscaler or activator, whose host ports only one playground on
 * a machine may hold, no Kafka, no virtual node).
 */
export const KUBE_PARTS: readonly Part[] = [
  etcdPart,
  kubeApiserverPart,
  kubeControllerManagerPart,
  kubeSchedulerPart,
  knativeWebhookPart,
];

/**
 * A private playground (KUBE_PARTS; same code and cached binaries as the shared one) for a test that must break or
 * restart its cluster, up before the tests and down after them.
 */
export function privateClusterForFile(prefix: string): PrivateCluster {
  const dir = mkdtempSync(join(tmpdir(), `knd-${prefix}-`));
  const options = { dir, parts: KUBE_PARTS, progress: silentProgress } as const;
  const cluster = { dir, options } as Partial<PrivateCluster> as PrivateCluster;
  beforeAll(async () => {
    cluster.info = (await upPlayground(cluster.options)).info;
    cluster.harness = engineFor(cluster.info);
  }, 600_000);
  afterAll(async () => {
    await cluster.harness?.close();
    await downPlayground(options);
  });
  return cluster;
}
