// Guarded rollout through the engine against the playground: with traffic pinned to the first revision, a healthy
// second revision is shifted to in steps until it has 100 %; when the probes see errors, the previous split is put
// back and the reason given. Each outcome is read back from the Service's spec.traffic.
import { KubernetesObjectApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DeployEvent } from '../electron/common/schemas/deploy';
import type { RolloutEvent } from '../electron/common/schemas/manage';
import { PROBE_IMAGE } from '../playground/probe/probe-image';
import { engineFor, eventually } from './engine-harness';
import { createUniqueNamespace, kubeConfigFor, uniqueName } from './support/unique';
import { collectEvents } from './support/engine-in-namespace';
import { readKsvc } from './support/knative-objects';

const playground = inject('playground');
const harness = engineFor(playground);
const { api } = harness;
const context = playground.contexts.admin;
const objects = KubernetesObjectApi.makeApiClient(kubeConfigFor(playground, 'admin'));
let namespace: { name: string; remove: () => Promise<void> };
const name = uniqueName('roll').slice(0, 30);

type Ksvc = {
  spec: { traffic?: unknown[] };
  status?: { latestReadyRevisionName?: string; traffic?: { revisionName?: string; percent?: number }[] };
};
const read = () => readKsvc<Ksvc>(objects, namespace.name, name);

const collect = collectEvents;

beforeAll(async () => {
  namespace = await createUniqueNamespace(playground, 'engine-rollout');
  const form = { name, namespace: namespace.name, image: PROBE_IMAGE, minScale: 1 };
  const created = await collect<DeployEvent>((onEvent) =>
    api.manage.apply({ context, mode: 'create', form }, onEvent),
  );
  expect(created.at(-1)).toMatchObject({ ok: true });
  await eventually(read, (s) => s.status?.latestReadyRevisionName === `${name}-00001`, 'revision 1', 120_000);
  const loaded = await api.manage.form({ context, namespace: namespace.name, name });
  const edited = await collect<DeployEvent>((onEvent) =>
    api.manage.apply(
      {
        context,
        mode: 'edit',
        form: { ...loaded.form, containerConcurrency: 5 },
        // Guarded by the generation, as the console's editor sends it: Knative's controller keeps writing the
        // Service's status (each write moves the resourceVersion), which is no reason to refuse the edit.
        generation: loaded.generation!,
      },
      onEvent,
    ),
  );
  expect(edited.at(-1)).toMatchObject({ ok: true });
  await eventually(read, (s) => s.status?.latestReadyRevisionName === `${name}-00002`, 'revision 2', 120_000);
});
afterAll(async () => {
  await namespace?.remove();
  await harness.close();
});

async function pinToFirst() {
  await api.manage.rollback({ context, namespace: namespace.name, name, revision: `${name}-00001` });
  await eventually(
    read,
    (s) => s.status?.traffic?.some((t) => t.revisionName === `${name}-00001` && t.percent === 100) === true,
    'traffic pinned to revision 1',
  );
}

describe('guarded rollout', () => {
  it('refuses while traffic follows @latest, and says what to do', async () => {
    const events = await collect<RolloutEvent>((onEvent) =>
      api.manage.rollout(
        { context, namespace: namespace.name, name, steps: [100], intervalSeconds: 1 },
        onEvent,
      ),
    );
    expect(events.at(-1)).toMatchObject({ type: 'done', outcome: 'failed' });
    expect((events.at(-1) as { message: string }).message).toMatch(/Roll back to the current revision first/);
  });

  it('shifts a healthy revision in steps to 100 %', async () => {
    await pinToFirst();
    const events = await collect<RolloutEvent>((onEvent) =>
      api.manage.rollout(
        { context, namespace: namespace.name, name, steps: [50, 100], intervalSeconds: 1, probeRequests: 4 },
        onEvent,
      ),
    );
    expect(events.at(-1), JSON.stringify(events)).toMatchObject({ type: 'done', outcome: 'completed' });
    expect(
      events
        .filter((e) => e.type === 'step' && e.phase === 'watching')
        .map((e) => (e as { percent: number }).percent),
    ).toEqual([50, 100]);
    const health = events.filter((e) => e.type === 'health');
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((e) => e.type === 'health' && e.errors === 0)).toBe(true);
    expect((await read()).spec.traffic?.[0]).toEqual({
      revisionName: `${name}-00002`,
      latestRevision: false,
      percent: 100,
    });
  });

  it('puts the previous split back when the probes fail, and says why', async () => {
    await pinToFirst();
    const events = await collect<RolloutEvent>((onEvent) =>
      api.manage.rollout(
        {
          context,
          namespace: namespace.name,
          name,
          steps: [50, 100],
          intervalSeconds: 2,
          probeRequests: 4,
          // The probe image answers 500 to the first N requests for a key: every probe fails.
          probePath: '/?fail=1000000&key=rollout',
        },
        onEvent,
      ),
    );
    const done = events.at(-1);
    expect(done, JSON.stringify(events)).toMatchObject({ type: 'done', outcome: 'reverted' });
    expect((done as { message: string }).message).toMatch(/at 50 %, error rate 100.0 %/);
    expect((await read()).spec.traffic).toEqual([
      { revisionName: `${name}-00001`, latestRevision: false, percent: 100 },
    ]);
  });
});
