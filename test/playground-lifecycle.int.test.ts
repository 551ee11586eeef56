// The playground's lifecycle on a private playground dir (so the shared one other tests use is never touched):
// up starts, a second up reuses, a dead part is reported with its log and restarted (on another port when its own
// was taken meanwhile), down stops by pid; the CLI speaks JSON and names a missing tool. Only the Kubernetes parts
// run here (every other part is left out with --without): Kafka would be a second JVM on a small machine, and
// Knative's autoscaler and activator hold host ports only one playground may have; other tests prove those.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { isPidAlive, readPlaygroundInfo, type PlaygroundInfo } from '../playground/info';
import { serviceInterface } from '../playground/parts/knative-serving';
import { parts } from '../playground/parts';
import { downPlayground, playgroundStatus, upPlayground } from '../playground/playground';
import { KUBE_PARTS } from './support/file-fixtures';
import { kubeConfigFor } from './support/unique';

const root = mkdtempSync(join(tmpdir(), 'knd-lifecycle-'));
const dir = join(root, 'playground');
/** Every part but KUBE_PARTS (test/support/file-fixtures.ts), as `--without` names them. */
const without = parts.filter((part) => !KUBE_PARTS.includes(part)).map((part) => part.name);
const KUBE_PART_NAMES = KUBE_PARTS.map((part) => part.name);
// Progress goes to a file beside the playground: quiet in the test output, there to read when a step hangs.
const progress = (message: string) =>
  appendFileSync(join(root, 'progress.log'), `${new Date().toISOString()} ${message}\n`);
const options = { dir, without, progress };
const repoRoot = join(import.meta.dirname, '..');

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'playground/cli.ts', ...args], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes a port the way another program would, accepting and dropping connections so the old kube-apiserver retrying
 * its etcd cannot keep it busy. A few bounded retries cover sockets the kernel is still tearing down.
 */
async function blockPort(port: number): Promise<Server> {
  for (let attempt = 1; ; attempt += 1) {
    const server = createServer((socket) => socket.destroy());
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, host: '127.0.0.1' }, resolve);
      });
      return server;
    } catch (error) {
      if (attempt >= 50) throw error;
      await sleep(100);
    }
  }
}

/** Pids of live processes whose command line holds `<dir>/` and `needle` (the playground's parts all name their dir). */
function processesOf(playgroundDir: string, needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(`${playgroundDir}/`) && cmdline.includes(needle)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const links = () => execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });

/**
 * Runs `up` on the CLI and SIGKILLs it once `part` runs but is not in the state file yet (it is starting); resolves
 * with that process's pid.
 */
