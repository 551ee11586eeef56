import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { toEnvelope } from './errors';
import { webhookDenialOf } from './webhook-denial';

// Messages exactly as kube-apiserver passed on Knative Serving v0.49.1's webhook answers in the playground.
const VALIDATION =
  'admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: Failed to parse image reference: spec.template.spec.containers[0].image\n' +
  'image: "x", error: could not parse reference: x\n' +
  'expected 0 <= -1 <= 2147483647: spec.template.metadata.annotations.autoscaling.knative.dev/min-scale\n' +
  'expected 0 <= 2000 <= 1000: spec.template.spec.containerConcurrency';
const DECODE =
  'admission webhook "webhook.serving.knative.dev" denied the request: mutation failed: cannot decode incoming new object: json: cannot unmarshal string into Go struct field RevisionSpec.spec.ConfigurationSpec.template.spec.containerConcurrency of type int64';
const IMMUTABLE =
  'admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: annotation value is immutable: metadata.annotations.serving.knative.dev/creator\ninvalid value: : metadata.annotations.serving.knative.dev/lastModifier';

describe('webhookDenialOf', () => {
  it('names the webhook and gives one cause per field path, details kept with their problem', () => {
    const denial = webhookDenialOf(VALIDATION)!;
    expect(denial.webhook).toBe('validation.webhook.serving.knative.dev');
    expect(denial.causes).toEqual([
      {
        field: 'spec.template.spec.containers[0].image',
        reason: 'FieldValueInvalid',
        message:
          'Failed to parse image reference: spec.template.spec.containers[0].image (image: "x", error: could not parse reference: x)',
      },
      {
        field: 'spec.template.metadata.annotations.autoscaling.knative.dev/min-scale',
        reason: 'FieldValueInvalid',
        message:
          'expected 0 <= -1 <= 2147483647: spec.template.metadata.annotations.autoscaling.knative.dev/min-scale',
      },
      {
        field: 'spec.template.spec.containerConcurrency',
        reason: 'FieldValueInvalid',
        message: 'expected 0 <= 2000 <= 1000: spec.template.spec.containerConcurrency',
      },
    ]);
  });

  it("turns the defaulting webhook's decode error into the JSON path of the field and the type it wants", () => {
    expect(webhookDenialOf(DECODE)).toEqual({
      webhook: 'webhook.serving.knative.dev',
      message: expect.stringContaining('cannot decode incoming new object') as unknown as string,
      causes: [
        {
          field: 'spec.template.spec.containerConcurrency',
          reason: 'FieldValueTypeInvalid',
          message: 'must be an integer, not a string',
        },
      ],
    });
  });

  it('reads several lines that each end in a path, including an empty value', () => {
    expect(webhookDenialOf(IMMUTABLE)!.causes.map((cause) => cause.field)).toEqual([
      'metadata.annotations.serving.knative.dev/creator',
      'metadata.annotations.serving.knative.dev/lastModifier',
    ]);
  });

  it('is null for anything that is not a webhook denial', () => {
    expect(webhookDenialOf('services.serving.knative.dev "a" already exists')).toBeNull();
  });
});

describe('toEnvelope of a webhook denial', () => {
  it('is an invalid-object error like a schema 422, keeping the 400, the reason and the webhook', () => {
    const status = { kind: 'Status', status: 'Failure', message: DECODE, reason: 'BadRequest', code: 400 };
    const envelope = toEnvelope(new ApiException(400, 'denied', JSON.stringify(status), {}), 'manage:plan');
    expect(envelope).toMatchObject({
      code: 'invalid',
      message: DECODE,
      details: {
        httpStatus: 400,
        reason: 'BadRequest',
        webhook: 'webhook.serving.knative.dev',
        causes: [{ field: 'spec.template.spec.containerConcurrency' }],
        operation: 'manage:plan',
      },
    });
  });

  it('leaves other 400s as they were', () => {
    const status = {
      kind: 'Status',
      status: 'Failure',
      message: 'bad body',
      reason: 'BadRequest',
      code: 400,
    };
    const envelope = toEnvelope(new ApiException(400, 'bad', JSON.stringify(status), {}));
    expect(envelope.code).toBe('invalid-request');
    expect(envelope.details.webhook).toBeUndefined();
  });
});
