// Kubernetes refusals reach the UI as clear, field-level errors: a 409 when another field manager owns a field
// the template sets, a 422 naming the field a CRD schema rejects, and Knative's admission webhook refusing a
// mistyped field (upstream answers 400, before any schema sees it) as the same kind of error naming the same field —
// all from the real apiserver and the real webhook.
import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../electron/common/schemas/deploy';
import { toEnvelope } from '../electron/backend/errors';
import { kubeConfigFor } from './support/unique';
import { engineInNamespace } from './support/engine-in-namespace';

const { playground, api, context, namespace } = engineInNamespace('engine-errors');
const objects = KubernetesObjectApi.makeApiClient(kubeConfigFor(playground, 'admin'));

/** What the engine makes of the apiserver's refusal to create `object` named bad in the test's namespace. */
async function refusalOf(object: { apiVersion: string; kind: string; spec: unknown }) {
  const error = await objects
    .create({ ...object, metadata: { name: 'bad', namespace: namespace.name } } as never)
    .catch((e: unknown) => e);
  return toEnvelope(error, 'deploy:apply');
}

async function apply(parameters: Record<string, string | number | boolean>): Promise<DeployEvent[]> {
  const events: DeployEvent[] = [];
  await api.deploy.apply({ context, templateId: 'processing', namespace: namespace.name, parameters }, (e) =>
    events.push(e),
  ).done;
  return events;
}

describe('errors from the apiserver', () => {
  it('reports a field owned by another manager as a 409 conflict naming the field', async () => {
    expect((await apply({})).at(-1)).toMatchObject({ type: 'done', ok: true });
    // Another tool takes ownership of the max-scale annotation with a different value.
    await objects.patch(
      {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        metadata: { name: 'barrage-processing', namespace: namespace.name },
        spec: { template: { metadata: { annotations: { 'autoscaling.knative.dev/max-scale': '3' } } } },
      },
      undefined,
      undefined,
      'other-tool',
      true,
      PatchStrategy.ServerSideApply,
    );
    const done = (await apply({ processingMaxScale: 9 })).at(-1);
    if (done?.type !== 'done') throw new Error('no done event');
    expect(done.ok).toBe(false);
    expect(done.error?.code).toBe('conflict');
    expect(done.error?.details.httpStatus).toBe(409);
    expect(done.error?.details.causes?.some((cause) => cause.field?.includes('max-scale'))).toBe(true);
    expect(done.error?.message).toMatch(/other-tool/);
  });

  it('turns a schema rejection into a 422 envelope with the field', async () => {
    // KafkaSource has no admission webhook here, so its CRD schema is what refuses the mistyped field.
    const envelope = await refusalOf({
      apiVersion: 'sources.knative.dev/v1',
      kind: 'KafkaSource',
      spec: {
        consumers: 'many',
        bootstrapServers: ['127.0.0.1:9092'],
        topics: ['t'],
        sink: { uri: 'http://example.invalid' },
      },
    });
    expect(envelope.code).toBe('invalid');
    expect(envelope.details.httpStatus).toBe(422);
    expect(envelope.details.reason).toBe('Invalid');
    expect(envelope.details.causes?.map((cause) => cause.field)).toContain('spec.consumers');
  });

  it("turns the Knative webhook's refusal of a mistyped field into the same invalid envelope with the field", async () => {
    const envelope = await refusalOf({
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      spec: { template: { spec: { containerConcurrency: 'many' } } },
    });
    expect(envelope.code).toBe('invalid');
    // Upstream's answer: the defaulting webhook cannot decode the object (400), before any schema validation.
    expect(envelope.details.httpStatus).toBe(400);
    expect(envelope.details.reason).toBe('BadRequest');
    expect(envelope.details.webhook).toBe('webhook.serving.knative.dev');
    expect(envelope.details.causes).toContainEqual(
      expect.objectContaining({
        field: 'spec.template.spec.containerConcurrency',
        message: 'must be an integer, not a string',
      }),
    );
  });
});
