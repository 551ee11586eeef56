// etcd 3.6 (Debian's 3.4 is below what Kubernetes 1.34 supports), single member, for kube-apiserver's storage.
import { join } from 'node:path';
import type { PartInfo } from '../info';
import { etcdBinary, ensureKubeBinaries } from '../kube-binaries';
import { pickPorts } from '../ports';
import { isOurProcess, runningInfo, startDetached, stopIfOurs, waitUntilHealthy } from '../processes';
import type { Part, PartContext } from './part';

async function etcdAnswers(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) });
  const body = (await response.json()) as { health?: string };
  return response.ok && body.health === 'true';
}

export const etcdPart: Part = {
  name: 'etcd',
  dependsOn: [],
  prepare: ensureKubeBinaries,
  async start(ctx: PartContext, previous: PartInfo | undefined): Promise<PartInfo> {
    const { client, peer } = await pickPorts(['client', 'peer'], previous?.ports);
    const clientUrl = `http://127.0.0.1:${client}`;
    const peerUrl = `http://127.0.0.1:${peer}`;
    const proc = startDetached(
      etcdBinary(ctx),
      [
        '--name=playground',
        `--data-dir=${join(ctx.dir, 'etcd')}`,
        `--listen-client-urls=${clientUrl}`,
        `--advertise-client-urls=${clientUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=playground=${peerUrl}`,
        // A playground, not a production store: skipping fsync makes writes (and tests) much faster.
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      { log: join(ctx.dir, 'logs', 'etcd.log') },
    );
    await waitUntilHealthy('etcd', proc, () => etcdAnswers(client), 60_000);
    return runningInfo(proc, client, { client, peer });
  },
  async isHealthy(info) {
    return (
      isOurProcess(info.pid, 'etcd') && info.port !== undefined && etcdAnswers(info.port).catch(() => false)
    );
  },
  // Only a pid that is still our etcd: a recycled pid belongs to someone else.
  stop: (info) => stopIfOurs(info.pid, 'etcd'),
};
