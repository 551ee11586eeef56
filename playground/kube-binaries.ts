// etcd, kube-apiserver, kube-controller-manager and kube-scheduler binaries, built from the Go module proxy at the pinned versions by
// scripts/build-binaries.sh and cached under `<cache>/bin/<name>-<version>` (a new pin means a new file name, so
// changing a pin rebuilds and nothing else does).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isExecutableFile, requireTool, runWithProgress } from './processes';
import type { PartContext } from './parts/part';

const buildScript = fileURLToPath(new URL('./scripts/build-binaries.sh', import.meta.url));

export const etcdBinary = (ctx: PartContext) => join(ctx.cache, 'bin', `etcd-${ctx.versions.etcd}`);
export const apiserverBinary = (ctx: PartContext) =>
  join(ctx.cache, 'bin', `kube-apiserver-${ctx.versions.kubernetes}`);
export const controllerManagerBinary = (ctx: PartContext) =>
  join(ctx.cache, 'bin', `kube-controller-manager-${ctx.versions.kubernetes}`);
export const schedulerBinary = (ctx: PartContext) =>
  join(ctx.cache, 'bin', `kube-scheduler-${ctx.versions.kubernetes}`);

// Every Kubernetes part needs the same build; one promise per process so they never run the script twice at once.
let building: Promise<void> | undefined;

export function ensureKubeBinaries(ctx: PartContext): Promise<void> {
  const binaries = [etcdBinary, apiserverBinary, controllerManagerBinary, schedulerBinary];
  if (binaries.every((binary) => isExecutableFile(binary(ctx)))) return Promise.resolve();
  building ??= runBuild(ctx).finally(() => (building = undefined));
  return building;
}

async function runBuild(ctx: PartContext): Promise<void> {
  requireTool('go', 'Go >= 1.24 (https://go.dev/dl or apt-get install golang-go)');
  requireTool('bash', 'bash');
  ctx.progress(
    'building etcd, kube-apiserver, kube-controller-manager and kube-scheduler from the Go module proxy (first time only; ~10 min on 2 cores)',
  );
  await runWithProgress(
    ctx.progress,
    'building the Kubernetes binaries',
    'bash',
    [buildScript, ctx.cache, ctx.versions.kubernetes, ctx.versions.etcd],
    { label: 'build' },
  );
}
