// Watches survive an apiserver restart. This needs an apiserver the test may stop, so it brings up a private
// etcd + kube-apiserver in its own playground dir (same code and cached binaries as the shared playground, which
// other tests keep using undisturbed), restarts only the apiserver, and checks the workloads watch reports
// "reconnecting", comes back "live" with a fresh snapshot, and keeps delivering changes made after the restart.
import { CustomObjectsApi } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { WorkloadsWatchEvent } from '../electron/common/schemas/workloads';
import { readPlaygroundInfo } from '../playground/info';
import { downPlayground, upPlayground } from '../playground/playground';
import { silentProgress } from '../playground/progress';
import { eventually } from './engine-harness';
import { privateClusterForFile } from './support/file-fixtures';
import { kubeConfigFor } from './support/unique';

const cluster = privateClusterForFile('watch-restart');

function knativeService(name: string) {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { containers: [{ image: 'example.invalid/app:1' }] } } },
  };
}

describe('workloads watch across an apiserver restart', () => {
  it('reconnects, re-lists and keeps following changes', async () => {
    const objects = kubeConfigFor(cluster.info, 'admin').makeApiClient(CustomObjectsApi);
    const create = (name: string) =>
      objects.createNamespacedCustomObject({
        group: 'serving.knative.dev',
        version: 'v1',
        namespace: 'default',
        plural: 'services',
        body: knativeService(name),
      });
    const events: WorkloadsWatchEvent[] = [];
    const stop = cluster.harness.api.workloads.watch(
      { context: cluster.info.contexts.admin, namespace: 'default' },
      (event) => events.push(event),
    );
    try {
      await eventually(
        () => events,
        (all) => all.some((e) => e.type === 'snapshot'),
        'first snapshot',
      );
      await create('before-restart');
      await eventually(
        () => events,
        (all) => all.some((e) => e.type === 'upsert' && e.row.name === 'before-restart'),
        'upsert before restart',
      );

      await downPlayground({ dir: cluster.dir, only: ['kube-apiserver'], progress: silentProgress });
      await eventually(
        () => events,
        (all) => all.some((e) => e.type === 'status' && e.state === 'reconnecting'),
        'reconnecting status',
      );
      const beforeRestart = events.length;
      await upPlayground(cluster.options);
      expect(readPlaygroundInfo(cluster.dir)?.apiServer).toBe(cluster.info.apiServer); // same port, so the same kubeconfig works

      await eventually(
        () => events.slice(beforeRestart),
        (after) => after.some((e) => e.type === 'status' && e.state === 'live'),
        'live again',
        120_000,
      );
      await create('after-restart');
      const after = await eventually(
        () => events.slice(beforeRestart),
        (later) => later.some((e) => e.type === 'upsert' && e.row.name === 'after-restart'),
        'upsert after restart',
      );
      // Whatever path it took (resume or re-list), the rows it reports include both Services.
      const rows = new Set<string>();
      for (const event of [...events.slice(0, beforeRestart), ...after]) {
        if (event.type === 'snapshot') {
          rows.clear();
          for (const row of event.rows) rows.add(row.name);
        } else if (event.type === 'upsert') rows.add(event.row.name);
        else if (event.type === 'delete') rows.delete(event.name);
      }
      expect([...rows].sort()).toEqual(['after-restart', 'before-restart']);
    } finally {
      stop();
    }
  });
});
