// Helpers for the integration tests on a playground: apply Knative objects, wait for conditions, send bounded load
// to a Service through the playground's KIngress gateway. All traffic stays on this machine.
import http from 'node:http';
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { serviceTarget } from '../../electron/backend/net/service-target';
import { resources, type ResourceType } from '../../knative/resources';
import type { PlaygroundInfo } from '../../playground/info';
import { waitFor } from './wait-for';

export { waitFor };

/** What the playground publishes beside its state (`runtime.json`, `fc.json`): the KIngress gateway, the FC double. */
export interface RuntimeFields {
  ingress: string;
  fc: { endpoint: string; accountId: string; accessKeyId: string; accessKeySecret: string; region: string };
}

export function runtimeOf(playground: PlaygroundInfo): RuntimeFields {
  const fields = playground as unknown as Partial<RuntimeFields>;
  if (!fields.ingress || !fields.fc) {
    throw new Error(
      'the playground publishes no ingress/fc in its info (is its kingress or fc part down?); run `npm run -s playground -- up`',
    );
  }
  return fields as RuntimeFields;
}

export interface ObjectWithStatus {
  metadata: { name: string; namespace: string; generation?: number; labels?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    [key: string]: unknown;
  };
}

export function clients(kc: KubeConfig) {
  return { core: kc.makeApiClient(CoreV1Api), custom: kc.makeApiClient(CustomObjectsApi) };
}

export async function createKnativeService(
  kc: KubeConfig,
  namespace: string,
  body: Record<string, unknown>,
): Promise<void> {
  await clients(kc).custom.createNamespacedCustomObject({
    group: 'serving.knative.dev',
    version: 'v1',
    namespace,
    plural: 'services',
    body: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', ...body },
  });
}

/** The object, or undefined when it cannot be read (not there yet, or gone). */
export async function getObject(
  kc: KubeConfig,
  type: Pick<ResourceType, 'group' | 'version' | 'plural'>,
  namespace: string,
  name: string,
): Promise<ObjectWithStatus | undefined> {
  try {
    const { group, version, plural } = type;
    return (await clients(kc).custom.getNamespacedCustomObject({
      group,
      version,
      plural,
      namespace,
      name,
    })) as ObjectWithStatus;
  } catch {
    return undefined;
  }
}

/** Deletes every object of `type` in `namespace` (what a test's afterAll does before its namespace goes). */
export async function deleteAllOf(
  kc: KubeConfig,
  type: Pick<ResourceType, 'group' | 'version' | 'plural'>,
  namespace: string,
): Promise<void> {
  const { group, version, plural } = type;
  const { custom } = clients(kc);
  const list = (await custom.listNamespacedCustomObject({ group, version, namespace, plural })) as {
    items: { metadata: { name: string } }[];
  };
  for (const item of list.items) {
    await custom.deleteNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      name: item.metadata.name,
    });
  }
}

export const getKsvc = (kc: KubeConfig, namespace: string, name: string) =>
  getObject(kc, resources.service, namespace, name);

export function conditionOf(object: ObjectWithStatus | undefined, type: string) {
  return object?.status?.conditions?.find((condition) => condition.type === type);
}

/** Waits until a Knative Service is Ready and returns it (its status holds `url` and `address`). */
export function readyKsvc(
  kc: KubeConfig,
  namespace: string,
  name: string,
  timeoutMs = 120_000,
): Promise<ObjectWithStatus> {
  return waitFor(
    `${name} Ready`,
    async () => {
      const ksvc = await getKsvc(kc, namespace, name);
      return conditionOf(ksvc, 'Ready')?.status === 'True' && ksvc;
    },
    timeoutMs,
  );
}

export async function podsOf(kc: KubeConfig, namespace: string, service: string) {
  const list = await clients(kc).core.listNamespacedPod({
    namespace,
    labelSelector: `serving.knative.dev/service=${service}`,
  });
  return list.items;
}

export interface HttpResult {
  status: number;
  body: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

export function request(url: string, options: RequestOptions = {}): Promise<HttpResult> {
  return requestVia(agent, url, options);
}

/**
 * A request to a Knative Service's URL as the console sends it (electron/backend/net/service-target.ts): a
 * cluster-local name goes to the playground's gateway (`ingress`) with the Service's host as the Host header.
 */
export function requestService(
  gateway: string,
  url: string,
  options: RequestOptions = {},
): Promise<HttpResult> {
  const target = serviceTarget(url, gateway);
  const headers: Record<string, string> = { ...options.headers };
  if (target.hostHeader) headers.host = target.hostHeader;
  return request(target.url, { ...options, headers });
}

/** One HTTP request over `agent` (a keep-alive pool sized for the load at hand), with the body read as text. */
export function requestVia(
  agent: http.Agent,
  url: string,
  options: RequestOptions = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const outgoing = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** Runs `total` requests with at most `concurrency` in flight (a bounded load loop). */
export async function boundedLoad(
  total: number,
  concurrency: number,
  send: (index: number) => Promise<HttpResult>,
): Promise<HttpResult[]> {
  const results: HttpResult[] = new Array(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const index = next++;
        results[index] = await send(index).catch((error: Error) => ({ status: 0, body: error.message }));
      }
    }),
  );
  return results;
}
