// Renders validated parameters into the Kubernetes objects of the barrage service, in the order they must be
// applied: Secrets, then message processing, then the KafkaSource that sinks into it, then HomePage.
// Credentials only ever appear in Secrets; workloads reference them with secretKeyRef (the seed put them inline).
import { kafkaEventSource } from '../../knative/kafka-cloudevent';
import { annotations, labels as knativeLabels, visibilityClusterLocal } from '../../knative/keys';
import { servingApiVersion, sourcesApiVersion } from '../../knative/resources';
import { envNames } from '../shared/env-names';
import type { TemplateParameters } from './parameters';
import type { TemplatePartId } from './parts';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

/** The Knative, ECI and FC annotation keys the templates write (the shared vocabulary's). */
export const annotationKeys = annotations;

/** Keys inside the Secrets the templates create. */
export const secretKeys = {
  kafkaUser: 'user',
  kafkaPassword: 'password',
  kafkaSaslType: 'saslType',
  otsKeyId: 'accessKeyId',
  otsSecret: 'accessKeySecret',
} as const;

export function kafkaSecretName(params: TemplateParameters): string {
  return `${params.secretPrefix}-kafka`;
}

export function tablestoreSecretName(params: TemplateParameters): string {
  return `${params.secretPrefix}-tablestore`;
}

const containerPort = 8080;

/** The one container of a barrage Service: its image on 8080 (http1), its env, ready once /healthz answers. */
function userContainer(image: string, env: EnvVar[]) {
  return {
    name: 'user-container',
    image,
    ports: [{ name: 'http1', containerPort }],
    env,
    readinessProbe: { httpGet: { path: '/healthz' } },
  };
}

function labels(component: TemplatePartId | 'credentials'): Record<string, string> {
  return {
    'app.kubernetes.io/part-of': 'barrage',
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/managed-by': 'knative-desk',
  };
}

function secretRef(name: string, key: string): EnvVar['valueFrom'] {
  return { secretKeyRef: { name, key } };
}

function usesKafkaSasl(params: TemplateParameters): boolean {
  return params.kafkaUser !== '';
}

function renderSecrets(params: TemplateParameters, parts: ReadonlySet<TemplatePartId>): KubernetesObject[] {
  const secrets: KubernetesObject[] = [];
  const kafkaUsers = parts.has('event-driven') || parts.has('homepage');
  if (kafkaUsers && usesKafkaSasl(params)) {
    secrets.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: kafkaSecretName(params), namespace: params.namespace, labels: labels('credentials') },
      type: 'Opaque',
      stringData: {
        [secretKeys.kafkaUser]: params.kafkaUser,
        [secretKeys.kafkaPassword]: params.kafkaPassword,
        [secretKeys.kafkaSaslType]: params.kafkaSaslMechanism,
      },
    });
  }
  const storeUsers = parts.has('processing') || parts.has('homepage');
  if (storeUsers && params.store === 'tablestore') {
    secrets.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: tablestoreSecretName(params),
        namespace: params.namespace,
        labels: labels('credentials'),
      },
      type: 'Opaque',
      stringData: { [secretKeys.otsKeyId]: params.otsKeyId, [secretKeys.otsSecret]: params.otsSecret },
    });
  }
  return secrets;
}

function storeEnv(params: TemplateParameters): EnvVar[] {
  if (params.store === 'sqlite') {
    return [
      { name: envNames.store, value: 'sqlite' },
      { name: envNames.sqlitePath, value: params.sqlitePath },
    ];
  }
  return [
    { name: envNames.store, value: 'tablestore' },
    { name: envNames.otsEndpoint, value: params.otsEndpoint },
    { name: envNames.otsInstanceName, value: params.otsInstanceName },
    { name: envNames.tableName, value: params.tableName },
    { name: envNames.otsKeyId, valueFrom: secretRef(tablestoreSecretName(params), secretKeys.otsKeyId) },
    { name: envNames.otsSecret, valueFrom: secretRef(tablestoreSecretName(params), secretKeys.otsSecret) },
  ];
}

function tracingEnv(params: TemplateParameters): EnvVar[] {
  return params.tracingEndpoint === '' ? [] : [{ name: envNames.tracing, value: params.tracingEndpoint }];
}

function kafkaEnv(params: TemplateParameters): EnvVar[] {
  const env: EnvVar[] = [
    { name: envNames.kafkaServer, value: splitServers(params.kafkaServers).join(',') },
    { name: envNames.kafkaTopic, value: params.kafkaTopic },
  ];
  if (params.kafkaTls) env.push({ name: envNames.kafkaTls, value: 'true' });
  if (usesKafkaSasl(params)) {
    env.push(
      { name: envNames.kafkaUser, valueFrom: secretRef(kafkaSecretName(params), secretKeys.kafkaUser) },
      {
        name: envNames.kafkaPassword,
        valueFrom: secretRef(kafkaSecretName(params), secretKeys.kafkaPassword),
      },
      {
        name: envNames.kafkaSaslMechanism,
        valueFrom: secretRef(kafkaSecretName(params), secretKeys.kafkaSaslType),
      },
    );
  }
  return env;
}

function splitServers(servers: string): string[] {
  return servers
    .split(',')
    .map((server) => server.trim())
    .filter((server) => server !== '');
}

