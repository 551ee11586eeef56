// Managing a Knative Service through the engine, against the playground, each action read back as kubectl would
// see it: create from the form (a new Secret + secretKeyRef env, autoscaling annotations, cluster-local), the edit
// that makes a new revision (with a 409 for a racing writer and nothing written), traffic split with a tag (a sum of
// 90 and a tag used twice refused before the server, nothing changed), rollback and roll forward, deleting an
// unrouted revision behind its guard, comparing two revisions, export/import with revisions, events, why-not-ready
// for an image that cannot run, permissions of the read-only context, Knative presence.
import { CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

import type { DeployEvent } from '../electron/common/schemas/deploy';
import type { ServiceFormInput } from '../electron/common/schemas/manage';
import { PROBE_IMAGE } from '../playground/probe/probe-image';
import { eventually } from './engine-harness';
import { createUniqueNamespace, kubeConfigFor, uniqueName } from './support/unique';
import { collectEvents, engineInNamespace } from './support/engine-in-namespace';
import { mergePatchKsvc, readKsvc, revisionNames, warnOnRevision } from './support/knative-objects';

const { playground, api, context, namespace } = engineInNamespace('engine-manage');
const kc = kubeConfigFor(playground, 'admin');
const objects = KubernetesObjectApi.makeApiClient(kc);
const core = kc.makeApiClient(CoreV1Api);

type Ksvc = {
  metadata: {
    name: string;
    resourceVersion: string;
    generation: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    template: { metadata?: { annotations?: Record<string, string> }; spec: Record<string, unknown> };
    traffic?: unknown[];
  };
  status?: {
    latestReadyRevisionName?: string;
    latestCreatedRevisionName?: string;
    traffic?: { revisionName?: string; percent?: number; tag?: string; url?: string }[];
    conditions?: { type: string; status: string }[];
  };
};

const kubectlGet = (name: string) => readKsvc<Ksvc>(objects, namespace.name, name);

const run = collectEvents<DeployEvent>;

function baseForm(name: string): ServiceFormInput {
  return {
    name,
    namespace: namespace.name,
    workloadClass: 'eci',
    image: PROBE_IMAGE,
    env: [
      { source: 'value', name: 'GREETING', value: 'hi' },
      { source: 'secret', name: 'TOKEN', secretName: `${name}-secrets`, secretKey: 'token' },
    ],
    newSecrets: [{ name: `${name}-secrets`, values: { token: 'not-shown' } }],
    containerConcurrency: 4,
    minScale: 0,
    maxScale: 3,
    window: '60s',
    timeoutSeconds: 60,
  };
}

const ready = (service: Ksvc, revision: string) =>
  service.status?.latestReadyRevisionName === revision &&
  service.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Waits (2 min at most) until Service `name` is Ready with `revision` as its latest ready one. */
const readyWith = (name: string, revision: string, what: string) =>
  eventually(
    () => kubectlGet(name),
    (s) => ready(s, revision),
    what,
    120_000,
  );

describe('manage a Knative Service', () => {
  const name = uniqueName('hello').slice(0, 30);
  /** Asks the engine to delete the first revision, its name typed again as the guard wants. */
  const deleteFirstRevision = () =>
    api.manage.deleteRevisions({
      context,
      namespace: namespace.name,
      name,
      revisions: [`${name}-00001`],
      confirm: [`${name}-00001`],
    });

  it('sees Knative Serving installed', async () => {
    expect(await api.manage.knative({ context })).toMatchObject({ serving: true, missing: [] });
  });

  it('creates a Service from the form: preview masks the secret, dry run passes, apply writes Secret then Service', async () => {
    const form = baseForm(name);
    const plan = await api.manage.plan({ context, mode: 'create', form });
    expect(plan.error).toBeNull();
    expect(plan.objects.map((o) => [o.ref.kind, o.action])).toEqual([
      ['Secret', 'create'],
      ['Service', 'create'],
    ]);
    expect(plan.objects[0]!.yaml).not.toContain('not-shown');
    const events = await run((onEvent) => api.manage.apply({ context, mode: 'create', form }, onEvent));
    expect(events.at(-1), JSON.stringify(events)).toMatchObject({ type: 'done', ok: true });

    const secret = await core.readNamespacedSecret({ name: `${name}-secrets`, namespace: namespace.name });
    expect(Buffer.from(secret.data!.token!, 'base64').toString()).toBe('not-shown');
    const service = await kubectlGet(name);
    const container = (service.spec.template.spec.containers as Record<string, unknown>[])[0]!;
    expect(container.env).toEqual([
      { name: 'GREETING', value: 'hi' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: `${name}-secrets`, key: 'token' } } },
    ]);
    expect(service.spec.template.spec.containerConcurrency).toBe(4);
    expect(service.spec.template.metadata?.annotations).toMatchObject({
      'autoscaling.knative.dev/min-scale': '0',
      'autoscaling.knative.dev/max-scale': '3',
      'autoscaling.knative.dev/window': '60s',
    });
    await readyWith(name, `${name}-00001`, 'the first revision to be ready');
  });

  it('refuses to create a Service whose name exists, and leaves no Secret behind', async () => {
    const form = { ...baseForm(name), newSecrets: [{ name: `${name}-other`, values: { token: 'x' } }] };
    const events = await run((onEvent) => api.manage.apply({ context, mode: 'create', form }, onEvent));
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: false, error: { code: 'conflict' } });
    const secret = await core
      .readNamespacedSecret({ name: `${name}-other`, namespace: namespace.name })
      .catch((e: unknown) => e);
    expect((secret as { code?: number }).code).toBe(404);
  });

  it('edits from the prefilled form: the diff shows the change, a racing writer gets 409 and nothing is written', async () => {
    const loaded = await api.manage.form({ context, namespace: namespace.name, name });
    expect(loaded.form.containerConcurrency).toBe(4);
    expect(loaded.form.env).toContainEqual({
      source: 'secret',
      name: 'TOKEN',
      secretName: `${name}-secrets`,
      secretKey: 'token',
    });
    const form = { ...loaded.form, containerConcurrency: 2 };
    const plan = await api.manage.plan({ context, mode: 'edit', form, generation: loaded.generation! });
    expect(plan.objects[0]).toMatchObject({ action: 'update' });
    expect(plan.objects[0]!.diff).toMatch(/-\s+containerConcurrency: 4/);
    expect(plan.objects[0]!.diff).toMatch(/\+\s+containerConcurrency: 2/);

    // Another writer changes the Service's metadata and its spec (traffic: Knative's webhook already wrote 100 % to
    // @latest, so the other writer adds a tag) after the form was read.
    const live = await kubectlGet(name);
    await mergePatchKsvc(objects, namespace.name, name, 'other-writer', {
      metadata: { annotations: { 'example.com/other-writer': 'yes' } },
      spec: { traffic: [{ latestRevision: true, percent: 100, tag: 'current' }] },
    });
    const raced = await run((onEvent) =>
      api.manage.apply({ context, mode: 'edit', form, generation: loaded.generation! }, onEvent),
    );
    expect(raced.at(-1)).toMatchObject({ type: 'done', ok: false, error: { code: 'conflict' } });
    expect((raced.at(-1) as { error: { message: string } }).error.message).toMatch(/changed by someone else/);
    const after = await kubectlGet(name);
    expect(after.spec.template.spec.containerConcurrency).toBe(4);
    expect(after.metadata.resourceVersion).not.toBe(live.metadata.resourceVersion);

    const fresh = await api.manage.form({ context, namespace: namespace.name, name });
    const saved = await run((onEvent) =>
      api.manage.apply(
        {
          context,
          mode: 'edit',
          form: { ...fresh.form, containerConcurrency: 2 },
          generation: fresh.generation!,
        },
        onEvent,
      ),
    );
    expect(saved.at(-1), JSON.stringify(saved)).toMatchObject({ type: 'done', ok: true });
    const edited = await kubectlGet(name);
    expect(edited.spec.template.spec.containerConcurrency).toBe(2);
    // What the other writer did and the form does not show is kept.
    expect(edited.spec.traffic).toEqual([{ latestRevision: true, percent: 100, tag: 'current' }]);
    expect(edited.metadata.annotations?.['example.com/other-writer']).toBe('yes');
    await readyWith(name, `${name}-00002`, 'the second revision to be ready');
  });

  it('lists both revisions with traffic, generation, image and readiness', async () => {
    // The revision's Ready can still be settling right after the Service turned Ready (a busy machine): poll it.
    const view = await eventually(
      () => api.manage.revisions({ context, namespace: namespace.name, name }),
      (v) => v.revisions[0]?.ready === 'True',
      'the latest revision to read Ready',
      60_000,
    );
    expect(view.revisions.map((r) => [r.name, r.generation, r.trafficPercent, r.latestReady])).toEqual([
      [`${name}-00002`, 2, 100, true],
      [`${name}-00001`, 1, 0, false],
    ]);
    expect(view.revisions[0]).toMatchObject({ image: PROBE_IMAGE, ready: 'True', routed: true });
    expect(view.revisions[1]).toMatchObject({ routed: false });
  });

  it('refuses a traffic sum of 90 and a tag used twice before the server, changing nothing', async () => {
    const before = await kubectlGet(name);
    const ninety = await api.manage
      .setTraffic({
        context,
        namespace: namespace.name,
        name,
        rows: [
          { revision: `${name}-00001`, percent: 40 },
          { revision: '@latest', percent: 50 },
        ],
      })
      .catch((e: unknown) => e);
    expect(String((ninety as Error).message)).toMatch(/add up to 90/);
    const twice = await api.manage
      .setTraffic({
        context,
        namespace: namespace.name,
        name,
        rows: [
          { revision: `${name}-00001`, percent: 50, tag: 'blue' },
          { revision: '@latest', percent: 50, tag: 'blue' },
        ],
      })
      .catch((e: unknown) => e);
    expect(String((twice as Error).message)).toMatch(/tag "blue" is already used/);
    expect((await kubectlGet(name)).metadata.generation).toBe(before.metadata.generation);
  });

  it('splits traffic with a tag, and the Service reports it in effect with the tag URL', async () => {
    const { generation } = await api.manage.revisions({ context, namespace: namespace.name, name });
    await api.manage.setTraffic({
      context,
      namespace: namespace.name,
      name,
      generation: generation!,
      rows: [
        { revision: `${name}-00001`, percent: 30, tag: 'old' },
        { revision: '@latest', percent: 70 },
      ],
    });
    const service = await eventually(
      () => kubectlGet(name),
      (s) => s.status?.traffic?.some((t) => t.tag === 'old' && t.percent === 30) === true,
      'the split to be in effect',
    );
    expect(service.spec.traffic).toEqual([
      { revisionName: `${name}-00001`, latestRevision: false, percent: 30, tag: 'old' },
      { latestRevision: true, percent: 70 },
    ]);
    const view = await api.manage.revisions({ context, namespace: namespace.name, name });
    expect(view.revisions.find((r) => r.name === `${name}-00001`)).toMatchObject({
      trafficPercent: 30,
      tags: ['old'],
    });
  });

  it('rolls back to a revision and forward to latest, keeping the tag', async () => {
    await api.manage.rollback({ context, namespace: namespace.name, name, revision: `${name}-00001` });
    let service = await kubectlGet(name);
    expect(service.spec.traffic).toEqual([
      { revisionName: `${name}-00001`, latestRevision: false, percent: 100 },
      { revisionName: `${name}-00001`, latestRevision: false, percent: 0, tag: 'old' },
    ]);
    await eventually(
      () => kubectlGet(name),
      (s) => s.status?.traffic?.some((t) => t.revisionName === `${name}-00001` && t.percent === 100) === true,
      'the rollback to be in effect',
    );
    await api.manage.rollForward({ context, namespace: namespace.name, name });
    service = await kubectlGet(name);
    expect(service.spec.traffic?.[0]).toEqual({ latestRevision: true, percent: 100 });
  });

  it('compares two revisions side by side', async () => {
    const compared = await api.manage.compare({
      context,
      namespace: namespace.name,
      name,
      left: `${name}-00001`,
      right: `${name}-00002`,
    });
    expect(compared.diff).toMatch(/-\s+containerConcurrency: 4/);
    expect(compared.diff).toMatch(/\+\s+containerConcurrency: 2/);
  });

  it('exports with revisions and imports into another namespace with the same revisions and traffic', async () => {
    const exported = await api.manage.export({
      context,
      namespace: namespace.name,
      name,
      withRevisions: true,
    });
    expect(exported.revisions).toEqual([`${name}-00001`, `${name}-00002`]);
    expect(parse(exported.yaml).kind).toBe('List');
    const target = await createUniqueNamespace(playground, 'engine-manage-import');
    try {
      const events = await run((onEvent) =>
        api.manage.import({ context, namespace: target.name, yaml: exported.yaml }, onEvent),
      );
      expect(events.at(-1), JSON.stringify(events)).toMatchObject({ type: 'done', ok: true });
      expect(await revisionNames(objects, target.name)).toEqual([`${name}-00001`, `${name}-00002`]);
      const imported = await readKsvc<Ksvc>(objects, target.name, name);
      expect(imported.spec.traffic?.[0]).toMatchObject({ percent: 100, latestRevision: true });
    } finally {
      await target.remove();
    }
  });

  it('deletes an unrouted revision only behind its guard, and never a routed one', async () => {
    // Route 100 % to the first revision with the tag gone, so the second is latest (refused) and … the first routed.
    const refused = await deleteFirstRevision();
    expect(refused.deleted).toEqual([]);
    expect(refused.refused[0]!.reason).toMatch(/routed|tag/);
    const mismatch = await api.manage
      .deleteRevisions({
        context,
        namespace: namespace.name,
        name,
        revisions: [`${name}-00001`],
        confirm: [`${name}-00002`],
      })
      .catch((e: unknown) => e);
    expect(String((mismatch as Error).message)).toMatch(/confirmation/);
    // Drop the 0 % tag, then the first revision is unrouted.
    await api.manage.setTraffic({
      context,
      namespace: namespace.name,
      name,
      rows: [{ revision: '@latest', percent: 100 }],
    });
    await eventually(
      () => api.manage.revisions({ context, namespace: namespace.name, name }),
      (v) => v.revisions.find((r) => r.name === `${name}-00001`)?.routed === false,
      'the old revision to be unrouted',
    );
    const result = await deleteFirstRevision();
    expect(result).toEqual({ deleted: [`${name}-00001`], refused: [] });
    expect(await revisionNames(objects, namespace.name)).not.toContain(`${name}-00001`);
  });

  it('shows the Events of the Service and its objects as a timeline', async () => {
    await warnOnRevision(core, namespace.name, `${name}-00002`, {
      reason: 'TestReason',
      message: 'written by the test',
      count: 1,
      component: 'engine-manage-test',
    });
    const { events } = await api.manage.events({ context, namespace: namespace.name, name });
    expect(events).toContainEqual(
      expect.objectContaining({
        reason: 'TestReason',
        objectKind: 'Revision',
        objectName: `${name}-00002`,
        type: 'Warning',
      }),
    );
  });

  it('explains a Service whose image does not exist, and keeps the previous revision serving', async () => {
    const fresh = await api.manage.form({ context, namespace: namespace.name, name });
    const events = await run((onEvent) =>
      api.manage.apply(
        {
          context,
          mode: 'edit',
          form: { ...fresh.form, image: 'example.invalid/no-such-image:1' },
          generation: fresh.generation!,
        },
        onEvent,
      ),
    );
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: true });
    const why = await eventually(
      () => api.manage.why({ context, namespace: namespace.name, name }),
      (w) =>
        w.ready === 'False' &&
        w.findings.some((f) => f.object === `Revision/${name}-00003` && f.status === 'False'),
      'the third revision to fail',
      120_000,
    );
    expect(why.summary).toMatch(/not Ready/);
    // The cause comes first; Ready repeating it is left out.
    const failing = why.findings[0]!;
    expect(failing.object).toBe(`Revision/${name}-00003`);
    expect(failing.reason).toBeTruthy();
    expect(failing.explanation.length).toBeGreaterThan(10);
    expect(failing.action.length).toBeGreaterThan(10);
    const service = await kubectlGet(name);
    expect(service.status?.latestReadyRevisionName).toBe(`${name}-00002`);
  });

  it('gives the read-only context its permissions with reasons, and refuses its writes', async () => {
    const viewer = playground.contexts.viewer;
    const demo = 'knative-desk-demo';
    const access = await api.manage.access({ context: viewer, namespace: demo });
    expect(access.actions.traffic).toMatchObject({ allowed: false });
    expect(access.actions.traffic.reason).toMatch(
      /may not patch services.serving.knative.dev in knative-desk-demo/,
    );
    expect(access.actions.edit.allowed).toBe(false);
    expect(access.actions.events.allowed).toBe(true);
    const admin = await api.manage.access({ context, namespace: namespace.name });
    expect(Object.values(admin.actions).every((a) => a.allowed)).toBe(true);

    const form = { ...baseForm('viewer-made'), namespace: demo, newSecrets: [], env: [] };
    const events = await run((onEvent) =>
      api.manage.apply({ context: viewer, mode: 'create', form }, onEvent),
    );
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: false, error: { code: 'forbidden' } });
  });
});
