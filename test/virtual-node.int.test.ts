// The virtual node (playground/virtual-node/) against the test playground's real kube-apiserver: Pods bound to
// the node (spec.nodeName set, as kube-scheduler would) run as local processes in network namespaces of their own.
// Checked through the Kubernetes API only, as kubectl would see it: a pod becomes Ready through its readiness probe
// (an httpGet that must carry its header), its env is resolved as a kubelet does (fieldRef status.podIP,
// configMapKeyRef), its logs are read through the API server (which reaches the node's kubelet API); a crashing
// container restarts with restartCount and lastState, and its previous logs are readable; deleting a pod runs its
// preStop hook and removes its network namespace; an image missing from the image map is reported as a kubelet
// would; a Pod bound to another node is left alone.
// Needs root (network namespaces): the part fails with what is needed otherwise.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CoreV1Api, DiscoveryV1Api, Log, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isPidAlive } from '../playground/info';
import {
  imagesFile,
  nodeNetwork,
  VIRTUAL_NODE_NAME,
  virtualNodePart,
} from '../playground/parts/virtual-node';
import { etcdPart } from '../playground/parts/etcd';
import { kubeApiserverPart } from '../playground/parts/kube-apiserver';
import { kubeControllerManagerPart } from '../playground/parts/kube-controllers';
import type { PlaygroundInfo } from '../playground/info';
import { downPlayground, upPlayground } from '../playground/playground';
import { eventually } from './engine-harness';
import { createUniqueNamespace, kubeConfigFor } from './support/unique';

const playground = inject('playground');
const kubeConfig = kubeConfigFor(playground, 'admin');
const core = kubeConfig.makeApiClient(CoreV1Api);
const discovery = kubeConfig.makeApiClient(DiscoveryV1Api);
const scratch = mkdtempSync(join(tmpdir(), 'kd-vnode-test-'));

// A tiny HTTP server as the "image": ready only for requests carrying the probe's header, logs its env.
const serverScript = `
const http = require('node:http');
console.log('started pod-ip=' + process.env.MY_POD_IP + ' greeting=' + process.env.GREETING);
http.createServer((req, res) => {
  res.writeHead(req.headers['x-probe'] === 'vnode' ? 200 : 503);
  res.end();
}).listen(8080, () => console.log('listening on 8080'));
process.on('SIGTERM', () => { console.log('got SIGTERM'); process.exit(0); });
`;

// Resolves a Service name inside the pod (glibc, through the pod's /etc/hosts) and calls it, every 300 ms.
const resolverScript = `
const dns = require('node:dns');
const http = require('node:http');
const name = process.env.TARGET;
setInterval(() => dns.lookup(name, { family: 4 }, (err, address) => {
  if (err) return console.log('unresolved ' + name);
  http.get({ host: name, port: 8080, path: '/', headers: { 'x-probe': 'vnode' } }, (res) => {
    console.log('resolved ' + name + ' to ' + address + ' status ' + res.statusCode);
    res.resume();
  }).on('error', (e) => console.log('resolved ' + name + ' to ' + address + ' error ' + e.message));
}), 300);
`;

const testImages = {
  'knative-desk-test/resolver:1': { command: [process.execPath, '-e', resolverScript] },
  'knative-desk-test/server:1': { command: [process.execPath, '-e', serverScript] },
  'knative-desk-test/shell:1': { command: ['/bin/sh', '-c'] },
};

let namespace: { name: string; remove: () => Promise<void> };
let imagesBefore: string | undefined;

beforeAll(async () => {
  namespace = await createUniqueNamespace(playground, 'vnode');
  // The playground's node re-reads its image map at every container start: add this file's images (undone in
  // afterAll).
  imagesBefore = readFileSync(imagesFile(playground.dir), 'utf8');
  const merged = { ...(JSON.parse(imagesBefore) as object), ...testImages };
  writeFileSync(imagesFile(playground.dir), JSON.stringify(merged, null, 2));
}, 900_000);

