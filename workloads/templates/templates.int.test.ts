// The rendered templates against the playground's real kube-apiserver and the upstream Knative CRDs: every object
// passes server-side apply with dry run (schema validation by the real API server), and a bad field is refused.
import {
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject as ApiObject,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createUniqueNamespace, kubeConfigFor } from '../../test/support/unique';
import { renderTemplatesWith, type KubernetesObject } from './index';

const playground = inject('playground');
let namespace: { name: string; remove: () => Promise<void> };
let api: KubernetesObjectApi;

beforeAll(async () => {
  namespace = await createUniqueNamespace(playground, 'barrage-templates');
  api = KubernetesObjectApi.makeApiClient(kubeConfigFor(playground, 'admin'));
});

afterAll(async () => {
  await namespace?.remove();
});

async function dryRunApply(object: KubernetesObject): Promise<ApiObject> {
  return api.patch(
    object as ApiObject,
    undefined,
    'All',
    'knative-desk-templates-test',
    true,
    PatchStrategy.ServerSideApply,
  );
}

describe('barrage templates on the real API server', () => {
  it('dry-run applies every object of the full render (with Secrets, SASL, Tablestore and FC domain)', async () => {
    const objects = renderTemplatesWith(
      {
        namespace: namespace.name,
        kafkaUser: 'alice',
        kafkaPassword: 'secret',
        store: 'tablestore',
        otsEndpoint: 'https://barrage.cn-hangzhou.ots.aliyuncs.com',
        otsKeyId: 'id',
        otsSecret: 'secret',
        eciImageSnapshotId: 'imc-uf636kjjx8xr4e75npex',
        fcRoleArn: 'acs:ram::1234567890:role/knative-fc',
        fcCustomDomain: 'barrage.demo.knative.top',
        tracingEndpoint: 'http://127.0.0.1:4318/v1/traces',
      },
      {
        target: 'playground',
        playground: { kafkaBrokers: playground.kafkaBrokers, dataDir: '/tmp/barrage' },
      },
    );
    expect(objects.map((object) => object.kind)).toEqual([
      'Secret',
      'Secret',
      'Service',
      'KafkaSource',
      'Service',
    ]);
    for (const object of objects) {
      const applied = await dryRunApply(object);
      expect(applied.kind).toBe(object.kind);
      expect(applied.metadata?.name).toBe(object.metadata.name);
      expect(applied.metadata?.namespace).toBe(namespace.name);
    }
    const source = (await dryRunApply(objects[3]!)) as ApiObject & {
      spec: { sink: unknown; ordering: string };
    };
    expect(source.spec.ordering).toBe('unordered');
    expect(source.spec.sink).toEqual({
      ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'barrage-processing' },
    });
  });

  it('the API server refuses a KafkaSource without its required bootstrapServers, so the dry run really validates', async () => {
    const [, source] = renderTemplatesWith({ namespace: namespace.name });
    const { bootstrapServers: _required, ...specWithout } = source!.spec as Record<string, unknown>;
    const broken = { ...source!, spec: specWithout };
    await expect(dryRunApply(broken)).rejects.toMatchObject({ code: 422 });
  });
});
