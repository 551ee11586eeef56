// kube-apiserver 1.34 on the etcd part, flags modelled on controller-runtime's envtest. Token auth (admin in
// system:masters, a viewer limited by RBAC), a self-signed serving certificate kept in the playground dir. After it
// answers: the kubeconfig, namespaces, the viewer's RBAC and the Knative CRDs (playground/cluster-setup.ts).
import { existsSync, readFileSync } from 'node:fs';
import { setUpCluster } from '../cluster-setup';
import { apiserverBinary } from '../kube-binaries';
import { ensureKubeCredentials, servingCertFile } from '../kube-credentials';
import { writeKubeconfig } from '../kubeconfig';
import { httpsGet } from '../processes';
import type { Part } from './part';
import { securePortPart } from './secure-port-part';

/**
 * GET /readyz?verbose with the admin token, trusting only the playground's own CA: true when ready; otherwise it
 * throws what is not ready (the checks the server marks `[-]`, or why it could not be asked), which a start that
 * times out reports (waitUntilHealthy).
 */
async function apiserverReady(dir: string, port: number, token: string): Promise<boolean> {
  const caFile = servingCertFile(dir);
  if (!existsSync(caFile)) throw new Error(`no serving certificate yet (${caFile})`);
  const { status, body } = await httpsGet({
    host: '127.0.0.1',
    port,
    path: '/readyz?verbose',
    ca: readFileSync(caFile),
    headers: { authorization: `Bearer ${token}` },
    timeoutMs: 3_000,
  });
  if (status === 200) return true;
  const failing = body
    .split('\n')
    .filter((line) => line.startsWith('[-]'))
    .join('; ');
  throw new Error(`/readyz answered ${status}${failing ? `: ${failing}` : ''}`);
}

export const kubeApiserverPart: Part = securePortPart({
  name: 'kube-apiserver',
  dependsOn: ['etcd'],
  binary: apiserverBinary,
  flags(ctx, secure) {
    const etcd = ctx.parts.etcd;
    if (!etcd?.port) throw new Error('kube-apiserver needs etcd, which is not running');
    const credentials = ensureKubeCredentials(ctx.dir);
    return [
      `--etcd-servers=http://127.0.0.1:${etcd.port}`,
      `--cert-dir=${credentials.certDir}`,
      `--secure-port=${secure}`,
      '--bind-address=127.0.0.1',
      // Required: the machine has no default route, so the API server cannot guess an address to advertise.
      '--advertise-address=127.0.0.1',
      // Nothing keeps the `kubernetes` Service's Endpoints: the reconciler's every-10-s write of 127.0.0.1 was
      // refused with 422 (an Endpoints address may not be loopback), a GET and a failed POST each time, forever.
      '--endpoint-reconciler-type=none',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${credentials.serviceAccountKeyFile}`,
      `--service-account-signing-key-file=${credentials.serviceAccountKeyFile}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=RBAC',
      `--token-auth-file=${credentials.tokenFile}`,
      // kube-controller-manager runs without the `serviceaccount` controller (no `default` ServiceAccount per
      // namespace), so pods would be refused by this plugin.
      '--disable-admission-plugins=ServiceAccount',
      // Webhooks (Knative's) are reached through their Service's EndpointSlices: no ClusterIP, no kube-proxy here.
      '--enable-aggregator-routing=true',
      '--allow-privileged=true',
    ];
  },
  healthy: (ctx, port) => apiserverReady(ctx.dir, port, ensureKubeCredentials(ctx.dir).adminToken),
  // Healthy only if it is still wired to the etcd running now: after etcd moved to another port, an API server
  // may answer /readyz from a cached check for a while, but every write would fail.
  wiredTo: (ctx) => `--etcd-servers=http://127.0.0.1:${ctx.parts.etcd?.port}`,
  // The first start also generates the serving certificate and bootstraps RBAC roles: allow for a slow machine.
  startTimeoutMs: 180_000,
  async afterReady(info, ctx) {
    const kubeconfig = writeKubeconfig({
      dir: ctx.dir,
      apiServer: `https://127.0.0.1:${info.port}`,
      caFile: servingCertFile(ctx.dir),
      credentials: ensureKubeCredentials(ctx.dir),
    });
    await setUpCluster({ kubeconfig, versions: ctx.versions, progress: ctx.progress });
  },
});
