// A cluster without Knative Serving: the engine says so from API discovery (the UI shows a banner instead of empty
// tables). Needs a cluster the test may take Knative out of, so it brings up a private etcd + kube-apiserver in its
// own playground dir (cached binaries, like engine-watch-restart) and deletes the serving CRDs there.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaygroundInfo } from '../playground/info';
import { downPlayground, upPlayground } from '../playground/playground';
import { silentProgress } from '../playground/progress';
import { engineFor, eventually } from './engine-harness';
import type { EngineHarness } from './engine-harness';
import { kubeConfigFor } from './support/unique';

const dir = mkdtempSync(join(tmpdir(), 'knd-no-knative-'));
const options = { dir, without: ['kafka', 'runtime'], progress: silentProgress } as const;
let info: PlaygroundInfo;
let harness: EngineHarness;

beforeAll(async () => {
  info = (await upPlayground(options)).info;
  harness = engineFor(info);
}, 600_000);
afterAll(async () => {
  await harness?.close();
  await downPlayground({ dir, progress: silentProgress });
});

describe('a cluster without Knative Serving', () => {
  it('is reported as such, naming the missing API', async () => {
    const context = info.contexts.admin;
    expect(await harness.api.manage.knative({ context })).toMatchObject({ serving: true, missing: [] });

    const crds = kubeConfigFor(info, 'admin').makeApiClient(ApiextensionsV1Api);
    for (const plural of ['services', 'configurations', 'revisions', 'routes']) {
      await crds.deleteCustomResourceDefinition({ name: `${plural}.serving.knative.dev` });
    }
    const answer = await eventually(
      () => harness.api.manage.knative({ context }),
      (result) => !result.serving,
      'discovery to drop serving.knative.dev/v1',
    );
    expect(answer.missing).toContain('serving.knative.dev/v1');
    expect(answer.message).toMatch(/Knative Serving is not installed/);
    // Reads do not fail on the missing kind: the list is empty, and the banner explains why.
    expect(await harness.api.workloads.list({ context })).toEqual({ rows: [] });
  });
});
