import { describe, expect, it } from 'vitest';
import { assertGeneration, fieldErrorsOf, parseServiceYaml, revisionsView } from './manage-service';

describe('fieldErrorsOf', () => {
  it("puts each of the Knative webhook's problems next to its form field", () => {
    const errors = fieldErrorsOf({
      message:
        'admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: expected 6s <= 5s <= 1h0m0s: spec.template.metadata.annotations.autoscaling.knative.dev/window\nexpected 0 <= 2000 <= 1000: spec.template.spec.containerConcurrency',
      details: {},
    });
    expect(errors).toEqual({
      window:
        'expected 6s <= 5s <= 1h0m0s: spec.template.metadata.annotations.autoscaling.knative.dev/window',
      containerConcurrency: 'expected 0 <= 2000 <= 1000: spec.template.spec.containerConcurrency',
    });
  });

  it('uses Kubernetes field causes when the server gives them', () => {
    expect(
      fieldErrorsOf({
        message: 'Service.serving.knative.dev "x" is invalid',
        details: { causes: [{ field: 'spec.template.spec.containers[0].image', message: 'Required value' }] },
      }),
    ).toEqual({ image: 'Required value' });
  });
});

describe('assertGeneration', () => {
  it('is a 409 only when the spec changed (generation), naming both', () => {
    const live = { metadata: { name: 's', namespace: 'n', generation: 3 } };
    expect(() => assertGeneration(live, 3)).not.toThrow();
    expect(() => assertGeneration(live, 2)).toThrow(/changed by someone else.*generation 2 → 3/);
  });
});

describe('parseServiceYaml', () => {
  it('accepts a Knative Service and refuses anything else with the reasons', () => {
    const yaml =
      'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: a, namespace: b}\nspec: {template: {}}';
    expect(parseServiceYaml(yaml).metadata?.name).toBe('a');
    expect(() => parseServiceYaml('kind: ConfigMap')).toThrow(
      /apiVersion must be serving.knative.dev\/v1; kind must be Service/,
    );
    expect(() => parseServiceYaml('a: [')).toThrow(/does not parse/);
  });
});

describe('revisionsView', () => {
  it('resolves @latest, tags and routing per revision', () => {
    const service = {
      metadata: { resourceVersion: '7', generation: 4 },
      spec: {
        traffic: [
          { latestRevision: true, percent: 80 },
          { revisionName: 's-00001', percent: 20, tag: 'old' },
        ],
      },
      status: {
        latestCreatedRevisionName: 's-00003',
        latestReadyRevisionName: 's-00002',
        traffic: [
          { revisionName: 's-00002', latestRevision: true, percent: 80 },
          {
            revisionName: 's-00001',
            latestRevision: false,
            percent: 20,
            tag: 'old',
            url: 'http://old-s.n.example',
          },
        ],
      },
    };
    const revision = (n: number) => ({
      metadata: { name: `s-0000${n}`, labels: { 'serving.knative.dev/configurationGeneration': String(n) } },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: n === 3 ? 'False' : 'True',
            reason: n === 3 ? 'ContainerMissing' : undefined,
          },
        ],
      },
    });
    const view = revisionsView(service, [revision(1), revision(2), revision(3)]);
    expect(view.generation).toBe(4);
    expect(
      view.revisions.map((r) => [r.name, r.trafficPercent, r.tags, r.routed, r.ready, r.reason]),
    ).toEqual([
      ['s-00003', 0, [], false, 'False', 'ContainerMissing'],
      ['s-00002', 80, [], true, 'True', null],
      ['s-00001', 20, ['old'], true, 'True', null],
    ]);
  });

  it('counts the newest revision as the latest while the status has not caught up, so it is never deletable', () => {
    const revision = (n: number) => ({
      metadata: { name: `s-0000${n}`, labels: { 'serving.knative.dev/configurationGeneration': String(n) } },
    });
    // Just created: no status yet.
    const fresh = revisionsView({ metadata: {}, spec: {} }, [revision(1)]);
    expect(fresh.revisions.map((r) => [r.name, r.latestCreated, r.routed])).toEqual([
      ['s-00001', true, false],
    ]);
    // Just edited: the status still names revision 1 as the latest created.
    const edited = revisionsView(
      { metadata: {}, spec: {}, status: { latestCreatedRevisionName: 's-00001' } },
      [revision(1), revision(2)],
    );
    expect(edited.revisions.map((r) => [r.name, r.latestCreated])).toEqual([
      ['s-00002', true],
      ['s-00001', true],
    ]);
  });
});
