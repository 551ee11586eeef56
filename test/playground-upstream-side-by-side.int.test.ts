// Proof that upstream-mode playgrounds run side by side (issue 9: the user's own playground, the test run's, and
// parallel test files at once). Two private playgrounds in two dirs are brought up at the same time; checked with
// kubectl, ss and ip, clients this project did not write:
// - none of their processes listens on the host on a port Knative fixes upstream (autoscaler 8080, activator 8012
//   and 8013, profiling 8008, metrics 9090): the controller, autoscaler and activator listen inside network
//   namespaces of their own, one set per dir, on addresses that do not overlap;
// - in each, a Service scales to zero (the autoscaler scraping queue-proxy on the pod's bridge address from its
//   namespace), its public Service's endpoints then point at that playground's own activator, and a request at zero
//   is answered through it by that playground's pod;
// - `down` of one removes its namespaces, veths and routes and leaves the other's alone, which still answers;
// - after a crash (kill -9 of the Knative processes and the forwarder) the next `up` replaces the leftovers, and
//   `down` then leaves nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceInterface } from '../playground/parts/knative-serving';
import {
  componentNetwork,
  NETWORKED_COMPONENTS,
  type NetworkedComponent,
} from '../playground/parts/upstream-serving';
import { nodeNetwork } from '../playground/parts/virtual-node';
import { upPlayground } from '../playground/playground';
import { kubectl, kubectlJson, readyKsvcStatus, until } from './support/kubectl';
import { probeKsvc } from './support/probe-ksvc';
import { uniqueName } from './support/unique';
import { upUpstreamPlayground, type UpstreamPlayground } from './support/upstream-playground';
import { viaGateway } from './support/via-gateway';

const root = mkdtempSync(join(tmpdir(), 'knd-side-by-side-'));
const labels = ['a', 'b'] as const;
const dirs = labels.map((label) => join(root, label));
const namespace = 'default';
const name = uniqueName('side');
const FIXED_PORTS = [8080, 8012, 8013, 8008, 9090];
let playgrounds: UpstreamPlayground[] = [];

const sh = (command: string, args: string[]) => execFileSync(command, args, { encoding: 'utf8' });
const links = () => sh('ip', ['-o', 'link', 'show']);
const netnses = () => sh('ip', ['netns', 'list']);
const hostRoutes = () => sh('ip', ['-4', 'route', 'show']);
/** Listening TCP sockets as `{port, pid}` (ss -ltnpH), in the host's namespace or in a named one. */
function listeners(netns?: string): { port: number; pid: number }[] {
  const out = netns ? sh('ip', ['netns', 'exec', netns, 'ss', '-ltnpH']) : sh('ss', ['-ltnpH']);
  return out
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      const port = Number(/:(\d+)\s/.exec(line)?.[1]);
      return [...line.matchAll(/pid=(\d+)/g)].map((match) => ({ port, pid: Number(match[1]) }));
    });
}

const netOf = (index: number, component: NetworkedComponent) => componentNetwork(dirs[index]!, component);
/** The host's route to a component's veth, e.g. `10.215.7.32/30 dev kdk…`. */
const routeOf = (index: number, component: NetworkedComponent) => {
  const { hostIp, hostLink } = netOf(index, component);
  const octets = hostIp.split('.').map(Number);
  return `${octets.slice(0, 3).join('.')}.${octets[3]! - 1}/30 dev ${hostLink}`;
};

const endpointAddress = async (index: number, service: string, ns = namespace) =>
  (
    await kubectl(playgrounds[index]!.info, [
      'get',
      'endpoints',
      service,
      '-n',
      ns,
      '-o',
      'jsonpath={.subsets[*].addresses[*].ip}:{.subsets[*].ports[*].port}',
    ])
  ).stdout;

const podsOf = async (index: number) =>
  (
    await kubectlJson<{ items: { status: { phase: string } }[] }>(playgrounds[index]!.info, [
      'get',
      'pods',
      '-n',
      namespace,
      '-l',
      `serving.knative.dev/service=${name}`,
    ])
  ).items;

beforeAll(async () => {
  const started = await Promise.allSettled(
    dirs.map((dir, index) => upUpstreamPlayground(`side-${labels[index]}`, dir)),
  );
  playgrounds = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}, 900_000);

afterAll(async () => {
  for (const playground of playgrounds) await playground.release().catch(() => {});
  rmSync(root, { recursive: true, force: true });
}, 300_000);

