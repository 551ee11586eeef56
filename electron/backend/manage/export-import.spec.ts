import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../workloads/kube-object';
import { exportYaml, parseImport } from './export-import';

const service: KubeObject = {
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: {
    name: 'hello',
    namespace: 'demo',
    uid: 'u',
    resourceVersion: '9',
    generation: 3,
    annotations: { 'serving.knative.dev/creator': 'admin', 'example.com/own': 'x' },
  },
  spec: {
    template: { spec: { containers: [{ image: 'img:3' }] } },
    traffic: [
      { revisionName: 'hello-00001', percent: 50 },
      { latestRevision: true, percent: 50 },
    ],
  },
  status: { url: 'http://hello' },
};
const revision = (n: number, image: string): KubeObject => ({
  metadata: {
    name: `hello-0000${n}`,
    labels: {
      'serving.knative.dev/configurationGeneration': String(n),
      'serving.knative.dev/service': 'hello',
      app: 'hello',
    },
    annotations: { 'autoscaling.knative.dev/max-scale': '3', 'serving.knative.dev/creator': 'admin' },
  },
  spec: { containers: [{ image }] },
});

describe('export', () => {
  it('without revisions: the Service as a user writes it', () => {
    const { yaml } = exportYaml(service, [], new Set(), false);
    const out = parse(yaml);
    expect(out.metadata).toEqual({
      name: 'hello',
      namespace: 'demo',
      annotations: { 'example.com/own': 'x' },
    });
    expect(out.status).toBeUndefined();
  });

  it('with revisions: one Service per routed revision, oldest first, traffic only in the last', () => {
    const revisions = [revision(3, 'img:3'), revision(1, 'img:1'), revision(2, 'img:2')];
    const { yaml, revisions: names } = exportYaml(
      service,
      revisions,
      new Set(['hello-00001', 'hello-00003']),
      true,
    );
    expect(names).toEqual(['hello-00001', 'hello-00003']);
    const list = parse(yaml);
    expect(list.kind).toBe('List');
    expect(
      list.items.map((i: KubeObject) => (i.spec!.template as { metadata: { name: string } }).metadata.name),
    ).toEqual(['hello-00001', 'hello-00003']);
    expect(list.items[0].spec.traffic).toBeUndefined();
    expect(list.items[1].spec.traffic).toEqual(service.spec!.traffic);
    expect(list.items[0].spec.template.metadata).toEqual({
      name: 'hello-00001',
      labels: { app: 'hello' },
      annotations: { 'autoscaling.knative.dev/max-scale': '3' },
    });
  });

  it('import reads the export back into another namespace and refuses anything else', () => {
    const { yaml } = exportYaml(
      service,
      [revision(1, 'img:1'), revision(3, 'img:3')],
      new Set(['hello-00001', 'hello-00003']),
      true,
    );
    const objects = parseImport(yaml, 'other');
    expect(objects.map((o) => o.metadata?.namespace)).toEqual(['other', 'other']);
    expect(() => parseImport('kind: ConfigMap\napiVersion: v1\nmetadata: {name: x}', 'other')).toThrow(
      /only serving.knative.dev\/v1 Services/,
    );
    expect(() => parseImport('a: [', 'other')).toThrow(/YAML document 1/);
  });
});
