// A part that is a long-running Node/TypeScript process of this repo (e.g. the KIngress, kingress/kingress-main.ts),
// started with tsx and given the state file path as its only argument. Contract for such a script:
//   - read `<dir>/state.json` (argv[2]) for the kubeconfig, Kafka brokers and ports of the parts it depends on;
//   - when it serves, write `<dir>/<readyFile>` (default runtime.json) as a JSON object that includes
//     `"pid": process.pid` — that is its readiness signal, and its other top-level fields (e.g. `fc`, `ingress`)
//     are merged into the playground info that `up --json` prints;
//   - exit on SIGTERM.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PartInfo } from '../info';
import { isOurProcess, startDetached, stopIfOurs, waitUntilHealthy } from '../processes';
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
  const script = resolve(repoRoot, options.script);
  const readyFile = options.readyFile ?? 'runtime.json';
  // The pid-reuse guard matches the repo-relative script path, not the absolute one: a playground started from
  // another checkout of this repo (a CI clone, a worktree) is still recognised, reused and stopped, instead of a
  // second copy being started beside it.
  const needle = options.script;
  return {
    name: options.name,
    dependsOn: options.dependsOn,
    async start(ctx): Promise<PartInfo> {
      // tsx's loader resolved from this repo, so the process runs the same TypeScript the tests see.
      const tsx = createRequire(import.meta.url).resolve('tsx');
      const proc = startDetached(process.execPath, ['--import', tsx, script, ctx.stateFile], {
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
      return isOurProcess(info.pid, needle) && readyFileNames(ctx.dir, readyFile, info.pid);
    },
    stop: (info) => stopIfOurs(info.pid, needle),
  };
}
