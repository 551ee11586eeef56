// A form edit guarded by the generation the user saw must not fail because the controller wrote the Service's status
// between the engine's read and its write (each status write moves the resourceVersion and the server answers 409):
// CI caught exactly that race. The fake API server below answers the first replace with such a 409.
import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../common/schemas/deploy';
import type { ClusterService } from '../clusters/cluster-service';
import type { KubeObject } from '../workloads/kube-object';
import { ManageService } from './manage-service';
import { serviceToForm } from './service-form';

/** One Knative Service held in memory; `statusWriteBeforeNextReplace` simulates the controller's write in between. */
function fakeCluster(options: { specChangeBeforeNextReplace?: boolean } = {}) {
  let service: KubeObject = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'hello', namespace: 'demo', generation: 2, resourceVersion: '10' },
    spec: {
      template: {
        spec: { containerConcurrency: 4, containers: [{ image: 'example.com/hello:1' }] },
      },
    },
  };
  let raced = false;
  const replaced: string[] = [];
  const conflict = () => Object.assign(new Error('the object has been modified'), { code: 409 });
  const objects = {
    read: async () => structuredClone(service),
    replace: async (body: KubeObject, _pretty: unknown, dryRun?: string) => {
      if (!raced) {
        raced = true;
        const rv = String(Number(service.metadata!.resourceVersion) + 1);
        const generation =
          (service.metadata!.generation ?? 0) + (options.specChangeBeforeNextReplace ? 1 : 0);
        service = { ...service, metadata: { ...service.metadata, resourceVersion: rv, generation } };
        throw conflict();
      }
      if (body.metadata?.resourceVersion !== service.metadata?.resourceVersion) throw conflict();
      replaced.push(`${dryRun ?? 'write'}@${body.metadata?.resourceVersion}`);
      if (dryRun) return structuredClone(body);
      service = {
        ...body,
        metadata: { ...body.metadata, resourceVersion: String(Number(body.metadata!.resourceVersion) + 1) },
      };
      return structuredClone(service);
    },
  };
  const clusters = { clientsFor: () => ({ objects }) } as unknown as ClusterService;
  return { clusters, replaced, current: () => service };
}

async function applyEdit(manage: ManageService, generation: number, containerConcurrency: number) {
  const events: DeployEvent[] = [];
  const { form } = serviceToForm({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'hello', namespace: 'demo', generation },
    spec: { template: { spec: { containerConcurrency: 4, containers: [{ image: 'example.com/hello:1' }] } } },
  });
  await manage.apply(
    { context: 'c', mode: 'edit', form: { ...form, containerConcurrency }, generation },
    (event) => events.push(event),
    new AbortController().signal,
  );
  return events;
}

describe('a form edit guarded by generation', () => {
  it("reads again and writes when only the controller's status write moved the resourceVersion", async () => {
    const cluster = fakeCluster();
    const events = await applyEdit(new ManageService(cluster.clusters), 2, 2);
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: true });
    expect(cluster.replaced).toEqual(['All@11', 'write@11']);
    expect(cluster.current().spec).toMatchObject({ template: { spec: { containerConcurrency: 2 } } });
  });

  it('is still a 409 that writes nothing when the spec changed in between', async () => {
    const cluster = fakeCluster({ specChangeBeforeNextReplace: true });
    const events = await applyEdit(new ManageService(cluster.clusters), 2, 2);
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: false, error: { code: 'conflict' } });
    expect((events.at(-1) as { error: { message: string } }).error.message).toMatch(
      /changed by someone else/,
    );
    expect(cluster.replaced).toEqual([]);
    expect(cluster.current().spec).toMatchObject({ template: { spec: { containerConcurrency: 4 } } });
  });
});

async function applyYaml(manage: ManageService, yaml: string) {
  const events: DeployEvent[] = [];
  await manage.apply(
    { context: 'c', mode: 'edit', yaml },
    (event) => events.push(event),
    new AbortController().signal,
  );
  return events;
}

const exported = (containerConcurrency: number) =>
  `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: hello, namespace: demo}
spec:
  template:
    spec:
      containerConcurrency: ${containerConcurrency}
      containers: [{image: example.com/hello:1}]
`;

describe('a YAML edit without a resourceVersion of its own (a pasted export)', () => {
  it('is guarded by the generation it was applied onto, like a form edit', async () => {
    const cluster = fakeCluster();
    const events = await applyYaml(new ManageService(cluster.clusters), exported(3));
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: true });
    expect(cluster.replaced).toEqual(['All@11', 'write@11']);
    expect(cluster.current().spec).toMatchObject({ template: { spec: { containerConcurrency: 3 } } });
  });

  it('is a 409 that writes nothing when the spec changed in between', async () => {
    const cluster = fakeCluster({ specChangeBeforeNextReplace: true });
    const events = await applyYaml(new ManageService(cluster.clusters), exported(3));
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: false, error: { code: 'conflict' } });
    expect(cluster.replaced).toEqual([]);
  });

  it('with its own resourceVersion is written once, as kubectl edit does', async () => {
    const cluster = fakeCluster();
    const yaml = exported(3).replace('namespace: demo}', "namespace: demo, resourceVersion: '10'}");
    const events = await applyYaml(new ManageService(cluster.clusters), yaml);
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: false, error: { code: 'conflict' } });
    expect(cluster.replaced).toEqual([]);
  });
});
