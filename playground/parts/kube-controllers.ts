// kube-controller-manager and kube-scheduler 1.34, built in the same module as kube-apiserver
// (playground/kube-binaries.ts). The controller manager runs only the controllers a serverless cluster's control
// plane gives Knative and the console: Deployments, ReplicaSets, EndpointSlices (and mirroring of hand-made
// Endpoints), garbage collection of owned objects, namespace deletion, service-account tokens and ClusterRole
// aggregation. No cloud, node-lifecycle or pod GC controllers: the only node is the virtual node.
// Both talk to the API server with the playground's admin kubeconfig; leader election is off (one replica).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { controllerManagerBinary, schedulerBinary } from '../kube-binaries';
import { kubeDir, servingCertFile, ensureKubeCredentials } from '../kube-credentials';
import { kubeconfigPath } from '../kubeconfig';
import { httpsAnswers } from '../processes';
import type { Part, PartContext } from './part';
import { securePortPart } from './secure-port-part';

/** The controllers issue 9 asks for; everything else of kube-controller-manager stays off. */
export const CONTROLLERS = [
  'deployment',
  'replicaset',
  // core/v1 Endpoints: Knative's SKS reconciler and activator read them (of `<revision>-private`).
  'endpoint',
  'endpointslice',
  'endpointslicemirroring',
  // Lifts the not-ready taint the apiserver puts on a new Node once it reports Ready (and taints a Node whose lease
  // lapses): without it nothing is ever scheduled onto the virtual node.
  'nodelifecycle',
  'garbagecollector',
  'namespace',
  'serviceaccount-token',
  'clusterrole-aggregation',
] as const;

/** GET /healthz on the component's secure port (a self-signed certificate of its own; /healthz needs no auth). */
function componentHealthy(port: number): Promise<boolean> {
  return httpsAnswers({ host: '127.0.0.1', port, path: '/healthz', timeoutMs: 3_000 });
}

function kubeComponentPart(options: {
  name: 'kube-controller-manager' | 'kube-scheduler';
  binary: (ctx: PartContext) => string;
  flags: (ctx: PartContext) => string[];
}): Part {
  return securePortPart({
    name: options.name,
    dependsOn: ['kube-apiserver'],
    binary: options.binary,
    flags(ctx, secure) {
      const certDir = join(kubeDir(ctx.dir), `${options.name}-certs`);
      mkdirSync(certDir, { recursive: true, mode: 0o700 });
      return [
        `--kubeconfig=${kubeconfigPath(ctx.dir)}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${secure}`,
        `--cert-dir=${certDir}`,
        '--leader-elect=false',
        ...options.flags(ctx),
      ];
    },
    healthy: (_ctx, port) => componentHealthy(port),
    // Only if it still talks to this playground's API server (the kubeconfig names it): after the API server
    // moved, the old process would keep failing.
    wiredTo: (ctx) => kubeconfigPath(ctx.dir),
    startTimeoutMs: 120_000,
  });
}

export const kubeControllerManagerPart = kubeComponentPart({
  name: 'kube-controller-manager',
  binary: controllerManagerBinary,
  flags: (ctx) => [
    `--controllers=${CONTROLLERS.join(',')}`,
    // Signs the tokens of service-account token Secrets, with the key kube-apiserver verifies them by.
    `--service-account-private-key-file=${ensureKubeCredentials(ctx.dir).serviceAccountKeyFile}`,
    `--root-ca-file=${servingCertFile(ctx.dir)}`,
    // A terminating namespace is looked at again every 10 s (the default is 5 min). Upstream requeues it after half
    // its pods' grace period, 151 s for Knative's 300 s, even when the pods drained in 30 s; the resync brings the
    // next pass forward so the namespace is gone about 10 s after its last pod. Namespaces that are not
    // terminating are skipped by the handler, so this costs nothing at rest.
    '--namespace-sync-period=10s',
  ],
});

export const kubeSchedulerPart = kubeComponentPart({
  name: 'kube-scheduler',
  binary: schedulerBinary,
  flags: () => [],
});
