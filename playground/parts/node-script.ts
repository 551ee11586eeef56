// A part that is a long-running Node/TypeScript process of this repo (e.g. the KIngress, kingress/kingress-main.ts),
// bundled at `up` (bundles.ts) and started as `node <bundle>/main.mjs <state file>`. Contract for such a script:
//   - read `<dir>/state.json` (argv[2]) for the kubeconfig, Kafka brokers and ports of the parts it depends on;
//   - when it serves, write `<dir>/<readyFile>` (default runtime.json) as a JSON object that includes
//     `"pid": process.pid` — that is its readiness signal, and its other top-level fields (e.g. `fc`, `ingress`)
//     are merged into the playground info that `up --json` prints;
//   - exit on SIGTERM.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PartInfo } from '../info';
import { isOurProcess, startDetached, stopPid, waitUntilHealthy } from '../processes';
import { bundleEntry } from './bundles';
import type { Part } from './part';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function readyFileNames(dir: string, readyFile: string, pid: number): boolean {
  const path = join(dir, readyFile);
  if (!existsSync(path)) return false;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown }).pid === pid;
  } catch {
    return false; // being written
  }
}

export function nodeScriptPart(options: {
  name: string;
  /** Path from the repo root, e.g. 'playground/kingress/kingress-main.ts'. */
  script: string;
  dependsOn: readonly string[];
  readyFile?: string;
  startTimeoutMs?: number;
}): Part {
  const readyFile = options.readyFile ?? 'runtime.json';
  const bundleId = `playground-${options.name}`;
  // The pid-reuse guard matches the bundle's folder (`workload-bundles/playground-<name>-<hash>/main.mjs`), which
  // is the same from any checkout of this repo (a CI clone, a worktree): a playground started from another one is
  // still recognised, reused and stopped, instead of a second copy being started beside it. It also matches the
  // script path, which the command line of a process started before bundles (through tsx) holds, so the first `up`
  // after an update stops that one too.
  const isOurs = (pid: number) => isOurProcess(pid, `/${bundleId}-`) || isOurProcess(pid, options.script);
  return {
    name: options.name,
    dependsOn: options.dependsOn,
    async start(ctx): Promise<PartInfo> {
      const bundle = await bundleEntry(ctx.cache, bundleId, options.script);
      const proc = startDetached(process.execPath, [join(bundle, 'main.mjs'), ctx.stateFile], {
        log: join(ctx.dir, 'logs', `${options.name}.log`),
        cwd: repoRoot,
      });
      await waitUntilHealthy(
        options.name,
        proc,
        async () => readyFileNames(ctx.dir, readyFile, proc.pid),
        options.startTimeoutMs ?? 60_000,
      );
      return { running: true, pid: proc.pid, log: proc.log, startedAt: new Date().toISOString() };
    },
    async isHealthy(info, ctx) {
      return isOurs(info.pid) && readyFileNames(ctx.dir, readyFile, info.pid);
    },
    async stop(info) {
      if (isOurs(info.pid)) await stopPid(info.pid);
    },
  };
}