function renderProcessing(params: TemplateParameters): KubernetesObject {
  const revisionAnnotations: Record<string, string> = {
    [annotationKeys.minScale]: String(params.processingMinScale),
    [annotationKeys.maxScale]: String(params.processingMaxScale),
  };
  if (params.eciImageSnapshotId !== '') {
    revisionAnnotations[annotationKeys.eciImageSnapshotId] = params.eciImageSnapshotId;
  } else {
    // Without a pinned image cache, let ECI find or create one: cold starts pull the image only once.
    revisionAnnotations[annotationKeys.eciAutoImageCache] = 'true';
  }
  return {
    apiVersion: servingApiVersion,
    kind: 'Service',
    metadata: {
      name: params.processingName,
      namespace: params.namespace,
      // Internal: only its KafkaSource delivers to it, through its cluster-local address; never on the gateway.
      labels: { ...labels('processing'), [knativeLabels.visibility]: visibilityClusterLocal },
    },
    spec: {
      template: {
        metadata: { labels: labels('processing'), annotations: revisionAnnotations },
        spec: {
          containerConcurrency: params.processingContainerConcurrency,
          containers: [
            userContainer(params.processingImage, [
              { name: envNames.serviceName, value: params.processingName },
              {
                name: envNames.acceptedEventSource,
                value: kafkaEventSource(
                  { namespace: params.namespace, name: params.sourceName },
                  params.kafkaTopic,
                ),
              },
              { name: envNames.sensitiveWords, value: params.sensitiveWords },
              { name: envNames.maxTextLength, value: String(params.maxTextLength) },
              { name: envNames.rateLimitCount, value: String(params.rateLimitCount) },
              { name: envNames.rateLimitWindowSeconds, value: String(params.rateLimitWindowSeconds) },
              ...storeEnv(params),
              ...tracingEnv(params),
            ]),
          ],
        },
      },
    },
  };
}

function renderKafkaSource(params: TemplateParameters): KubernetesObject {
  const spec: Record<string, unknown> = {
    consumerGroup: params.consumerGroup,
    bootstrapServers: splitServers(params.kafkaServers),
    topics: [params.kafkaTopic],
    initialOffset: params.initialOffset,
    // Unordered lets the dispatcher keep many records in flight per partition, so processing can scale past one
    // pod per partition; ordering does not matter for barrage comments.
    ordering: 'unordered',
    // Upstream's defaults (eventing-kafka-broker: retry 10, exponential from PT0.3S, ~10 minutes in all), so a
    // store outage of a few minutes is waited out rather than dropping accepted barrage.
    delivery: { retry: params.deliveryRetry, backoffPolicy: 'exponential', backoffDelay: 'PT0.3S' },
    sink: { ref: { apiVersion: servingApiVersion, kind: 'Service', name: params.processingName } },
  };
  const net: Record<string, unknown> = {};
  if (usesKafkaSasl(params)) {
    const name = kafkaSecretName(params);
    net.sasl = {
      enable: true,
      user: { secretKeyRef: { name, key: secretKeys.kafkaUser } },
      password: { secretKeyRef: { name, key: secretKeys.kafkaPassword } },
      type: { secretKeyRef: { name, key: secretKeys.kafkaSaslType } },
    };
  }
  // TLS with the system CAs: a profile says only "TLS on", so no caCert/cert/key Secret keys are rendered.
  if (params.kafkaTls) net.tls = { enable: true };
  if (Object.keys(net).length > 0) spec.net = net;
  return {
    apiVersion: sourcesApiVersion,
    kind: 'KafkaSource',
    metadata: {
      name: params.sourceName,
      namespace: params.namespace,
      labels: labels('event-driven'),
      annotations: { [annotationKeys.deliveryOrder]: 'unordered' },
    },
    spec,
  };
}

function renderHomepage(params: TemplateParameters): KubernetesObject {
  const revisionAnnotations: Record<string, string> = { [annotationKeys.fcCodeSpace]: params.fcCodeSpace };
  if (params.fcRoleArn !== '') revisionAnnotations[annotationKeys.fcRoleArn] = params.fcRoleArn;
  if (params.fcCustomDomain !== '') {
    revisionAnnotations[annotationKeys.fcDomain] = JSON.stringify({
      domain: params.fcCustomDomain,
      path: params.fcDomainPath,
    });
  }
  return {
    apiVersion: servingApiVersion,
    kind: 'Service',
    metadata: {
      name: params.homepageName,
      namespace: params.namespace,
      labels: labels('homepage'),
      annotations: { [annotationKeys.workloadClass]: 'fc' },
    },
    spec: {
      template: {
        metadata: { labels: labels('homepage'), annotations: revisionAnnotations },
        spec: {
          containers: [
            userContainer(params.homepageImage, [
              { name: envNames.serviceName, value: params.homepageName },
              ...kafkaEnv(params),
              ...storeEnv(params),
              ...tracingEnv(params),
            ]),
          ],
        },
      },
    },
  };
}

export const allTemplatePartIds: readonly TemplatePartId[] = ['processing', 'event-driven', 'homepage'];

/** Objects for the chosen parts (all by default), Secrets first, then processing, KafkaSource, HomePage. */
export function renderObjects(
  params: TemplateParameters,
  parts: readonly TemplatePartId[] = allTemplatePartIds,
): KubernetesObject[] {
  const chosen = new Set(parts);
  const objects = renderSecrets(params, chosen);
  if (chosen.has('processing')) objects.push(renderProcessing(params));
  if (chosen.has('event-driven')) objects.push(renderKafkaSource(params));
  if (chosen.has('homepage')) objects.push(renderHomepage(params));
  return objects;
}
