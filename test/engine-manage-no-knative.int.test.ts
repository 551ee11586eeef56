// A cluster without Knative Serving: the engine says so from API discovery (the UI shows a banner instead of empty
// tables). Needs a cluster the test may take Knative out of, so it brings up a private etcd + kube-apiserver in its
// own playground dir (cached binaries, like engine-watch-restart) and deletes the serving CRDs there.
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { eventually } from './engine-harness';
import { privateClusterForFile } from './support/file-fixtures';
import { kubeConfigFor } from './support/unique';

const cluster = privateClusterForFile('no-knative');

describe('a cluster without Knative Serving', () => {
  it('is reported as such, naming the missing API', async () => {
    const context = cluster.info.contexts.admin;
    expect(await cluster.harness.api.manage.knative({ context })).toMatchObject({
      serving: true,
      missing: [],
    });

    const crds = kubeConfigFor(cluster.info, 'admin').makeApiClient(ApiextensionsV1Api);
    for (const plural of ['services', 'configurations', 'revisions', 'routes']) {
      await crds.deleteCustomResourceDefinition({ name: `${plural}.serving.knative.dev` });
    }
    const answer = await eventually(
      () => cluster.harness.api.manage.knative({ context }),
      (result) => !result.serving,
      'discovery to drop serving.knative.dev/v1',
    );
    expect(answer.missing).toContain('serving.knative.dev/v1');
    expect(answer.message).toMatch(/Knative Serving is not installed/);
    // Reads do not fail on the missing kind: the list is empty, and the banner explains why.
    expect(await cluster.harness.api.workloads.list({ context })).toEqual({ rows: [] });
  });
});