afterAll(async () => {
  // Without a controller-manager in the test playground, deleting the namespace would not delete its pods: delete
  // them first and wait until the node has stopped them and they are gone.
  if (namespace) {
    await core
      .deleteCollectionNamespacedPod({ namespace: namespace.name, gracePeriodSeconds: 1 })
      .catch(() => {});
    // The pod bound to a node that does not exist has no kubelet to finish its deletion.
    await core
      .deleteNamespacedPod({ name: 'elsewhere', namespace: namespace.name, gracePeriodSeconds: 0 })
      .catch(() => {});
    await eventually(
      () => core.listNamespacedPod({ namespace: namespace.name }).then((list) => list.items.length),
      (count) => count === 0,
      'the test pods to be gone',
    ).catch(() => {});
  }
  await namespace?.remove();
  if (imagesBefore !== undefined) writeFileSync(imagesFile(playground.dir), imagesBefore);
  rmSync(scratch, { recursive: true, force: true });
}, 120_000);

function pod(
  name: string,
  spec: Partial<V1Pod['spec']> & { containers: NonNullable<V1Pod['spec']>['containers'] },
): V1Pod {
  return {
    metadata: { name, namespace: namespace.name },
    spec: { nodeName: VIRTUAL_NODE_NAME, terminationGracePeriodSeconds: 5, ...spec },
  };
}

/** Creates the pod on the virtual node (see `pod`). */
const createPod = (name: string, spec: Parameters<typeof pod>[1]) =>
  core.createNamespacedPod({ namespace: namespace.name, body: pod(name, spec) });
/** The log of the main container's previous run (kubectl logs --previous). */
const previousLog = (name: string) =>
  core.readNamespacedPodLog({ name, namespace: namespace.name, container: 'main', previous: true });
const readPod = (name: string) => core.readNamespacedPod({ name, namespace: namespace.name });
const status = (p: V1Pod, container: string) =>
  p.status?.containerStatuses?.find((c) => c.name === container);

