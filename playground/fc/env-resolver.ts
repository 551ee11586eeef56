// Resolves a container's env the way the kubelet does for the fields the barrage templates use: `value`,
// `valueFrom.secretKeyRef`, `valueFrom.configMapKeyRef`, and `valueFrom.fieldRef` for the pod's name, namespace and
// IP. A missing Secret/key is an error with the kubelet's reason (CreateContainerConfigError), never an empty value.

import type { CoreV1Api, V1EnvVar } from '@kubernetes/client-node';
import { isNotFound } from '../kube';

export class EnvResolutionError extends Error {
  override readonly name = 'EnvResolutionError';
  readonly reason = 'CreateContainerConfigError';
}

export interface PodIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly ip: string;
  readonly serviceAccountName: string;
}

type KeyData = Record<string, string>;

/** A Secret's or ConfigMap's data, read at most once per resolution; undefined when it does not exist. */
async function readOnce(
  cache: Map<string, KeyData | undefined>,
  name: string,
  read: () => Promise<KeyData>,
): Promise<KeyData | undefined> {
  if (!cache.has(name)) {
    try {
      cache.set(name, await read());
    } catch (error) {
      if (!isNotFound(error)) throw error;
      cache.set(name, undefined);
    }
  }
  return cache.get(name);
}

export async function resolveEnv(
  core: CoreV1Api,
  env: V1EnvVar[] | undefined,
  pod: PodIdentity,
): Promise<Record<string, string>> {
  const resolved: Record<string, string> = {};
  const secrets = new Map<string, Record<string, string> | undefined>();
  const configMaps = new Map<string, Record<string, string> | undefined>();
  for (const variable of env ?? []) {
    if (variable.value !== undefined) {
      // $(VAR) references to earlier variables, as Kubernetes expands them.
      resolved[variable.name] = variable.value.replace(
        /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
        (whole, name: string) => (name in resolved ? (resolved[name] ?? '') : whole),
      );
      continue;
    }
    const from = variable.valueFrom;
    if (!from) {
      resolved[variable.name] = '';
      continue;
    }
    if (from.fieldRef) {
      const path = from.fieldRef.fieldPath;
      const value =
        path === 'metadata.name'
          ? pod.name
          : path === 'metadata.namespace'
            ? pod.namespace
            : path === 'status.podIP' || path === 'status.hostIP'
              ? pod.ip
              : path === 'spec.serviceAccountName'
                ? pod.serviceAccountName
                : path === 'spec.nodeName'
                  ? 'virtual-kubelet-playground'
                  : undefined;
      if (value === undefined)
        throw new EnvResolutionError(`env ${variable.name}: fieldRef "${path}" is not supported`);
      resolved[variable.name] = value;
      continue;
    }
    if (from.secretKeyRef) {
      const { key, optional } = from.secretKeyRef;
      const name = from.secretKeyRef.name ?? '';
      const data = await readOnce(secrets, name, async () => {
        const secret = await core.readNamespacedSecret({ name, namespace: pod.namespace });
        const decoded: Record<string, string> = {};
        for (const [k, v] of Object.entries(secret.data ?? {}))
          decoded[k] = Buffer.from(v, 'base64').toString('utf8');
        for (const [k, v] of Object.entries(secret.stringData ?? {})) decoded[k] = v;
        return decoded;
      });
      const value = data?.[key];
      if (value === undefined) {
        if (optional) continue;
        throw new EnvResolutionError(
          data ? `couldn't find key ${key} in Secret ${pod.namespace}/${name}` : `secret "${name}" not found`,
        );
      }
      resolved[variable.name] = value;
      continue;
    }
    if (from.configMapKeyRef) {
      const { key, optional } = from.configMapKeyRef;
      const name = from.configMapKeyRef.name ?? '';
      const data = await readOnce(
        configMaps,
        name,
        async () => (await core.readNamespacedConfigMap({ name, namespace: pod.namespace })).data ?? {},
      );
      const value = data?.[key];
      if (value === undefined) {
        if (optional) continue;
        throw new EnvResolutionError(`configmap "${name}" or its key "${key}" not found`);
      }
      resolved[variable.name] = value;
      continue;
    }
    throw new EnvResolutionError(
      `env ${variable.name}: this kind of valueFrom is not supported by the playground`,
    );
  }
  return resolved;
}
