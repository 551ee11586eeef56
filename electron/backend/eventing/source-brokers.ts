// Talking to a KafkaSource's own brokers as its dispatcher would: its bootstrap servers, with the SASL/TLS settings
// its Secrets hold. The KafkaSource editor checks topics and creates new ones this way, and a deploy of the
// templates makes sure the source's topics exist this way, so both meet the same refusals with the same words.
import { Kafka, logLevel } from 'kafkajs';
import type { Admin, KafkaConfig, SASLOptions } from 'kafkajs';
import type { KubernetesObjectApi } from '@kubernetes/client-node';
import {
  kafkaClientSecurity,
  isSaslAuthenticationError,
  netSecretRefs,
} from '../../../knative/kafka-source-net';
import type { SecretKeyRef } from '../../../knative/kafka-source-net';
import { EngineError, toEnvelope } from '../errors';
import type { KubeObject } from '../workloads/kube-object';
import { recordOf } from '../workloads/kube-object';

/** A pseudo-kind for topics in a plan and a run's progress. */
export const topicRef = (name: string) => ({ apiVersion: 'kafka', kind: 'Topic', name });

const BROKER_TIMEOUT_MS = 4000;
/** What the source editor's user can do about a refusal (it has written nothing yet). */
const EDITOR_HINTS = {
  unreachable:
    'Is Kafka running there? If the brokers are reachable only from inside the cluster, tick "Skip the broker check".',
  refused: 'Check the user and password Secrets; nothing was written.',
};

/** A refusal of the brokers: a message and the source form's field it is about. */
export class BrokerCheckError extends EngineError {
  constructor(
    readonly field: string,
    message: string,
    code: 'unreachable' | 'invalid-request' | 'forbidden' = 'invalid-request',
  ) {
    super(code, message, { causes: [{ field, message }] });
  }
}

async function secretValues(
  objects: KubernetesObjectApi,
  namespace: string,
  refs: readonly SecretKeyRef[],
): Promise<(ref: SecretKeyRef) => string | { missing: string }> {
  const secrets = new Map<string, Record<string, unknown> | string>();
  for (const name of new Set(refs.map((ref) => ref.name))) {
    try {
      const secret = (await objects.read({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace },
      })) as KubeObject & { data?: unknown };
      secrets.set(name, recordOf(secret.data));
    } catch (error) {
      const code = (error as { code?: number }).code;
      secrets.set(
        name,
        code === 404
          ? `Secret ${name} does not exist in ${namespace}`
          : `Secret ${name} could not be read: ${toEnvelope(error, 'eventing:plan').message}`,
      );
    }
  }
  return (ref) => {
    const data = secrets.get(ref.name);
    if (typeof data === 'string' || data === undefined)
      return { missing: data ?? `Secret ${ref.name} not read` };
    const value = data[ref.key];
    return typeof value === 'string'
      ? Buffer.from(value, 'base64').toString('utf8')
      : { missing: `Secret ${ref.name} has no key "${ref.key}"` };
  };
}

/**
 * Connects to the source's brokers with its own security settings and runs `work` with an admin client. Refusals
 * come back as field errors: brokers unreachable → bootstrapServers, SASL refused or Secrets missing → sasl/tls.
 */
export async function withSourceBrokers<T>(
  objects: KubernetesObjectApi,
  source: KubeObject,
  work: (admin: Admin) => Promise<T>,
  hints: { unreachable: string; refused: string } = EDITOR_HINTS,
): Promise<T> {
  const spec = recordOf(source.spec);
  const namespace = source.metadata?.namespace ?? '';
  const valueOf = await secretValues(objects, namespace, netSecretRefs(spec.net));
  const security = kafkaClientSecurity(spec.net, valueOf);
  if (!security.ok) {
    throw new BrokerCheckError(/tls/.test(security.problem) ? 'tls' : 'sasl', security.problem);
  }
  const brokers = (spec.bootstrapServers as string[] | undefined) ?? [];
  const config: KafkaConfig = {
    clientId: 'knative-desk-source-check',
    brokers,
    ssl: security.security.ssl as KafkaConfig['ssl'],
    ...(security.security.sasl ? { sasl: security.security.sasl as SASLOptions } : {}),
    logLevel: logLevel.NOTHING,
    connectionTimeout: BROKER_TIMEOUT_MS,
    requestTimeout: BROKER_TIMEOUT_MS * 2,
    retry: { retries: 1, initialRetryTime: 200 },
  };
  const admin = new Kafka(config).admin();
  try {
    await admin.connect();
  } catch (error) {
    await admin.disconnect().catch(() => undefined);
    if (isSaslAuthenticationError(error)) {
      throw new BrokerCheckError(
        'sasl',
        `The brokers refused the SASL login of the user in Secret ${security.security.saslUserFrom ?? '?'} (${(error as Error).message}). ${hints.refused}`,
        'forbidden',
      );
    }
    throw new BrokerCheckError(
      'bootstrapServers',
      `Cannot reach the brokers ${brokers.join(', ')} (${(error as Error).message}). ${hints.unreachable}`,
      'unreachable',
    );
  }
  try {
    return await work(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
