// The three built-in templates through the engine against the playground: render (secrets masked), deploy with
// server-side apply, list as ECI / FC / KafkaSource, diff shows no change on re-apply, FC listing through the
// playground's FC double links the HomePage function back to its Knative Service, undeploy removes everything.
import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../electron/common/schemas/deploy';
import { ValidationError } from '../renderer/src/engine/errors';
import { eventually } from './engine-harness';
import { collectEvents, engineInNamespace } from './support/engine-in-namespace';

const { api, context, namespace } = engineInNamespace('engine-deploy');
const run = collectEvents<DeployEvent>;

const parameters = { kafkaTopic: 'barrage-engine-test', kafkaPassword: 'pw-should-not-leak', kafkaUser: 'u' };
const templates = ['processing', 'event-driven', 'homepage'] as const;

/** The Ready condition of the namespace's KafkaSource `name` (null while it has none). */
async function sourceReady(name: string): Promise<string | null> {
  const { sources } = await api.workloads.kafkaSources({ context, namespace: namespace.name });
  return sources.find((source) => source.name === name)?.ready ?? null;
}

describe('deploy', () => {
  it('offers the three templates with typed parameters', async () => {
    const { templates: list } = await api.deploy.templates({});
    expect(list.map((t) => [t.id, t.kind])).toEqual([
      ['processing', 'ECI'],
      ['event-driven', 'Eventing'],
      ['homepage', 'FC'],
    ]);
    const processing = list[0]!;
    expect(processing.parameters.find((p) => p.name === 'processingMaxScale')).toMatchObject({
      type: 'integer',
      default: 100,
    });
  });

  it('renders YAML with secret values masked', async () => {
    const rendered = await api.deploy.render({
      templateId: 'event-driven',
      namespace: namespace.name,
      parameters,
      context,
    });
    expect(rendered.objects.map((o) => o.ref.kind)).toContain('KafkaSource');
    expect(rendered.yaml).not.toContain('pw-should-not-leak');
    expect(rendered.yaml).toContain('••••••');
  });

  it('reports bad parameters field by field', async () => {
    const error = await api.deploy
      .render({ templateId: 'processing', namespace: namespace.name, parameters: { processingMaxScale: 0 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details.causes?.[0]?.field).toBe('parameters.processingMaxScale');
  });

  it('deploys all three, lists them as ECI and FC, links the FC function, then undeploys', async () => {
    for (const templateId of templates) {
      const events = await run((onEvent) =>
        api.deploy.apply({ context, templateId, namespace: namespace.name, parameters }, onEvent),
      );
      const done = events.at(-1);
      expect(done, JSON.stringify(events)).toMatchObject({ type: 'done', ok: true });
      const applied = events.filter((e) => e.type === 'object' && e.phase === 'applied');
      const skipped = events.filter((e) => e.type === 'object' && e.phase === 'skipped');
      const plan = events.find((e) => e.type === 'plan');
      expect(applied.length + skipped.length).toBe(plan?.type === 'plan' ? plan.objects.length : -1);
      if (templateId !== 'event-driven') continue;
      // The source's SASL user is made up and the playground's broker takes no SASL login: the topic step is
      // skipped with its reason, and the deploy still succeeds (its objects are applied).
      expect(skipped.map((e) => e.type === 'object' && [e.ref.kind, e.ref.name])).toEqual([
        ['Topic', parameters.kafkaTopic],
      ]);
      const reason = skipped[0]?.type === 'object' ? skipped[0].error?.message : '';
      expect(reason).toMatch(
        /^Topic barrage-engine-test was not created: .+ KafkaSource barrage-source is deployed/,
      );
    }

    const { rows } = await api.workloads.list({ context, namespace: namespace.name });
    const kinds = Object.fromEntries(rows.map((row) => [row.name, row.kind]));
    expect(kinds).toEqual({ 'barrage-processing': 'ECI', 'barrage-homepage': 'FC' });
    const { sources } = await api.workloads.kafkaSources({ context, namespace: namespace.name });
    expect(sources.map((s) => [s.name, s.sink])).toEqual([['barrage-source', 'Service/barrage-processing']]);

    // Re-applying changes nothing, and the diff says so.
    const diff = await api.deploy.diff({
      context,
      templateId: 'processing',
      namespace: namespace.name,
      parameters,
    });
    expect(
      diff.objects.every((o) => o.action === 'unchanged'),
      JSON.stringify(diff),
    ).toBe(true);
    const changed = await api.deploy.diff({
      context,
      templateId: 'processing',
      namespace: namespace.name,
      parameters: { ...parameters, processingMaxScale: 7 },
    });
    const service = changed.objects.find((o) => o.ref.kind === 'Service');
    expect(service?.action).toBe('update');
    expect(service?.diff).toMatch(/^\+.*max-scale.*7/m);

    // The playground's FC controller makes the FC function `kn_<ns>_<name>`; the FC listing links it back.
    const fcProfile = (await api.fc.profiles({})).profiles.find((p) => p.origin === 'playground');
    expect(fcProfile, 'the playground offers an FC profile').toBeDefined();
    const fcName = `kn_${namespace.name}_barrage-homepage`;
    const listing = await eventually(
      () => api.fc.list({ profileId: fcProfile!.id, context, namespace: namespace.name }),
      (list) => list.services.some((service) => service.functions.some((fn) => fn.name === fcName)),
      `FC function ${fcName}`,
    );
    const homepage = listing.services.flatMap((s) => s.functions).find((fn) => fn.name === fcName);
    expect(homepage?.knative).toEqual({ namespace: namespace.name, name: 'barrage-homepage', exists: true });
    const details = await api.workloads.get({ context, namespace: namespace.name, name: 'barrage-homepage' });
    expect(details.fc).toMatchObject({ functionName: fcName, found: true, profileId: fcProfile!.id });
    // Where an ECI Service has pods, the FC one has instances, counted by the FC API.
    expect(typeof details.fc?.instances).toBe('number');

    for (const templateId of [...templates].reverse()) {
      const events = await run((onEvent) =>
        api.deploy.undeploy({ context, templateId, namespace: namespace.name, parameters }, onEvent),
      );
      expect(events.at(-1), JSON.stringify(events)).toMatchObject({ type: 'done', ok: true });
    }
    const { rows: after } = await api.workloads.list({ context, namespace: namespace.name });
    expect(after).toEqual([]);
  });

  it("creates the KafkaSource's topic with the defaults, so the source turns Ready before any barrage", async () => {
    // Every parameter at its default: the topic is barrage-info.<namespace>, which nothing has produced to yet.
    const topic = `barrage-info.${namespace.name}`;
    // Its sink first, as "Deploy all" does: a source without its sink is not Ready either.
    const sink = await run((onEvent) =>
      api.deploy.apply(
        { context, templateId: 'processing', namespace: namespace.name, parameters: {} },
        onEvent,
      ),
    );
    expect(sink.at(-1), JSON.stringify(sink)).toMatchObject({ type: 'done', ok: true });
    const events = await run((onEvent) =>
      api.deploy.apply(
        { context, templateId: 'event-driven', namespace: namespace.name, parameters: {} },
        onEvent,
      ),
    );
    expect(events.at(-1), JSON.stringify(events)).toMatchObject({ type: 'done', ok: true });
    const plan = events.find((e) => e.type === 'plan');
    expect(plan?.type === 'plan' && plan.objects.map((ref) => `${ref.kind}/${ref.name}`)).toEqual([
      'KafkaSource/barrage-source',
      `Topic/${topic}`,
    ]);
    expect(events.filter((e) => e.type === 'object' && e.ref.kind === 'Topic').at(-1)).toMatchObject({
      phase: 'applied',
      result: 'created',
    });
    await eventually(
      () => sourceReady('barrage-source'),
      (ready) => ready === 'True',
      'barrage-source Ready',
    );

    // Deployed again, the topic is there already.
    const again = await run((onEvent) =>
      api.deploy.apply(
        { context, templateId: 'event-driven', namespace: namespace.name, parameters: {} },
        onEvent,
      ),
    );
    expect(again.filter((e) => e.type === 'object' && e.ref.kind === 'Topic').at(-1)).toMatchObject({
      phase: 'applied',
      result: 'unchanged',
    });
  });

  it('skips the topic with its reason when the brokers cannot be reached, and still deploys', async () => {
    const events = await run((onEvent) =>
      api.deploy.apply(
        {
          context,
          templateId: 'event-driven',
          namespace: namespace.name,
          parameters: {
            sourceName: 'unreachable-source',
            kafkaServers: '127.0.0.1:9',
            kafkaTopic: 'nowhere',
          },
        },
        onEvent,
      ),
    );
    expect(events.at(-1), JSON.stringify(events)).toMatchObject({ type: 'done', ok: true });
    const topic = events.filter((e) => e.type === 'object' && e.ref.kind === 'Topic').at(-1);
    expect(topic).toMatchObject({ phase: 'skipped', error: { code: 'unreachable' } });
    expect(topic?.type === 'object' && topic.error?.message).toMatch(
      /^Topic nowhere was not created: Cannot reach the brokers 127\.0\.0\.1:9 .*KafkaSource unreachable-source is deployed/,
    );
    expect(await sourceReady('unreachable-source')).not.toBeNull();
  });
});
