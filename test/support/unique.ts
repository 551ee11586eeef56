// Helpers so that integration tests can run in any order, concurrently and against a reused playground: each test
// makes its own namespace and topics with unique names, and gets clients for the playground it was handed.
import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig, type V1Namespace } from '@kubernetes/client-node';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import type { PlaygroundInfo } from '../../playground/info';

/**
 * A DNS-1123 label (lowercase alphanumerics and '-', ≤ 63 chars) that no other test run will pick: prefix, time
 * in base 36, random suffix. Also a valid Kafka topic / consumer group name.
 */
export function uniqueName(prefix: string): string {
  const clean =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 't';
  const suffix = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  return `${clean.slice(0, 63 - suffix.length - 1)}-${suffix}`;
}

export const uniqueTopic = (prefix: string): string => uniqueName(`topic-${prefix}`);
export const uniqueGroup = (prefix: string): string => uniqueName(`group-${prefix}`);

/** A KubeConfig for the playground's admin or viewer context (from its own kubeconfig file). */
export function kubeConfigFor(playground: PlaygroundInfo, who: 'admin' | 'viewer' = 'admin'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(playground.kubeconfig);
  kc.setCurrentContext(playground.contexts[who]);
  return kc;
}

/**
 * Creates a fresh namespace (as admin) and returns its name and a `remove` to call in afterAll. Deletion is
 * asynchronous in Kubernetes: the playground's kube-controller-manager removes the namespace and everything in it.
 */
export async function createUniqueNamespace(
  playground: PlaygroundInfo,
  prefix: string,
): Promise<{ name: string; remove: () => Promise<void> }> {
  const core = kubeConfigFor(playground, 'admin').makeApiClient(CoreV1Api);
  const name = uniqueName(prefix);
  const namespace: V1Namespace = { metadata: { name, labels: { 'knative-desk.dev/test': 'true' } } };
  await core.createNamespace({ body: namespace });
  return {
    name,
    remove: async () => {
      await core.deleteNamespace({ name }).catch(() => {});
    },
  };
}

/** A kafkajs client for the playground's broker(s); quiet unless something is really wrong. */
export function kafkaFor(
  playground: PlaygroundInfo,
  clientId = uniqueName('test'),
  level = logLevel.ERROR,
): Kafka {
  if (playground.kafkaBrokers.length === 0) {
    throw new Error('the playground runs without Kafka (started with --no-kafka); this test needs it');
  }
  return new Kafka({ clientId, brokers: playground.kafkaBrokers, logLevel: level });
}

/** An admin and a producer of `kafka`, both connected (the caller disconnects them). */
export async function connectedKafkaClients(kafka: Kafka): Promise<{ admin: Admin; producer: Producer }> {
  const admin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  return { admin, producer };
}