describe('two upstream-mode playgrounds side by side', () => {
  it('binds none of the ports Knative fixes on the host: each component listens in its own namespace', () => {
    const ours = new Set(
      playgrounds.flatMap((playground) => Object.values(playground.info.parts).map((part) => part.pid)),
    );
    const onHost = listeners().filter((listener) => ours.has(listener.pid));
    expect(onHost.length).toBeGreaterThan(0);
    expect(onHost.filter((listener) => FIXED_PORTS.includes(listener.port))).toEqual([]);

    const wanted: Record<NetworkedComponent, number[]> = {
      controller: [8080],
      autoscaler: [8080],
      activator: [8012, 8013],
    };
    for (const index of [0, 1]) {
      for (const component of NETWORKED_COMPONENTS) {
        const net = netOf(index, component);
        const pid = playgrounds[index]!.info.parts[`knative-${component}`]!.pid;
        const inside = listeners(net.netns).filter((listener) => listener.pid === pid);
        expect(inside.map((listener) => listener.port)).toEqual(expect.arrayContaining(wanted[component]));
      }
    }
    const addresses = [0, 1].flatMap((index) => NETWORKED_COMPONENTS.map((c) => netOf(index, c).nsIp));
    expect(new Set(addresses).size).toBe(6);
    expect(netOf(0, 'controller').block).not.toBe(netOf(1, 'controller').block);
  });

  it('scales a Service in each to zero and answers a request at zero through that playground’s activator', async () => {
    await Promise.all(
      [0, 1].map(async (index) => {
        const playground = playgrounds[index]!.info;
        expect(await endpointAddress(index, 'autoscaler', 'knative-serving')).toBe(
          `${netOf(index, 'autoscaler').nsIp}:8080`,
        );
        // The shortest stable window upstream allows, so scaling to zero does not wait a minute.
        const service = probeKsvc(name, namespace, {
          annotations: { 'autoscaling.knative.dev/window': '6s' },
          env: [{ name: 'GREETING', value: labels[index]! }],
        });
        const applied = await kubectl(playground, ['apply', '-f', '-'], { input: JSON.stringify(service) });
        expect(applied.code, applied.stderr).toBe(0);
        const ready = await readyKsvcStatus(playground, name, namespace);
        const revision = ready.latestReadyRevisionName ?? '';
        const host = new URL(ready.url ?? '').host;
        // The autoscaler decides from queue-proxy's metrics, scraped on the pod's bridge address from its namespace.
        await until(
          `the revision in ${labels[index]} to scale to zero`,
          async () => ((await podsOf(index)).length === 0 ? true : undefined),
          240_000,
        );
        // At zero, Knative's SKS points the revision's public Service at the activator: this playground's own.
        expect(await endpointAddress(index, revision)).toBe(`${netOf(index, 'activator').nsIp}:8012`);
        const answered = await viaGateway(playground.ingress as string, host, '/_probe/stats');
        expect(answered.status, answered.body).toBe(200);
        expect(JSON.parse(answered.body)).toMatchObject({ greeting: labels[index] });
        expect((await podsOf(index)).some((pod) => pod.status.phase === 'Running')).toBe(true);
      }),
    );
  }, 420_000);

  it('down of one removes its namespaces, veths and routes, and leaves the other answering', async () => {
    const ownedBy = (index: number) => [
      ...NETWORKED_COMPONENTS.map((component) => netOf(index, component).hostLink),
      serviceInterface(dirs[index]!).link,
      `${nodeNetwork(dirs[index]!).prefix}-br0`,
    ];
    for (const link of [...ownedBy(0), ...ownedBy(1)]) expect(links()).toContain(`${link}`);
    await playgrounds[0]!.release();
    const after = links();
    for (const link of ownedBy(0)) expect(after).not.toContain(`${link}`);
    for (const link of ownedBy(1)) expect(after).toContain(`${link}`);
    for (const component of NETWORKED_COMPONENTS) {
      expect(netnses()).not.toContain(netOf(0, component).netns);
      expect(netnses()).toContain(netOf(1, component).netns);
      expect(hostRoutes()).not.toContain(routeOf(0, component));
      expect(hostRoutes()).toContain(routeOf(1, component));
    }
    expect(netnses()).not.toContain(`${nodeNetwork(dirs[0]!).prefix}-`);

    const playground = playgrounds[1]!.info;
    const answered = await viaGateway(
      playground.ingress as string,
      `${name}.${namespace}.svc.cluster.local`,
      '/_probe/stats',
    );
    expect(answered.status, answered.body).toBe(200);
    expect(JSON.parse(answered.body)).toMatchObject({ greeting: 'b' });
  }, 120_000);

  it('after a crash, the next up replaces what was left and down then leaves nothing', async () => {
    const survivor = playgrounds[1]!;
    const crashed = ['knative-net', ...NETWORKED_COMPONENTS.map((component) => `knative-${component}`)];
    for (const part of crashed) process.kill(survivor.info.parts[part]!.pid, 'SIGKILL');
    // What a crash leaves: the namespaces and veths, with nothing running in them.
    for (const component of NETWORKED_COMPONENTS) expect(netnses()).toContain(netOf(1, component).netns);

    const { info } = await upPlayground(survivor.options);
    for (const part of crashed) expect(info.parts[part]!.pid).not.toBe(survivor.info.parts[part]!.pid);
    for (const component of NETWORKED_COMPONENTS) {
      const net = netOf(1, component);
      // One namespace and one veth per component: the old ones were removed, not shadowed.
      expect(
        netnses()
          .split('\n')
          .filter((line) => line.startsWith(`${net.netns} `)),
      ).toHaveLength(1);
      expect(
        links()
          .split('\n')
          .filter((line) => line.includes(` ${net.hostLink}@`)),
      ).toHaveLength(1);
    }
    const answered = await viaGateway(
      info.ingress as string,
      `${name}.${namespace}.svc.cluster.local`,
      '/_probe/stats',
    );
    expect(answered.status, answered.body).toBe(200);

    await survivor.release();
    const after = links();
    for (const component of NETWORKED_COMPONENTS) {
      expect(after).not.toContain(netOf(1, component).hostLink);
      expect(netnses()).not.toContain(netOf(1, component).netns);
      expect(hostRoutes()).not.toContain(routeOf(1, component));
    }
  }, 300_000);
});
