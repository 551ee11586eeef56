import { describe, expect, it } from 'vitest';
import { serviceForm } from '../../common/schemas/manage';
import type { KubeObject } from '../workloads/kube-object';
import { formFieldOf, formToService, secretsOf, serviceToForm } from './service-form';

const form = serviceForm.parse({
  name: 'hello',
  namespace: 'demo',
  workloadClass: 'fc',
  image: 'registry/hello:1',
  fc: { codeSpace: 'image', roleArn: 'acs:ram::1:role/fc', customDomain: 'hello.example.com' },
  env: [
    { source: 'value', name: 'MODE', value: 'fast' },
    { source: 'secret', name: 'TOKEN', secretName: 'hello-secrets', secretKey: 'token' },
  ],
  newSecrets: [{ name: 'hello-secrets', values: { token: 's3cret' } }],
  port: 8080,
  cpuRequest: '250m',
  memoryLimit: '256Mi',
  containerConcurrency: 2,
  minScale: 0,
  maxScale: 10,
  initialScale: 1,
  target: 1.5,
  window: '60s',
  scaleDownDelay: '5m',
  timeoutSeconds: 120,
  clusterLocal: true,
});

describe('formToService', () => {
  it('writes every field where Knative and ASK read it', () => {
    const service = formToService(form);
    expect(service.metadata).toEqual({
      name: 'hello',
      namespace: 'demo',
      annotations: { 'workload.serving.knative.aliyun.com/class': 'fc' },
      labels: { 'networking.knative.dev/visibility': 'cluster-local' },
    });
    const template = service.spec!.template as {
      metadata: { annotations: Record<string, string> };
      spec: Record<string, unknown>;
    };
    expect(template.metadata.annotations).toEqual({
      'autoscaling.knative.dev/min-scale': '0',
      'autoscaling.knative.dev/max-scale': '10',
      'autoscaling.knative.dev/initial-scale': '1',
      'autoscaling.knative.dev/target': '1.5',
      'autoscaling.knative.dev/window': '60s',
      'autoscaling.knative.dev/scale-down-delay': '5m',
      'fc.revision.serving.knative.aliyun.com/code-space': 'image',
      'fc.revision.serving.knative.aliyun.com/role-arm': 'acs:ram::1:role/fc',
      'fc.revision.serving.knative.aliyun.com/domain': JSON.stringify({
        domain: 'hello.example.com',
        path: '/*',
      }),
    });
    expect(template.spec).toEqual({
      containers: [
        {
          name: 'user-container',
          image: 'registry/hello:1',
          env: [
            { name: 'MODE', value: 'fast' },
            { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'hello-secrets', key: 'token' } } },
          ],
          ports: [{ name: 'http1', containerPort: 8080 }],
          resources: { requests: { cpu: '250m' }, limits: { memory: '256Mi' } },
        },
      ],
      containerConcurrency: 2,
      timeoutSeconds: 120,
    });
    expect(secretsOf(form)).toEqual([
      expect.objectContaining({
        kind: 'Secret',
        stringData: { token: 's3cret' },
        metadata: { name: 'hello-secrets', namespace: 'demo' },
      }),
    ]);
  });

  it('reads back the same form from the object it wrote', () => {
    const { form: back } = serviceToForm(formToService(form));
    expect(back).toEqual({ ...form, newSecrets: [] });
  });

  it('applies an edit onto the live object and keeps what the form does not show', () => {
    const live: KubeObject = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: {
        name: 'hello',
        namespace: 'demo',
        resourceVersion: '42',
        annotations: { 'serving.knative.dev/creator': 'me' },
      },
      spec: {
        traffic: [{ latestRevision: true, percent: 100 }],
        template: {
          metadata: {
            name: 'hello-v1',
            annotations: { 'autoscaling.knative.dev/minScale': '3', 'example.com/keep': 'yes' },
          },
          spec: {
            containers: [
              { name: 'user-container', image: 'old', readinessProbe: { httpGet: { path: '/healthz' } } },
            ],
          },
        },
      },
      status: { url: 'http://x' },
    };
    const { form: prefilled, notInForm } = serviceToForm(live);
    expect(prefilled.minScale).toBe(3);
    expect(notInForm).toEqual(
      expect.arrayContaining([
        'container readinessProbe',
        'revision annotation example.com/keep',
        'traffic (edited in the traffic form)',
      ]),
    );
    const edited = formToService({ ...prefilled, image: 'new', minScale: 1 }, live);
    expect(edited.metadata?.resourceVersion).toBe('42');
    expect(edited.status).toBeUndefined();
    expect(edited.spec?.traffic).toEqual([{ latestRevision: true, percent: 100 }]);
    const template = edited.spec!.template as {
      metadata: Record<string, unknown>;
      spec: { containers: Record<string, unknown>[] };
    };
    expect(template.metadata.name).toBeUndefined();
    expect(template.metadata.annotations).toEqual({
      'autoscaling.knative.dev/min-scale': '1',
      'example.com/keep': 'yes',
    });
    expect(template.spec.containers[0]).toEqual({
      name: 'user-container',
      image: 'new',
      readinessProbe: { httpGet: { path: '/healthz' } },
    });
  });
});

describe('formFieldOf', () => {
  it('maps the path a webhook names to the form field', () => {
    expect(
      formFieldOf('validation failed: expected 1 <= 5000 <= 1000: spec.template.spec.containerConcurrency'),
    ).toBe('containerConcurrency');
    expect(
      formFieldOf('invalid value: -1: spec.template.metadata.annotations.autoscaling.knative.dev/min-scale'),
    ).toBe('minScale');
    expect(formFieldOf('spec.template.spec.containers[0].image')).toBe('image');
    expect(formFieldOf('something unrelated happened')).toBeNull();
  });
});
