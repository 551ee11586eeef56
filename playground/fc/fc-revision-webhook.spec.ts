import { describe, expect, it } from 'vitest';
import { FC_AUTOSCALING_CLASS, fcRevisionPatch, isFcRevision } from './fc-revision-webhook';

const fcClass = { 'workload.serving.knative.aliyun.com/class': 'fc' };

describe('the FC revision defaulting step', () => {
  it('takes the class from the Configuration (Knative copies the Service annotations there) or the revision', () => {
    expect(isFcRevision({ metadata: {} }, { metadata: { annotations: fcClass } })).toBe(true);
    expect(
      isFcRevision(
        { metadata: { annotations: { 'workload.serving.knative.aliyun.com/class': 'FC' } } },
        undefined,
      ),
    ).toBe(true);
    expect(
      isFcRevision(
        { metadata: {} },
        { metadata: { annotations: { 'workload.serving.knative.aliyun.com/class': 'eci' } } },
      ),
    ).toBe(false);
    expect(isFcRevision({}, undefined)).toBe(false);
  });

  it('adds our PodAutoscaler class and initial scale 0 to an FC revision, escaping the keys for JSON Patch', () => {
    expect(
      fcRevisionPatch({ metadata: { annotations: { a: 'b' } } }, { metadata: { annotations: fcClass } }),
    ).toEqual([
      {
        op: 'add',
        path: '/metadata/annotations/autoscaling.knative.dev~1class',
        value: FC_AUTOSCALING_CLASS,
      },
      { op: 'add', path: '/metadata/annotations/autoscaling.knative.dev~1initial-scale', value: '0' },
    ]);
  });

  it('replaces a class or initial scale the user set, and adds the whole map when there is none', () => {
    const revision = {
      metadata: {
        annotations: {
          ...fcClass,
          'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev',
          'autoscaling.knative.dev/initial-scale': '0',
        },
      },
    };
    expect(fcRevisionPatch(revision, undefined)).toEqual([
      {
        op: 'replace',
        path: '/metadata/annotations/autoscaling.knative.dev~1class',
        value: FC_AUTOSCALING_CLASS,
      },
    ]);
    expect(fcRevisionPatch({ metadata: {} }, { metadata: { annotations: fcClass } })).toEqual([
      {
        op: 'add',
        path: '/metadata/annotations',
        value: {
          'autoscaling.knative.dev/class': FC_AUTOSCALING_CLASS,
          'autoscaling.knative.dev/initial-scale': '0',
        },
      },
    ]);
  });

  it('leaves ECI revisions alone', () => {
    expect(
      fcRevisionPatch({ metadata: { annotations: { a: 'b' } } }, { metadata: { annotations: {} } }),
    ).toEqual([]);
  });

  it('keeps the class outside *.knative.dev, which Knative validation refuses unless it is KPA or HPA', () => {
    expect(FC_AUTOSCALING_CLASS.endsWith('.knative.dev')).toBe(false);
  });
});
