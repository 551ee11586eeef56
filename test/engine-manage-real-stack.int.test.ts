// What only the real stack gives (issue 11's logs, on Knative Serving with queue-proxy and
// the virtual node serving the kubelet API): the console's logs of a Service's pods, merged with each line tagged by
// pod and container, followed and narrowed to one container. Runs on a private playground
// (test/support/upstream-playground.ts). The shared test playground runs the same stack, so these checks could move
// onto it (inject('playground')) and spare a second playground.
import { KubernetesObjectApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployEvent } from '../electron/common/schemas/deploy';
import type { LogsEvent } from '../electron/common/schemas/manage';
import { PROBE_IMAGE } from '../playground/probe/probe-image';
import { engineFor, eventually, type EngineHarness } from './engine-harness';
import { createUniqueNamespace, kubeConfigFor, uniqueName } from './support/unique';
import { upUpstreamPlayground, type UpstreamPlayground } from './support/upstream-playground';

let upstream: UpstreamPlayground;
let harness: EngineHarness;
let context: string;
let namespace: { name: string; remove: () => Promise<void> };
const name = uniqueName('logs').slice(0, 30);

beforeAll(async () => {
  upstream = await upUpstreamPlayground('real-stack');
  const playground = upstream.info;
  harness = engineFor(playground);
  context = playground.contexts.admin;
  const objects = KubernetesObjectApi.makeApiClient(kubeConfigFor(playground, 'admin'));
  namespace = await createUniqueNamespace(playground, 'engine-logs');
  const events: DeployEvent[] = [];
  await harness.api.manage.apply(
    { context, mode: 'create', form: { name, namespace: namespace.name, image: PROBE_IMAGE, minScale: 1 } },
    (event) => events.push(event),
  ).done;
  expect(events.at(-1)).toMatchObject({ ok: true });
  await eventually(
    async () =>
      (
        (await objects.read({
          apiVersion: 'serving.knative.dev/v1',
          kind: 'Service',
          metadata: { name, namespace: namespace.name },
        })) as { status?: { latestReadyRevisionName?: string } }
      ).status?.latestReadyRevisionName,
    (ready) => ready === `${name}-00001`,
    'the revision to be ready',
    180_000,
  );
}, 900_000);

afterAll(async () => {
  await namespace?.remove();
  await harness?.close();
  await upstream?.release();
}, 300_000);

describe('logs', () => {
  it('reads every container of every pod, each line tagged with its pod and container', async () => {
    const events: LogsEvent[] = [];
    await harness.api.manage.logs({ context, namespace: namespace.name, name, follow: false }, (event) =>
      events.push(event),
    ).done;
    const sources = events.filter((e) => e.type === 'source');
    expect(
      sources.filter((s) => s.state === 'error'),
      JSON.stringify(sources),
    ).toEqual([]);
    expect(new Set(sources.map((s) => s.container))).toEqual(new Set(['user-container', 'queue-proxy']));
    const lines = events.flatMap((e) => (e.type === 'lines' ? e.lines : []));
    const queueLines = lines.filter((line) => line.container === 'queue-proxy');
    expect(queueLines.length).toBeGreaterThan(0);
    expect(queueLines[0]!.pod).toMatch(new RegExp(`^${name}-00001-deployment-`));
    expect(queueLines[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    const userLines = lines.filter((line) => line.container === 'user-container');
    expect(userLines.map((line) => line.text).join('\n')).toContain('probe listening');
  });

  it('narrows to one container and follows until closed', async () => {
    const events: LogsEvent[] = [];
    const stream = harness.api.manage.logs(
      { context, namespace: namespace.name, name, container: 'queue-proxy', follow: true, tailLines: 5 },
      (event) => events.push(event),
    );
    await eventually(
      () => events.flatMap((e) => (e.type === 'lines' ? e.lines : [])),
      (lines) => lines.length > 0,
      'followed lines',
    );
    stream();
    const containers = new Set(
      events.flatMap((e) => (e.type === 'lines' ? e.lines.map((l) => l.container) : [])),
    );
    expect([...containers]).toEqual(['queue-proxy']);
  });
});
