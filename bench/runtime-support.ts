// Shared pieces of the runtime benches: find the running playground and its runtime, make a namespace, deploy the
// probe workload, poll until something holds. Everything targets 127.0.0.1 and every loop is bounded.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { readPlaygroundInfo, type PlaygroundInfo } from '../playground/info';
import { PROBE_IMAGE } from '../playground/probe/probe-image';
import { requestVia, type HttpResult } from '../test/support/runtime-helpers';

export interface BenchRuntime {
  info: PlaygroundInfo;
  ingress: string;
  admin: string;
  core: CoreV1Api;
  custom: CustomObjectsApi;
}

export function connect(): BenchRuntime {
  const info = readPlaygroundInfo();
  const ingress = info?.ingress;
  const admin = info?.admin;
  if (!info || typeof ingress !== 'string' || typeof admin !== 'string') {
    throw new Error('no playground with its runtime is running: start it with `npm run -s playground -- up`');
  }
  const kc = new KubeConfig();
  kc.loadFromFile(info.kubeconfig);
  kc.setCurrentContext(info.contexts.admin);
  return {
    info,
    ingress,
    admin,
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
}

export async function makeNamespace(runtime: BenchRuntime, prefix: string): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  await runtime.core.createNamespace({
    body: { metadata: { name, labels: { 'knative-desk.dev/bench': 'true' } } },
  });
  return name;
}

export async function deleteServicesAndNamespace(runtime: BenchRuntime, namespace: string): Promise<void> {
  const list = (await runtime.custom.listNamespacedCustomObject({
    group: 'serving.knative.dev',
    version: 'v1',
    namespace,
    plural: 'services',
  })) as { items: { metadata: { name: string } }[] };
  for (const item of list.items) {
    await runtime.custom
      .deleteNamespacedCustomObject({
        group: 'serving.knative.dev',
        version: 'v1',
        namespace,
        plural: 'services',
        name: item.metadata.name,
      })
      .catch(() => undefined);
  }
  await until(
    'replicas stopped',
    async () => (await replicasIn(runtime, namespace)).length === 0,
    60_000,
  ).catch(() => undefined);
  await runtime.core.deleteNamespace({ name: namespace }).catch(() => undefined);
}

export async function deployProbe(
  runtime: BenchRuntime,
  namespace: string,
  name: string,
  annotations: Record<string, string>,
  containerConcurrency: number,
): Promise<void> {
  await runtime.custom.createNamespacedCustomObject({
    group: 'serving.knative.dev',
    version: 'v1',
    namespace,
    plural: 'services',
    body: {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: {
        template: {
          metadata: { annotations },
          spec: {
            containerConcurrency,
            containers: [
              {
                image: PROBE_IMAGE,
                env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              },
            ],
          },
        },
      },
    },
  });
}

export async function waitReady(runtime: BenchRuntime, namespace: string, name: string): Promise<void> {
  await until(
    `ksvc ${namespace}/${name} Ready`,
    async () => {
      const ksvc = (await runtime.custom.getNamespacedCustomObject({
        group: 'serving.knative.dev',
        version: 'v1',
        namespace,
        plural: 'services',
        name,
      })) as { status?: { conditions?: { type: string; status: string }[] } };
      return ksvc.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    },
    60_000,
  );
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | false | undefined>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

export interface ReplicaRow {
  namespace: string;
  pod: string;
  revision: string;
  port: number;
  ready: boolean;
  deleting: boolean;
  pid?: number;
}

export async function replicasIn(runtime: BenchRuntime, namespace: string): Promise<ReplicaRow[]> {
  const body = await get(`${runtime.admin}/replicas`);
  return (JSON.parse(body.body) as ReplicaRow[]).filter((row) => row.namespace === namespace);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

export function get(url: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return requestVia(agent, url, { headers });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The bench line format: `name: value unit (reference, ratio)`. */
export function report(name: string, value: number, unit: string, reference: string, ratio: number): void {
  process.stdout.write(
    `${name}: ${value.toFixed(unit === 'ms' ? 1 : 3)} ${unit} (${reference}, ${ratio.toFixed(2)}x)\n`,
  );
}
