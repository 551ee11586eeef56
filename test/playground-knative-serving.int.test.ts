// Proof of the playground's Knative Serving (issue 9, stage 3), checked with
// kubectl: upstream Knative Serving's controller, autoscaler and activator (each in a network namespace of its own)
// turn a Service into a Revision whose `<rev>-deployment` runs Pods with `user-container` and the real `queue-proxy`
// on the virtual node; the Service turns Ready through our KIngress's status; `kubectl logs` reads both containers
// through the node's kubelet API; a request through the KIngress gateway with the Service's Host gets a 2xx; a
// cluster-local host is not served by the public gateway; the revision scales to zero and a request at zero is
// answered through the activator; a 50/50 split with a tag reaches both revisions and the tag host its own; `down`
// removes every interface and namespace the mode made.
//
// Like the webhook's proof it brings up a private playground of its own (a temp dir, no Kafka), whatever mode the
// default `up` is in (test/support/upstream-playground.ts); playground-upstream-side-by-side.int.test.ts shows two
// such playgrounds at once.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlaygroundInfo } from '../playground/info';
import { LEADER_ELECTION, serviceInterface } from '../playground/parts/knative-serving';
import { componentNetwork, NETWORKED_COMPONENTS } from '../playground/parts/upstream-serving';
import { nodeNetwork } from '../playground/parts/virtual-node';
import { downPlayground, upPlayground } from '../playground/playground';
import { kubectl, kubectlJson, readyKsvcStatus, until } from './support/kubectl';
import { uniqueName } from './support/unique';
import { privateUpstreamPlayground } from './support/upstream-playground';
import { applyReadyKsvc } from './support/knative-objects';
import { probeKsvc } from './support/probe-ksvc';
import { viaGateway } from './support/via-gateway';

const ownPlayground = privateUpstreamPlayground('serving');
const dir = ownPlayground.dir;
const namespace = 'default';
const name = uniqueName('hello');
let playground: PlaygroundInfo;

const json = <T>(args: string[]) => kubectlJson<T>(playground, args);
const links = () => execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
const netnses = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });

interface Pod {
  metadata: { name: string };
  spec: { containers: { name: string }[] };
  status: { phase: string; containerStatuses?: { name: string; ready: boolean }[] };
}

const podsOf = async (revision: string) =>
  (
    await json<{ items: Pod[] }>([
      'get',
      'pods',
      '-n',
      namespace,
      '-l',
      `serving.knative.dev/revision=${revision}`,
    ])
  ).items;

const gatewayOf = (key: 'ingress' | 'ingressPublic') => playground[key] as string;

beforeAll(() => {
  playground = ownPlayground.upstream.info;
});