async function killCliUpWhile(part: string): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'playground/cli.ts', 'up', '--dir', dir, '--without', without.join(',')],
    { cwd: repoRoot, stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 180_000;
  try {
    for (;;) {
      const recorded = new Set(Object.values(readPlaygroundInfo(dir)?.parts ?? {}).map((p) => p.pid));
      const starting = processesOf(dir, `${part}-`).find((pid) => !recorded.has(pid));
      if (starting !== undefined) return starting;
      if (child.exitCode !== null)
        throw new Error(`up ended (exit ${child.exitCode}) before ${part} was caught starting`);
      if (Date.now() > deadline) throw new Error(`${part} was not caught starting within 180 s`);
      await sleep(20);
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

let blocker: Server | undefined;
afterAll(async () => {
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  await downPlayground(options).catch(() => {});
  await downPlayground({ ...options, dir: join(root, 'no-go') }).catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

describe('playground lifecycle', () => {
  let first: PlaygroundInfo;

  it('up starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and the Knative webhook and writes a working kubeconfig', async () => {
    const { info, started, reused } = await upPlayground(options);
    first = info;
    expect(started.sort()).toEqual([...KUBE_PART_NAMES].sort());
    expect(reused).toEqual([]);
    expect(info.kafkaBrokers).toEqual([]);
    expect(info.apiServer).toBe(`https://127.0.0.1:${info.parts['kube-apiserver']?.port}`);
    expect(existsSync(info.kubeconfig)).toBe(true);
    const namespaces = await kubeConfigFor(info, 'admin').makeApiClient(CoreV1Api).listNamespace();
    const names = namespaces.items.map((ns) => ns.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'knative-desk-demo']));
  });

  it('a second up reuses the running parts', async () => {
    const { info, started, reused } = await upPlayground(options);
    expect(started).toEqual([]);
    expect(reused.sort()).toEqual([...KUBE_PART_NAMES].sort());
    expect(info.parts.etcd?.pid).toBe(first.parts.etcd?.pid);
    expect(info.apiServer).toBe(first.apiServer);
  });

  it('reports a dead part with its log and restarts it on a new port when its own was taken', async () => {
    const etcd = first.parts.etcd!;
    process.kill(etcd.pid, 'SIGKILL');
    // Wait until it is a zombie or gone: the kernel closes a dying process's sockets only after it has dropped its
    // memory (an empty /proc/<pid>/cmdline is not yet enough), and the zombie state comes after both.
    while (isPidAlive(etcd.pid)) await sleep(50);
    blocker = await blockPort(etcd.port!);

    const status = await playgroundStatus(options);
    expect(status.healthy).toBe(false);
    expect(status.parts.etcd).toMatchObject({
      running: false,
      healthy: false,
      log: join(dir, 'logs', 'etcd.log'),
    });

    const { info, started } = await upPlayground(options);
    expect(started).toContain('etcd');
    // kube-apiserver was wired to the old etcd port, so it is restarted too. It asks for its own port again, but
    // tests running beside this one bind ephemeral ports from the same range, so that port may be gone: either way
    // the kubeconfig must name the port it now serves on, and work.
    expect(started).toContain('kube-apiserver');
    expect(info.parts.etcd?.port).not.toBe(etcd.port);
    expect(info.apiServer).toBe(`https://127.0.0.1:${info.parts['kube-apiserver']?.port}`);
    const reloaded = kubeConfigFor(info, 'admin');
    expect(reloaded.getCurrentCluster()?.server).toBe(info.apiServer);
    const namespaces = await reloaded.makeApiClient(CoreV1Api).listNamespace();
    expect(namespaces.items.map((ns) => ns.metadata?.name)).toContain('knative-desk-demo');
    expect((await playgroundStatus(options)).healthy).toBe(true);
    first = info;
    // Two restarts, one of them stopping an API server that lost its etcd (it can take its full grace period).
  }, 300_000);

  it('status --json on the CLI lists the parts with pids, ports and logs', () => {
    const { code, stdout } = cli(['status', '--json', '--dir', dir, '--without', without.join(',')]);
    expect(code).toBe(0);
    const status = JSON.parse(stdout) as { healthy: boolean; parts: PlaygroundInfo['parts'] };
    expect(status.healthy).toBe(true);
    expect(status.parts.etcd).toMatchObject({ pid: first.parts.etcd?.pid, port: first.parts.etcd?.port });
    expect(status.parts['kube-apiserver']?.log).toBe(join(dir, 'logs', 'kube-apiserver.log'));
  });

  it('down stops every part by pid and status then says so', async () => {
    const { stopped } = await downPlayground(options);
    expect(stopped.sort()).toEqual([...KUBE_PART_NAMES].sort());
    expect(isPidAlive(first.parts['kube-controller-manager']!.pid)).toBe(false);
    expect(isPidAlive(first.parts.etcd!.pid)).toBe(false);
    expect(isPidAlive(first.parts['kube-apiserver']!.pid)).toBe(false);
    const { code, stdout } = cli(['status', '--dir', dir, '--without', without.join(',')]);
    expect(code).toBe(1);
    expect(stdout).toContain('NOT healthy');
  });

  it('after a CLI up is killed while a part starts, the next up and then down stop what it left', async () => {
    // As after a Ctrl-C during `up`: the parts run detached, in sessions of their own, and outlive the CLI; the one
    // still starting is in no state file. Caught here: Knative's webhook, whose service interface is made first.
    const orphan = await killCliUpWhile('knative-webhook');
    expect(isPidAlive(orphan)).toBe(true);
    expect(links()).toContain(`${serviceInterface(dir).link}@`);

    const messages: string[] = [];
    const { info } = await upPlayground({ ...options, progress: (message) => messages.push(message) });
    expect(messages).toContain(
      `stopped pid ${orphan} (knative-webhook), started by an up that did not finish`,
    );
    expect(isPidAlive(orphan)).toBe(false);
    expect(processesOf(dir, 'knative-webhook')).toEqual([info.parts['knative-webhook']?.pid]);
    expect((await playgroundStatus(options)).healthy).toBe(true);
    await downPlayground(options);

    const second = await killCliUpWhile('knative-webhook');
    await downPlayground(options);
    expect(isPidAlive(second)).toBe(false);
    expect(processesOf(dir, '')).toEqual([]);
    expect(links()).not.toContain(serviceInterface(dir).link);
  }, 300_000);

  it('the CLI rejects an unknown command with its usage', () => {
    const { code, stderr } = cli(['sideways']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command: sideways');
    expect(stderr).toContain('usage: npm run -s playground');
  });

  it('the CLI names what to install when go is missing', () => {
    // PATH with only Node: the cached binaries still start, but the Knative CRDs come from the Go module cache.
    const { code, stderr } = cli(['up', '--without', without.join(','), '--dir', join(root, 'no-go')], {
      ...process.env,
      PATH: dirname(process.execPath),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/'go' was not found on PATH; install Go/);
  });
});
