// kubectl, the client this project did not write, for the proofs the issues ask to be "checked with kubectl".
// Runs against the playground's own kubeconfig and context only (never ~/.kube/config).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { PlaygroundInfo } from '../../playground/info';
import { readyKsvc } from './runtime-helpers';
import { kubeConfigFor } from './unique';
import { waitFor } from './wait-for';

const run = promisify(execFile);

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `kubectl --kubeconfig <playground> --context <admin|viewer> <args…>`; resolves with the exit code, never throws for it. */
export async function kubectl(
  playground: PlaygroundInfo,
  args: readonly string[],
  options: { who?: 'admin' | 'viewer'; input?: string } = {},
): Promise<KubectlResult> {
  const argv = [
    `--kubeconfig=${playground.kubeconfig}`,
    `--context=${playground.contexts[options.who ?? 'admin']}`,
    ...args,
  ];
  try {
    const child = run('kubectl', argv, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    if (options.input !== undefined) {
      child.child.stdin?.end(options.input);
    }
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & {
      code?: number | string;
      stdout?: string;
      stderr?: string;
    };
    if (failure.code === 'ENOENT') {
      throw new Error(
        'kubectl is not installed: install it (apt-get install kubernetes-client, or from dl.k8s.io)',
        { cause: error },
      );
    }
    return {
      code: typeof failure.code === 'number' ? failure.code : 1,
      stdout: failure.stdout ?? '',
      stderr: failure.stderr ?? String(error),
    };
  }
}

/** Polls until `check` answers true or `timeoutMs` passes; returns how long it took, or throws with `what`. */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 500,
): Promise<number> {
  const began = Date.now();
  for (;;) {
    if (await check()) return Date.now() - began;
    if (Date.now() - began > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** `kubectl <args…> -o json` as the admin, parsed; a non-zero exit fails the test with kubectl's stderr. */
export async function kubectlJson<T>(playground: PlaygroundInfo, args: readonly string[]): Promise<T> {
  const result = await kubectl(playground, [...args, '-o', 'json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** waitFor at kubectl's pace: once a second, as each look is a process of its own. */
export function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  return waitFor(what, probe, timeoutMs, 1_000);
}

export interface KsvcStatus {
  conditions?: { type: string; status: string }[];
  latestReadyRevisionName?: string;
  url?: string;
}

/** Waits until Knative Service `name` reads Ready=True (runtime-helpers' readyKsvc), and returns its status. */
export async function readyKsvcStatus(
  playground: PlaygroundInfo,
  name: string,
  namespace: string,
  timeoutMs = 180_000,
): Promise<KsvcStatus> {
  return (await readyKsvc(kubeConfigFor(playground), namespace, name, timeoutMs)).status as KsvcStatus;
}

/** `kubectl apply` of a Knative Service, then `kubectl wait` (3 min at most) until it is Ready; the failing step's result. */
export async function kubectlApplyReadyKsvc(
  playground: PlaygroundInfo,
  service: { metadata: { name: string; namespace: string } },
): Promise<KubectlResult & { step: 'apply' | 'wait' }> {
  const applied = await kubectl(playground, ['apply', '-f', '-'], { input: JSON.stringify(service) });
  if (applied.code !== 0) return { ...applied, step: 'apply' };
  const { name, namespace } = service.metadata;
  const ready = await kubectl(playground, [
    'wait',
    '--for=condition=Ready',
    `ksvc/${name}`,
    '-n',
    namespace,
    '--timeout=180s',
  ]);
  return { ...ready, step: 'wait' };
}

/** Whether `kubectl get namespace <namespace>` answers NotFound (the namespace is gone, not just Terminating). */
export async function namespaceGone(playground: PlaygroundInfo, namespace: string): Promise<boolean> {
  const got = await kubectl(playground, ['get', 'namespace', namespace]);
  return got.code !== 0 && /NotFound/.test(got.stderr);
}