describe('the playground on upstream Knative Serving', () => {
  let revision = '';
  let host = '';

  it('runs a Service as a Revision Deployment whose pods hold user-container and queue-proxy, and turns Ready', async () => {
    // The shortest stable window upstream allows, so the scale-to-zero case below does not wait a minute.
    const service = probeKsvc(name, namespace, { annotations: { 'autoscaling.knative.dev/window': '6s' } });
    const applied = await kubectl(playground, ['apply', '-f', '-'], { input: JSON.stringify(service) });
    expect(applied.code, applied.stderr).toBe(0);

    const ready = await readyKsvcStatus(playground, name, namespace);
    revision = ready.latestReadyRevisionName ?? '';
    host = new URL(ready.url ?? '').host;
    expect(revision).toBe(`${name}-00001`);

    const deployment = await json<{ metadata: { ownerReferences: { kind: string; name: string }[] } }>([
      'get',
      'deployment',
      `${revision}-deployment`,
      '-n',
      namespace,
    ]);
    expect(deployment.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Revision', name: revision }),
    ]);
    const pods = await podsOf(revision);
    expect(pods.length).toBeGreaterThanOrEqual(1);
    for (const pod of pods) {
      expect(pod.spec.containers.map((c) => c.name).sort()).toEqual(['queue-proxy', 'user-container']);
    }
    const kingress = await json<{
      metadata: { annotations: Record<string, string> };
      status: { conditions: { type: string; status: string }[] };
    }>(['get', 'kingress', name, '-n', namespace]);
    expect(kingress.metadata.annotations['networking.knative.dev/ingress.class']).toBe(
      'kdesk.ingress.networking.knative.dev',
    );
    expect(
      kingress.status.conditions
        .filter((c) => c.status === 'True')
        .map((c) => c.type)
        .sort(),
    ).toEqual(['LoadBalancerReady', 'NetworkConfigured', 'Ready']);
  }, 240_000);

  it('reads both containers with kubectl logs', async () => {
    const [pod] = await podsOf(revision);
    const logsOf = (container: string) =>
      kubectl(playground, ['logs', '-n', namespace, pod!.metadata.name, '-c', container]);
    const queue = await logsOf('queue-proxy');
    expect(queue.code, queue.stderr).toBe(0);
    expect(queue.stdout).toContain('"logger":"queueproxy"');
    const user = await logsOf('user-container');
    expect(user.code, user.stderr).toBe(0);
    expect(user.stdout).toContain('probe listening on 127.0.0.1:8080');
  });

  it('answers through the KIngress gateway by Host, and keeps a cluster-local host off the public gateway', async () => {
    const answered = await viaGateway(gatewayOf('ingress'), host, '/hello?x=1');
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body)).toMatchObject({ path: '/hello' });
    // Knative's default domain makes every Service cluster-local (visibility ClusterLocal in its KIngress rule).
    expect(host).toBe(`${name}.${namespace}.svc.cluster.local`);
    const refused = await viaGateway(gatewayOf('ingressPublic'), host);
    expect(refused.status).toBe(404);
    const unknown = await viaGateway(gatewayOf('ingress'), `nope.${namespace}.svc.cluster.local`);
    expect(unknown.status).toBe(404);
    // The public gateway is published as a cluster's load balancer would be: the ingress Service's status.
    const balancer = await kubectl(playground, [
      'get',
      'service',
      'kdesk-gateway',
      '-n',
      'knative-serving',
      '-o',
      'jsonpath={.spec.type} {.status.loadBalancer.ingress[0].ip}',
    ]);
    expect(balancer.stdout).toBe(`LoadBalancer ${serviceInterface(dir).ip}`);
    const viaBalancer = await viaGateway(`http://${serviceInterface(dir).ip}`, host);
    expect(viaBalancer.status).toBe(404);
    expect(viaBalancer.body).toContain('no public route');
    // Pods reach cluster-local routes at kdesk-gateway-internal: the internal gateway on the second service address.
    const internal = await kubectl(playground, [
      'get',
      'endpoints',
      'kdesk-gateway-internal',
      '-n',
      'knative-serving',
      '-o',
      'jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}',
    ]);
    expect(internal.stdout).toBe(`${serviceInterface(dir).internalIp}:80`);
    const viaInternal = await viaGateway(`http://${serviceInterface(dir).internalIp}`, host, '/inside');
    expect(viaInternal.status).toBe(200);
    expect(JSON.parse(viaInternal.body)).toMatchObject({ path: '/inside' });
  });

  it('scales the revision to zero and answers a request at zero through the activator', async () => {
    await until(
      'the revision to scale to zero',
      async () => ((await podsOf(revision)).length === 0 ? true : undefined),
      240_000,
    );
    const began = Date.now();
    const answered = await viaGateway(gatewayOf('ingress'), host, '/from-zero');
    const coldStartMs = Date.now() - began;
    process.stderr.write(`[serving] request at zero → ${answered.status} in ${coldStartMs} ms\n`);
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body)).toMatchObject({ path: '/from-zero' });
    const pods = await podsOf(revision);
    expect(pods.some((pod) => pod.status.phase === 'Running')).toBe(true);
  }, 300_000);

  it('splits traffic by percent across revisions and routes a tag host to its revision', async () => {
    const service = probeKsvc(
      name,
      namespace,
      {
        annotations: { 'autoscaling.knative.dev/min-scale': '1' },
        env: [{ name: 'GREETING', value: 'two' }],
      },
      [
        { revisionName: revision, percent: 50 },
        { latestRevision: true, percent: 50, tag: 'canary' },
      ],
    );
    await applyReadyKsvc(playground, service);
    const greetings = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const answered = await viaGateway(gatewayOf('ingress'), host, '/_probe/stats');
      expect(answered.status).toBe(200);
      greetings.add((JSON.parse(answered.body) as { greeting: string }).greeting);
    }
    // 20 requests at 50/50: both revisions answer (all on one side: p = 2·0.5^20).
    expect([...greetings].sort()).toEqual(['', 'two']);
    for (let i = 0; i < 3; i++) {
      const tagged = await viaGateway(gatewayOf('ingress'), `canary-${host}`, '/_probe/stats');
      expect(tagged.status).toBe(200);
      expect(JSON.parse(tagged.body)).toMatchObject({ greeting: 'two' });
    }
  }, 300_000);

  it('comes back leading at once after its webhook and controller are killed (-9) with their Leases held', async () => {
    interface Lease {
      metadata: { name: string };
      spec: { acquireTime?: string; holderIdentity?: string; leaseDurationSeconds?: number };
    }
    const leasesOf = async (component: string) =>
      (await json<{ items: Lease[] }>(['get', 'leases', '-n', 'knative-serving'])).items.filter((lease) =>
        lease.metadata.name.startsWith(`${component}.`),
      );
    const held = await leasesOf('webhook');
    expect(held.map((lease) => lease.metadata.name)).toContain('webhook.defaultingwebhook.00-of-01');
    expect((await leasesOf('controller')).length).toBeGreaterThan(0);
    // The playground's config-leader-election reached the components (upstream's 60 s would renew 6 times as often).
    expect(new Set(held.map((lease) => lease.spec.leaseDurationSeconds))).toEqual(
      new Set([Number.parseInt(LEADER_ELECTION['lease-duration'], 10)]),
    );
    const killedAt = Date.now();
    for (const part of ['knative-webhook', 'knative-controller']) {
      const pid = playground.parts[part]?.pid;
      expect(pid).toBeGreaterThan(0);
      process.kill(pid!, 'SIGKILL');
    }
    // Before the parts dropped their dead Leases, the webhook waited a full leaseDuration (then 60 s, now 150 s) for
    // its own and `up` failed on its 60 s caBundle wait, and the controller reconciled nothing for as long.
    playground = (await upPlayground(ownPlayground.upstream.options)).info;
    const acquiredAfterKill = async (component: string) => {
      const leases = await leasesOf(component);
      return (
        leases.length > 0 &&
        leases.every(
          (lease) => Date.parse(lease.spec.acquireTime ?? '') >= Math.floor(killedAt / 1000) * 1000,
        )
      );
    };
    expect(await acquiredAfterKill('webhook')).toBe(true);
    await until(
      "the restarted controller's Leases, well within the 150 s a dead holder's would have cost",
      async () => ((await acquiredAfterKill('controller')) ? true : undefined),
      30_000,
    );
  }, 300_000);

  it('removes its interfaces and namespaces on down', async () => {
    const node = nodeNetwork(dir);
    const components = NETWORKED_COMPONENTS.map((component) => componentNetwork(dir, component));
    expect(links()).toContain(`${serviceInterface(dir).link}@`);
    for (const net of components) expect(netnses()).toContain(net.netns);
    await downPlayground(ownPlayground.upstream.options);
    const after = links();
    expect(after).not.toContain(serviceInterface(dir).link);
    expect(after).not.toContain(`${node.prefix}-br0`);
    for (const net of components) {
      expect(after).not.toContain(net.hostLink);
      expect(netnses()).not.toContain(net.netns);
    }
    expect(netnses()).not.toContain(`${node.prefix}-`);
  }, 120_000);
});
