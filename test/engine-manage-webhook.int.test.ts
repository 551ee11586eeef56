// The console against upstream Knative Serving's admission webhook (part of the default playground): a webhook
// denial in the server's dry run lands next to its form field and nothing is written; a mistyped value, which only
// the defaulting webhook sees on a cluster running Serving (a 400 before any schema), lands next to its field too;
// and a YAML edit that leaves out the annotations the webhook stamps and guards (as a pasted `export` does) is
// saved, keeping the Service's creator, where a plain replace would be refused as "annotation value is immutable";
// and the previews (manage plan, deploy diff) show what the server's dry run adds on create, as
// `kubectl create --dry-run=server -o yaml` would: the webhook's defaults and creator annotation.
import { KubernetesObjectApi } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeployEvent } from '../electron/common/schemas/deploy';
import type { ServiceFormInput } from '../electron/common/schemas/manage';
import { PROBE_IMAGE } from '../playground/probe/probe-image';
import { kubeConfigFor, uniqueName } from './support/unique';
import { collectEvents, engineInNamespace } from './support/engine-in-namespace';
import { readKsvc } from './support/knative-objects';

const { playground, api, context, namespace } = engineInNamespace('engine-webhook');
const objects = KubernetesObjectApi.makeApiClient(kubeConfigFor(playground, 'admin'));

type Ksvc = {
  metadata: { annotations?: Record<string, string>; generation?: number };
  spec: { template: { spec: { containerConcurrency?: number } } };
};

const read = (name: string) => readKsvc<Ksvc>(objects, namespace.name, name);

const run = collectEvents<DeployEvent>;

/** The engine's create plan of a new Service of the probe image (named from `prefix`) with these form fields. */
async function planNew(prefix: string, fields: Omit<ServiceFormInput, 'name' | 'namespace' | 'image'>) {
  const name = uniqueName(prefix).slice(0, 30);
  const form = { name, namespace: namespace.name, image: PROBE_IMAGE, ...fields };
  return { name, plan: await api.manage.plan({ context, mode: 'create', form }) };
}

describe('webhook denials', () => {
  it("puts Knative's validation error next to the form field, and writes nothing", async () => {
    const { name: other, plan } = await planNew('deny', { window: '5s' });
    expect(plan.error?.message).toMatch(
      /admission webhook "validation.webhook.serving.knative.dev" denied the request/,
    );
    expect(plan.error).toMatchObject({
      code: 'invalid',
      details: { webhook: 'validation.webhook.serving.knative.dev', httpStatus: 400 },
    });
    expect(plan.fieldErrors).toEqual({
      window:
        'expected 6s <= 5s <= 1h0m0s: spec.template.metadata.annotations.autoscaling.knative.dev/window',
    });
    const after = await read(other).catch((e: unknown) => e);
    expect((after as { code?: number }).code).toBe(404);
  });
});

describe("the server's dry run in the previews", () => {
  it('shows the fields Knative defaults on a new Service, next to the object as sent', async () => {
    const { name: other, plan } = await planNew('defaults', { newSecrets: [] });
    expect(plan.error).toBeNull();
    const service = plan.objects.find((object) => object.ref.kind === 'Service')!;
    expect(service.action).toBe('create');
    expect(service.yaml).not.toContain('timeoutSeconds');
    const added = service.serverDefaults
      .split('\n')
      .filter((line) => line.startsWith('+'))
      .join('\n');
    expect(added).toMatch(/^\+\s+serving\.knative\.dev\/creator: knative-desk-admin$/m);
    expect(added).toMatch(/^\+\s+timeoutSeconds: 300$/m);
    expect(added).toMatch(/^\+\s+containerConcurrency: 0$/m);
    expect(added).toMatch(/^\+\s+- latestRevision: true$/m);
    // Nothing the form sent is taken away.
    expect(service.serverDefaults.split('\n').filter((line) => /^-[^-]/.test(line))).toEqual([]);
    expect((await read(other).catch((e: unknown) => e)) as { code?: number }).toMatchObject({ code: 404 });
  });

  it("shows them in the deploy diff of a template's new Service too", async () => {
    const target = { context, templateId: 'processing', namespace: namespace.name, parameters: {} };
    const diff = await api.deploy.diff(target);
    const service = diff.objects.find((object) => object.ref.kind === 'Service')!;
    expect(service.action).toBe('create');
    expect(service.serverDefaults).toMatch(/^\+\s+timeoutSeconds: 300$/m);
    expect(service.serverDefaults).toMatch(/^\+\s+serving\.knative\.dev\/creator: knative-desk-admin$/m);
  });
});

describe('YAML edits on a cluster with the webhook', () => {
  const name = uniqueName('yaml').slice(0, 30);

  beforeAll(async () => {
    const events = await run((onEvent) =>
      api.manage.apply(
        { context, mode: 'create', form: { name, namespace: namespace.name, image: PROBE_IMAGE } },
        onEvent,
      ),
    );
    expect(events.at(-1), JSON.stringify(events)).toMatchObject({ type: 'done', ok: true });
  });

  it("shows a mistyped value, refused by Knative's defaulting webhook, next to its field", async () => {
    const { yaml } = await api.manage.form({ context, namespace: namespace.name, name });
    const edited = parse(yaml) as { spec: { template: { spec: Record<string, unknown> } } };
    edited.spec.template.spec.containerConcurrency = 'lots';
    const plan = await api.manage.plan({ context, mode: 'edit', yaml: stringify(edited) });
    expect(plan.error).toMatchObject({
      code: 'invalid',
      details: { webhook: 'webhook.serving.knative.dev', httpStatus: 400 },
    });
    expect(plan.fieldErrors).toEqual({ containerConcurrency: 'must be an integer, not a string' });
  });

  it('saves an exported Service pasted back with a change, keeping the creator the webhook stamped', async () => {
    const before = await read(name);
    expect(before.metadata.annotations?.['serving.knative.dev/creator']).toBe('knative-desk-admin');
    // `kn service export` style: no status, no server-set metadata, no creator/lastModifier.
    const exported = await api.manage.export({
      context,
      namespace: namespace.name,
      name,
      withRevisions: false,
    });
    expect(exported.yaml).not.toContain('serving.knative.dev/creator');
    const edited = parse(exported.yaml) as {
      metadata: { namespace?: string };
      spec: { template: { spec: Record<string, unknown> } };
    };
    edited.metadata.namespace = namespace.name;
    edited.spec.template.spec.containerConcurrency = 3;

    const plan = await api.manage.plan({ context, mode: 'edit', yaml: stringify(edited) });
    expect(plan.error).toBeNull();
    expect(plan.objects[0]).toMatchObject({ action: 'update' });
    const saved = await run((onEvent) =>
      api.manage.apply({ context, mode: 'edit', yaml: stringify(edited) }, onEvent),
    );
    expect(saved.at(-1), JSON.stringify(saved)).toMatchObject({ type: 'done', ok: true });
    const after = await read(name);
    expect(after.spec.template.spec.containerConcurrency).toBe(3);
    expect(after.metadata.generation).toBe((before.metadata.generation ?? 0) + 1);
    expect(after.metadata.annotations?.['serving.knative.dev/creator']).toBe('knative-desk-admin');
  });
});
