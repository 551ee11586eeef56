// The engine's side of the first run, against the playground: template defaults follow the context (its brokers,
// its SQLite folder, a topic and group per namespace), a missing namespace is reported and created with the
// console's label (and refused for the read-only context), and undeploy deletes only what the console manages.
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DeployEvent } from '../electron/common/schemas/deploy';
import { engineFor } from './engine-harness';
import { createKnativeService } from './support/runtime-helpers';
import { createUniqueNamespace, kubeConfigFor, uniqueName } from './support/unique';

const playground = inject('playground');
const harness = engineFor(playground);
const { api } = harness;
const admin = playground.contexts.admin;
const core = kubeConfigFor(playground, 'admin').makeApiClient(CoreV1Api);
const created: string[] = [];
let namespace: { name: string; remove: () => Promise<void> };

beforeAll(async () => {
  namespace = await createUniqueNamespace(playground, 'engine-first-run');
});
afterAll(async () => {
  await namespace?.remove();
  for (const name of created) await core.deleteNamespace({ name }).catch(() => {});
  await harness.close();
});

function defaultsOf(templates: { parameters: { name: string; default: unknown }[] }[]) {
  return Object.fromEntries(templates.flatMap((t) => t.parameters.map((p) => [p.name, p.default])));
}

describe('first run, engine side', () => {
  it('fills the defaults from the playground and the namespace', async () => {
    const { templates } = await api.deploy.templates({ context: admin, namespace: 'team-a' });
    const defaults = defaultsOf(templates);
    expect(defaults.kafkaServers).toBe(playground.kafkaBrokers.join(','));
    expect(defaults.store).toBe('sqlite');
    expect(defaults.sqlitePath).toBe(`${playground.dir}/barrage/team-a.sqlite`);
    expect(defaults.kafkaTopic).toBe('barrage-info.team-a');
    expect(defaults.consumerGroup).toBe('barrage-processing.team-a');
    const other = defaultsOf((await api.deploy.templates({ context: admin, namespace: 'team-b' })).templates);
    expect(other.consumerGroup).not.toBe(defaults.consumerGroup);
  });

  it('reports a missing namespace and creates it, labelled; the viewer may not', async () => {
    const name = uniqueName('first-run-ns');
    created.push(name);
    expect(await api.deploy.namespace({ context: admin, namespace: name })).toEqual({
      exists: false,
      canCreate: true,
    });
    const viewer = await api.deploy.namespace({ context: playground.contexts.viewer, namespace: name });
    expect(viewer.canCreate).toBe(false);
    await api.deploy.createNamespace({ context: admin, namespace: name });
    expect(await api.deploy.namespace({ context: admin, namespace: name })).toMatchObject({ exists: true });
    const live = await core.readNamespace({ name });
    expect(live.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('knative-desk');
  });

  it('undeploy leaves an object it does not manage in place and says so', async () => {
    // A Knative Service with the template's name, made by someone else (no managed-by label).
    await createKnativeService(kubeConfigFor(playground, 'admin'), namespace.name, {
      metadata: { name: 'barrage-processing' },
      spec: { template: { spec: { containers: [{ image: 'example.invalid/theirs:1' }] } } },
    });
    const events: DeployEvent[] = [];
    await api.deploy.undeploy(
      { context: admin, templateId: 'processing', namespace: namespace.name, parameters: {} },
      (event) => events.push(event),
    ).done;
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: true });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'object', phase: 'skipped', result: 'not-managed' }),
    );
    const still = await kubeConfigFor(playground, 'admin')
      .makeApiClient(CustomObjectsApi)
      .getNamespacedCustomObject({
        group: 'serving.knative.dev',
        version: 'v1',
        namespace: namespace.name,
        plural: 'services',
        name: 'barrage-processing',
      });
    expect((still as { metadata: { name: string } }).metadata.name).toBe('barrage-processing');
  });
});