describe('the virtual node', () => {
  it('registers a Ready node whose InternalIP is the playground bridge', async () => {
    const node = await eventually(
      () => core.readNode({ name: VIRTUAL_NODE_NAME }),
      (n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      'the node to be Ready',
    );
    expect(node.status?.addresses).toContainEqual({
      type: 'InternalIP',
      address: nodeNetwork(playground.dir).internalIp,
    });
  });

  it('runs a pod that becomes Ready through its readiness probe, with env resolved and logs readable', async () => {
    await core.createNamespacedConfigMap({
      namespace: namespace.name,
      body: { metadata: { name: 'settings' }, data: { greeting: 'hello-from-configmap' } },
    });
    await createPod('web', {
      containers: [
        {
          name: 'server',
          image: 'knative-desk-test/server:1',
          ports: [{ name: 'http', containerPort: 8080 }],
          env: [
            { name: 'MY_POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'settings', key: 'greeting' } } },
          ],
          readinessProbe: {
            httpGet: { path: '/', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'vnode' }] },
            periodSeconds: 1,
          },
        },
      ],
    });
    const ready = await eventually(
      () => readPod('web'),
      (p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      'pod web to be Ready',
    );
    expect(ready.status?.phase).toBe('Running');
    const podIP = ready.status?.podIP ?? '';
    expect(podIP.startsWith(nodeNetwork(playground.dir).internalIp.split('.').slice(0, 2).join('.'))).toBe(
      true,
    );
    expect(status(ready, 'server')).toMatchObject({ ready: true, started: true, restartCount: 0 });
    expect(ready.status?.conditions?.map((c) => c.type)).toEqual(
      expect.arrayContaining(['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']),
    );

    const logs = await eventually(
      () => core.readNamespacedPodLog({ name: 'web', namespace: namespace.name, container: 'server' }),
      (text) => text.includes('listening on 8080'),
      'the pod logs through the API server',
    );
    expect(logs).toContain(`started pod-ip=${podIP} greeting=hello-from-configmap`);
  });

  it('restarts a crashing container, counting restarts, with the previous run logs readable', async () => {
    await createPod('crash', {
      containers: [
        { name: 'main', image: 'knative-desk-test/shell:1', args: ['echo run of the crasher; exit 3'] },
      ],
    });
    const restarted = await eventually(
      () => readPod('crash'),
      (p) => (status(p, 'main')?.restartCount ?? 0) >= 1,
      'the crashing container to be restarted',
    );
    const main = status(restarted, 'main');
    expect(main?.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    const previous = await previousLog('crash');
    expect(previous).toContain('run of the crasher');
  });

  it('runs preStop on deletion, then removes the pod and its network namespace', async () => {
    const marker = join(scratch, 'prestop-ran');
    await createPod('stopping', {
      containers: [
        {
          name: 'main',
          image: 'knative-desk-test/shell:1',
          args: ['trap "echo term; exit 0" TERM; while true; do sleep 0.2; done'],
          lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', `echo prestop > ${marker}`] } } },
        },
      ],
    });
    const running = await eventually(
      () => readPod('stopping'),
      (p) => status(p, 'main')?.state?.running !== undefined && !!p.status?.podIP,
      'pod stopping to run',
    );
    const [, , c, d] = (running.status?.podIP ?? '').split('.');
    const netnsPath = `/var/run/netns/${nodeNetwork(playground.dir).prefix}-${c}-${d}`;
    expect(existsSync(netnsPath)).toBe(true);

    await core.deleteNamespacedPod({ name: 'stopping', namespace: namespace.name });
    await eventually(
      () =>
        readPod('stopping').then(
          () => 'present',
          (error: { code?: number }) => (error.code === 404 ? 'gone' : 'error'),
        ),
      (state) => state === 'gone',
      'the deleted pod to disappear',
    );
    expect(readFileSync(marker, 'utf8').trim()).toBe('prestop');
    expect(existsSync(netnsPath)).toBe(false);
  });

  it('follows logs as they are written (kubectl logs -f)', async () => {
    await createPod('ticker', {
      containers: [
        {
          name: 'main',
          image: 'knative-desk-test/shell:1',
          args: ['i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.3; done'],
        },
      ],
    });
    await eventually(
      () => readPod('ticker'),
      (p) => status(p, 'main')?.state?.running !== undefined,
      'pod ticker to run',
    );
    const stream = new PassThrough();
    let received = '';
    let ended = false;
    stream.on('data', (chunk: Buffer) => (received += chunk.toString()));
    stream.on('end', () => (ended = true));
    // Ask for only the last line, then keep following: the later ticks can only arrive through the open stream.
    await new Log(kubeConfig).log(namespace.name, 'ticker', 'main', stream, () => {}, {
      follow: true,
      tailLines: 1,
    });
    const first = await eventually(
      () => received,
      (text) => /tick (\d+)/.test(text),
      'the first followed line',
    );
    const firstTick = Number(/tick (\d+)/.exec(first)?.[1]);
    await eventually(
      () => received,
      (text) => text.includes(`tick ${firstTick + 3}\n`),
      'three more ticks through the followed stream',
    );
    expect(received.split('\n').filter((line) => line.startsWith('tick')).length).toBeGreaterThanOrEqual(4);
    // The followed stream ends when the container does, as with a kubelet.
    await core.deleteNamespacedPod({ name: 'ticker', namespace: namespace.name, gracePeriodSeconds: 1 });
    await eventually(
      () => ended,
      (done) => done,
      'the followed stream to end with the container',
    );
  });

  it('restarts a container whose exec liveness probe fails, and kills one that ignores SIGTERM after the grace period', async () => {
    await createPod('unhealthy', {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'main',
          image: 'knative-desk-test/shell:1',
          // Ignores SIGTERM: only the SIGKILL after the grace period ends it.
          args: ['trap "echo ignoring TERM" TERM; while true; do sleep 0.2; done'],
          livenessProbe: {
            exec: { command: ['/bin/sh', '-c', 'test -f /nonexistent-knative-desk-file'] },
            // Time for the shell to install its trap first: a TERM before that ends it with 143, not 137.
            initialDelaySeconds: 2,
            periodSeconds: 1,
            failureThreshold: 1,
          },
        },
      ],
    });
    const restarted = await eventually(
      () => readPod('unhealthy'),
      (p) => (status(p, 'main')?.restartCount ?? 0) >= 1,
      'the unhealthy container to be restarted',
    );
    // Killed by SIGKILL (128 + 9) after it ignored SIGTERM for the grace period.
    expect(status(restarted, 'main')?.lastState?.terminated?.exitCode).toBe(137);
    const previous = await previousLog('unhealthy');
    expect(previous).toContain('ignoring TERM');
  });

  it('resolves <svc>.<ns>.svc.cluster.local inside pods to a ready endpoint, following EndpointSlice changes', async () => {
    await createPod('backend', { containers: [{ name: 'server', image: 'knative-desk-test/server:1' }] });
    const backend = await eventually(
      () => readPod('backend'),
      (p) => status(p, 'server')?.state?.running !== undefined && !!p.status?.podIP,
      'pod backend to run',
    );
    const backendIP = backend.status?.podIP ?? '';
    const serviceName = `backend-svc.${namespace.name}.svc.cluster.local`;
    // A pod that resolves `target` and calls it every 300 ms; the returned function reads its log.
    const resolverPod = async (name: string, target: string) => {
      await createPod(name, {
        containers: [
          { name: 'main', image: 'knative-desk-test/resolver:1', env: [{ name: 'TARGET', value: target }] },
        ],
      });
      return () =>
        core.readNamespacedPodLog({ name, namespace: namespace.name, container: 'main' }).catch(() => '');
    };
    const podLog = await resolverPod('resolver', serviceName);
    // Before the Service has endpoints the name does not resolve...
    await eventually(
      podLog,
      (text) => text.includes(`unresolved ${serviceName}`),
      'the name to be unresolved first',
    );
    await core.createNamespacedService({
      namespace: namespace.name,
      body: { metadata: { name: 'backend-svc' }, spec: { ports: [{ port: 8080, targetPort: 8080 }] } },
    });
    // ...no controller-manager runs in the test playground, so the EndpointSlice is written as its controller would.
    await discovery.createNamespacedEndpointSlice({
      namespace: namespace.name,
      body: {
        metadata: { name: 'backend-svc-1', labels: { 'kubernetes.io/service-name': 'backend-svc' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: [backendIP], conditions: { ready: true } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    });
    const resolved = await eventually(
      podLog,
      (text) => text.includes(`resolved ${serviceName} to ${backendIP} status 200`),
      'the Service name to resolve to the backend and answer',
    );
    expect(resolved).toContain(`to ${backendIP} status 200`);
    // An ExternalName Service is the CNAME cluster DNS makes of it (Knative's Route makes one per Knative Service,
    // naming the internal gateway's Service): a pod reaches the Service it names.
    await core.createNamespacedService({
      namespace: namespace.name,
      body: { metadata: { name: 'alias-svc' }, spec: { type: 'ExternalName', externalName: serviceName } },
    });
    const aliasName = `alias-svc.${namespace.name}`;
    const aliasLog = await resolverPod('alias-resolver', aliasName);
    await eventually(
      aliasLog,
      (text) => text.includes(`resolved ${aliasName} to ${backendIP} status 200`),
      'the ExternalName to resolve to the Service it names',
    );
  });

  it('reports an image missing from the image map as a kubelet would, and leaves other nodes pods alone', async () => {
    await createPod('elsewhere', {
      nodeName: 'some-other-node',
      containers: [{ name: 'main', image: 'knative-desk-test/server:1' }],
    });
    await createPod('missing', { containers: [{ name: 'main', image: 'example.com/not-in-the-map:1' }] });
    const waiting = await eventually(
      () => readPod('missing'),
      (p) => ['ErrImagePull', 'ImagePullBackOff'].includes(status(p, 'main')?.state?.waiting?.reason ?? ''),
      'the missing image to be reported',
    );
    expect(waiting.status?.phase).toBe('Pending');
    expect(status(waiting, 'main')?.state?.waiting?.message).toContain('example.com/not-in-the-map:1');
    // By now the node has handled a pod created after the other node's pod, which got no status from it.
    const elsewhere = await readPod('elsewhere');
    expect(elsewhere.status?.podIP).toBeUndefined();
    expect(elsewhere.status?.containerStatuses).toBeUndefined();
  });
});

// A crash needs a node of its own: the shared playground's node serves every other file in parallel. So this block
// brings up a private playground (etcd, kube-apiserver, the controller manager for the namespace's service account,
// and a virtual node with this file's images), kills its node as a crash would (SIGKILL) and runs `up` again, the
// way a user recovers; `up` must remove what the dead node left and run its pods again.
describe('the virtual node after a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'knd-vnode-crash-'));
  const options = {
    dir,
    parts: [
      etcdPart,
      kubeApiserverPart,
      kubeControllerManagerPart,
      virtualNodePart({ images: () => testImages }),
    ],
    progress: () => {},
  };
  let info: PlaygroundInfo;
  beforeAll(async () => {
    info = (await upPlayground(options)).info;
  }, 600_000);
  afterAll(async () => {
    await downPlayground(options);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('the next `up` removes what the dead node left and runs its pods again', async () => {
    const privateCore = kubeConfigFor(info, 'admin').makeApiClient(CoreV1Api);
    const name = 'survivor';
    const ns = 'crash';
    await privateCore.createNamespace({ body: { metadata: { name: ns } } });
    const body = pod(name, {
      containers: [
        { name: 'main', image: 'knative-desk-test/shell:1', args: ['while true; do sleep 0.2; done'] },
      ],
    });
    // The namespace's service account comes from the controller manager a moment after the namespace.
    await eventually(
      () =>
        privateCore
          .createNamespacedPod({ namespace: ns, body: { ...body, metadata: { name, namespace: ns } } })
          .then(() => true)
          .catch(() => false),
      (created) => created,
      'pod survivor to be admitted',
    );
    const readSurvivor = () => privateCore.readNamespacedPod({ name, namespace: ns });
    const before = await eventually(
      readSurvivor,
      (p) => status(p, 'main')?.state?.running !== undefined && !!p.status?.podIP,
      'pod survivor to run',
    );
    const [, , c, d] = (before.status?.podIP ?? '').split('.');
    const netnsName = `${nodeNetwork(dir).prefix}-${c}-${d}`;
    const pids = execFileSync('ip', ['netns', 'pids', netnsName], { encoding: 'utf8' })
      .split(/\s+/)
      .filter(Boolean);
    expect(pids.length).toBeGreaterThan(0);

    const nodePid = info.parts['virtual-node']?.pid ?? 0;
    expect(isPidAlive(nodePid)).toBe(true);
    process.kill(nodePid, 'SIGKILL');
    await eventually(
      async () => isPidAlive(nodePid),
      (alive) => !alive,
      'the node to die',
    );
    expect(existsSync(`/var/run/netns/${netnsName}`)).toBe(true); // left behind by the crash

    const again = await upPlayground(options);
    expect(again.started).toContain('virtual-node');
    for (const pid of pids) expect(isPidAlive(Number(pid))).toBe(false);
    const after = await eventually(
      readSurvivor,
      (p) =>
        status(p, 'main')?.state?.running !== undefined &&
        status(p, 'main')?.containerID !== status(before, 'main')?.containerID,
      'pod survivor to run again on the restarted node',
    );
    expect(after.status?.phase).toBe('Running');
  });
});
