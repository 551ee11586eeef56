// The life of a Kubernetes control-plane binary as a playground part, written once for kube-apiserver,
// kube-controller-manager and kube-scheduler: one secure port (asked again on restart), a detached process with its
// log in the playground dir, healthy once its health endpoint answers, and recognised as ours only while its command
// line still names what it must be wired to (after a dependency moved, the old process keeps failing).
import { join } from 'node:path';
import type { PartInfo } from '../info';
import { ensureKubeBinaries } from '../kube-binaries';
import { pickPorts } from '../ports';
import { isOurProcess, runningInfo, startDetached, stopIfOurs, waitUntilHealthy } from '../processes';
import type { Part, PartContext } from './part';

export interface SecurePortPartOptions {
  name: 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler';
  dependsOn: readonly string[];
  binary: (ctx: PartContext) => string;
  /** The command line, given the secure port picked for this run. */
  flags: (ctx: PartContext, securePort: number) => string[];
  /** True when the process on `port` answers its health endpoint. */
  healthy: (ctx: PartContext, port: number) => Promise<boolean>;
  /** Text the process's command line must hold to belong to this playground as it is now. */
  wiredTo: (ctx: PartContext) => string;
  /** How long the first health check may take (first starts generate certificates). */
  startTimeoutMs: number;
  afterReady?: Part['afterReady'];
}

export function securePortPart(options: SecurePortPartOptions): Part {
  return {
    name: options.name,
    dependsOn: options.dependsOn,
    prepare: ensureKubeBinaries,
    async start(ctx, previous): Promise<PartInfo> {
      const { secure } = await pickPorts(['secure'], previous?.ports);
      const proc = startDetached(options.binary(ctx), options.flags(ctx, secure), {
        log: join(ctx.dir, 'logs', `${options.name}.log`),
      });
      await waitUntilHealthy(options.name, proc, () => options.healthy(ctx, secure), options.startTimeoutMs);
      return runningInfo(proc, secure, { secure });
    },
    async isHealthy(info, ctx) {
      if (!isOurProcess(info.pid, options.name) || !isOurProcess(info.pid, options.wiredTo(ctx)))
        return false;
      return info.port !== undefined && options.healthy(ctx, info.port);
    },
    ...(options.afterReady ? { afterReady: options.afterReady } : {}),
    stop: (info) => stopIfOurs(info.pid, options.name),
  };
}
