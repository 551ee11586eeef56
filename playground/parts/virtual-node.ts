// The virtual node (playground/virtual-node/, Go, on the virtual-kubelet library): a Node named knative-desk-eci
// whose provider runs each Pod scheduled to it as local processes, each pod in a network namespace of its own on
// the playground bridge. It stands in for ASK's ECI virtual node. This part builds it (cached in
// `<cache>/bin/virtual-node-<source hash>`, so only a change of its Go sources or pins rebuilds it), writes its
// image map (`<dir>/virtual-node/images.json`: the barrage images → `node <esbuild bundle>`, the same bundle their
// Dockerfiles build, plus whatever images the caller adds, e.g. Knative's queue-proxy → the `queue` binary) and
// starts it. Needs root (network namespaces, a bridge, veths).
//
// Networking per playground dir: the user's default playground uses the prefix `kd` and 10.213.0.1/16 (bridge
// `kd-br0`); any other dir (tests) gets its own prefix and /24, derived from the dir, so two playgrounds never
// sweep each other's namespaces.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { barrageImages } from '../../workloads/images';
import { defaultCacheDir, type PartInfo } from '../info';
import { kubeconfigPath } from '../kubeconfig';
import {
  httpsAnswers,
  isExecutableFile,
  isOurProcess,
  requireTool,
  runningInfo,
  startDetached,
  stopIfOurs,
  waitUntilHealthy,
  playgroundDirOfLog,
} from '../processes';
import { bundleEntry } from './bundles';
import type { Part, PartContext } from './part';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const moduleDir = join(repoRoot, 'playground', 'virtual-node');

export const VIRTUAL_NODE_NAME = 'knative-desk-eci';
export const KUBELET_PORT = 10250;

/** How the node runs one image (images.json entry): `command` plays the ENTRYPOINT, `args` the CMD. */
export interface ImageEntry {
  command: string[];
  args?: string[];
  env?: Record<string, string>;
  dir?: string;
}

/** The bridge and name prefix of a playground dir. */
export interface NodeNetwork {
  prefix: string;
  /** The bridge's address with the pods' prefix length, e.g. 10.213.0.1/16; the address is the node's InternalIP. */
  bridgeCidr: string;
  internalIp: string;
}

/** The user's own playground dir (`<cache>/playground`), whatever KNATIVE_DESK_PLAYGROUND_DIR says (tests set it). */
const usersPlaygroundDir = () => join(defaultCacheDir(), 'playground');

export function nodeNetwork(dir: string): NodeNetwork {
  if (resolve(dir) === resolve(usersPlaygroundDir())) {
    return { prefix: 'kd', bridgeCidr: '10.213.0.1/16', internalIp: '10.213.0.1' };
  }
  const hash = createHash('sha256').update(resolve(dir)).digest();
  const prefix = `kd${(hash.readUInt16BE(0) % 46_656).toString(36).padStart(3, '0')}`;
  const internalIp = `10.${200 + ((hash[2] ?? 0) % 13)}.${hash[3] ?? 0}.1`;
  return { prefix, bridgeCidr: `${internalIp}/24`, internalIp };
}

/** Hash of everything the binary is built from: the Go sources and go.mod/go.sum (the pins). */
export function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.go$|^go\.(mod|sum)$/.test(name) && !name.endsWith('_test.go')) {
        hash.update(path.slice(moduleDir.length)).update('\0').update(readFileSync(path)).update('\0');
      }
    }
  };
  walk(moduleDir);
  return hash.digest('hex').slice(0, 16);
}

export const virtualNodeBinary = (ctx: Pick<PartContext, 'cache'>) =>
  join(ctx.cache, 'bin', `virtual-node-${sourceHash()}`);

let building: Promise<void> | undefined;

/** Builds the node once per source hash; `<binary>.build-seconds` records the wall time, as for the kube binaries. */
export function ensureVirtualNodeBinary(ctx: Pick<PartContext, 'cache' | 'progress'>): Promise<void> {
  const out = virtualNodeBinary(ctx);
  if (isExecutableFile(out)) return Promise.resolve();
  building ??= buildBinary(ctx, out).finally(() => (building = undefined));
  return building;
}

async function buildBinary(ctx: Pick<PartContext, 'progress'>, out: string): Promise<void> {
  requireTool('go', 'Go >= 1.26 (virtual-kubelet v1.14 needs it; https://go.dev/dl)');
  ctx.progress(
    'building the virtual node from the Go module proxy (first time only; a few minutes on 2 cores)',
  );
  mkdirSync(dirname(out), { recursive: true });
  const began = Date.now();
  const child = spawn('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', `${out}.tmp`, '.'], {
    cwd: moduleDir,
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0)
    throw new Error(`building the virtual node failed (exit ${code}):\n${output.trim().slice(-4000)}`);
  renameSync(`${out}.tmp`, out);
  writeFileSync(`${out}.build-seconds`, `${Math.round((Date.now() - began) / 1000)}\n`);
  // Builds of older sources are never used again (the name is the source hash): keep only this one.
  for (const name of readdirSync(dirname(out))) {
    if (name.startsWith('virtual-node-') && !name.startsWith(basename(out))) {
      rmSync(join(dirname(out), name), { force: true });
    }
  }
}

/**
 * Bundles a barrage entry as its Dockerfile does (esbuild, ESM, node24, the createRequire banner) into
 * `<cache>/workload-bundles/<id>-<hash>/main.mjs`, with the HomePage's one run-time asset beside it.
 */
