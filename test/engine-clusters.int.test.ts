// Clusters through the engine: the playground's contexts are listed, the admin context is read-write, the viewer
// context read-only in its namespace, and a deploy with the viewer is refused with the apiserver's own 403.
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { DeployEvent } from '../electron/common/schemas/deploy';
import { engineFor } from './engine-harness';

const playground = inject('playground');
const harness = engineFor(playground);
const { api } = harness;
afterAll(() => harness.close());

describe('clusters', () => {
  it("lists the playground's contexts and suggests the admin one", async () => {
    const list = await api.clusters.list({});
    const names = list.contexts.map((context) => context.name);
    expect(names).toEqual(expect.arrayContaining([playground.contexts.admin, playground.contexts.viewer]));
    expect(list.suggested).toBe(playground.contexts.admin);
    expect(list.sources.find((source) => source.kind === 'playground')?.path).toBe(playground.kubeconfig);
  });

  it('calls the admin context read-write', async () => {
    const check = await api.clusters.check({ context: playground.contexts.admin, namespace: 'default' });
    expect(check).toMatchObject({ reachable: true, access: 'read-write', error: null });
    expect(check.serverVersion).toMatch(/^v1\./);
  });

  it('calls the viewer context read-only in its namespace, with a plain sentence', async () => {
    const check = await api.clusters.check({
      context: playground.contexts.viewer,
      namespace: playground.viewerNamespace,
    });
    expect(check.access).toBe('read-only');
    expect(check.summary).toMatch(/^Read-only/);
    expect(check.checks.find((c) => c.verb === 'create' && c.resource === 'services')?.allowed).toBe(false);
    const rows = await api.workloads.list({
      context: playground.contexts.viewer,
      namespace: playground.viewerNamespace,
    });
    expect(Array.isArray(rows.rows)).toBe(true);
  });

  it('refuses a viewer deploy with a clear 403 from the apiserver', async () => {
    const events: DeployEvent[] = [];
    const run = api.deploy.apply(
      {
        context: playground.contexts.viewer,
        templateId: 'processing',
        namespace: playground.viewerNamespace,
        parameters: {},
      },
      (event) => events.push(event),
    );
    await run.done;
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type !== 'done') return;
    expect(done.ok).toBe(false);
    expect(done.error?.code).toBe('forbidden');
    expect(done.error?.details.httpStatus).toBe(403);
    expect(done.error?.details.reason).toBe('Forbidden');
    expect(done.error?.message).toMatch(/forbidden/i);
    // Nothing was applied: the failure came at the dry run of the first object.
    expect(events.some((event) => event.type === 'object' && event.phase === 'applied')).toBe(false);
  });

  it('says "unreachable" for a context it does not know', async () => {
    const check = await api.clusters.check({ context: 'no-such-context' });
    expect(check.access).toBe('unreachable');
    expect(check.error?.code).toBe('not-found');
  });
});