export async function bundleWorkloads(cache: string): Promise<Record<string, ImageEntry>> {
  const entries: Record<string, ImageEntry> = {};
  for (const [id, image] of Object.entries(barrageImages)) {
    const target = await bundleEntry(cache, id, image.entry, (scratch) => {
      if (id !== 'homepage') return;
      const danmaku = join(repoRoot, 'node_modules', 'danmaku');
      mkdirSync(join(scratch, 'node_modules', 'danmaku', 'dist'), { recursive: true });
      cpSync(join(danmaku, 'package.json'), join(scratch, 'node_modules', 'danmaku', 'package.json'));
      cpSync(
        join(danmaku, 'dist', 'danmaku.min.js'),
        join(scratch, 'node_modules', 'danmaku', 'dist', 'danmaku.min.js'),
      );
    });
    // As the image runs it: distroless node with `CMD ["/app/main.mjs"]`, WORKDIR /app, NODE_ENV and PORT set.
    entries[image.image] = {
      command: [process.execPath, join(target, 'main.mjs')],
      env: { NODE_ENV: 'production', PORT: '8080' },
      dir: target,
    };
  }
  return entries;
}

export function imagesFile(dir: string): string {
  return join(dir, 'virtual-node', 'images.json');
}

function kubeletHealthy(ip: string): Promise<boolean> {
  return httpsAnswers({ host: ip, port: KUBELET_PORT, path: '/healthz', timeoutMs: 2_000 });
}

/** Removes every namespace and link a crashed node of this playground left (the binary's `--sweep`). */
export function sweepVirtualNode(dir: string, binary: string): void {
  if (!isExecutableFile(binary) || process.getuid?.() !== 0) return;
  spawnSync(binary, ['--sweep', '--net-prefix', nodeNetwork(dir).prefix], {
    stdio: 'ignore',
    timeout: 60_000,
  });
}

export interface VirtualNodeOptions {
  /** More images.json entries (e.g. Knative's queue-proxy image → the `queue` binary); they win over the defaults. */
  images?: (ctx: PartContext) => Record<string, ImageEntry> | Promise<Record<string, ImageEntry>>;
  dependsOn?: readonly string[];
}

/** Fails with what is needed when the node cannot make network namespaces here. */
export function requireRootForVirtualNode(): void {
  if (process.platform !== 'linux') {
    throw new Error(
      'the virtual node runs pods in Linux network namespaces; on macOS and Windows connect the console to a Knative cluster instead',
    );
  }
  if (process.getuid?.() !== 0) {
    throw new Error(
      'the virtual node needs root to make network namespaces, a bridge and veths (CAP_NET_ADMIN, CAP_SYS_ADMIN): run the playground as root, e.g. with sudo',
    );
  }
  requireTool('ip', 'iproute2 (apt-get install iproute2)');
}

export function virtualNodePart(options: VirtualNodeOptions = {}): Part {
  return {
    name: 'virtual-node',
    dependsOn: options.dependsOn ?? ['kube-apiserver'],
    async prepare(ctx) {
      requireRootForVirtualNode();
      await ensureVirtualNodeBinary(ctx);
    },
    async start(ctx): Promise<PartInfo> {
      requireRootForVirtualNode();
      const binary = virtualNodeBinary(ctx);
      const network = nodeNetwork(ctx.dir);
      const stateDir = join(ctx.dir, 'virtual-node');
      mkdirSync(stateDir, { recursive: true });
      const images = { ...(await bundleWorkloads(ctx.cache)), ...((await options.images?.(ctx)) ?? {}) };
      writeFileSync(imagesFile(ctx.dir), `${JSON.stringify(images, null, 2)}\n`);
      const proc = startDetached(
        binary,
        [
          `--kubeconfig=${kubeconfigPath(ctx.dir)}`,
          `--node-name=${VIRTUAL_NODE_NAME}`,
          `--state-dir=${stateDir}`,
          `--images=${imagesFile(ctx.dir)}`,
          `--net-prefix=${network.prefix}`,
          `--bridge-cidr=${network.bridgeCidr}`,
          `--kubelet-port=${KUBELET_PORT}`,
        ],
        { log: join(ctx.dir, 'logs', 'virtual-node.log') },
      );
      await waitUntilHealthy('virtual-node', proc, () => kubeletHealthy(network.internalIp), 120_000);
      return runningInfo(proc, KUBELET_PORT, { kubelet: KUBELET_PORT });
    },
    async isHealthy(info, ctx) {
      if (!isOurProcess(info.pid, '--node-name=')) return false;
      return kubeletHealthy(nodeNetwork(ctx.dir).internalIp);
    },
    async stop(info) {
      // The node stops its pods, removes its namespaces and links, and exits on SIGTERM; if it died instead, its
      // binary's --sweep removes what it left.
      await stopIfOurs(info.pid, '--node-name=', 30_000);
      sweepVirtualNode(playgroundDirOfLog(info.log), readCommandBinary(info) ?? '');
    },
    release(dir) {
      // The binary of the node's last start in this dir, as its log's header names it (none: it never started).
      const binary = readCommandBinary({ log: join(dir, 'logs', 'virtual-node.log') });
      if (binary) sweepVirtualNode(dir, binary);
    },
  };
}

/** The node's binary as recorded in the first line of its log run header, so `down` sweeps with the same build. */
function readCommandBinary(info: Pick<PartInfo, 'log'>): string | undefined {
  try {
    const log = readFileSync(info.log, 'utf8');
    const header = log.slice(log.lastIndexOf('\n=== ') + 1).split('\n')[0] ?? '';
    return /start: (\S+)/.exec(header)?.[1];
  } catch {
    return undefined;
  }
}
