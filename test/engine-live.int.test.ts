// Live pod series against the playground's apiserver: pods created, made ready, held terminating by a finalizer
// and deleted show up in the Service's series as the apiserver sees them.
import { CoreV1Api } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { PodCountPoint } from '../electron/common/schemas/live';
import { eventually } from './engine-harness';
import { PROBE_IMAGE } from '../playground/probe/probe-image';
import {
  createKnativeService,
  podsOf,
  readyKsvc,
  requestService,
  runtimeOf,
} from './support/runtime-helpers';
import { kubeConfigFor } from './support/unique';
import { engineInNamespace } from './support/engine-in-namespace';

const { playground, api, namespace } = engineInNamespace('engine-live');
const core = kubeConfigFor(playground, 'admin').makeApiClient(CoreV1Api);
const service = 'series-svc';
const FINALIZER = 'knative-desk.dev/test-hold';

function pod(name: string): V1Pod {
  return {
    metadata: { name, labels: { 'serving.knative.dev/service': service }, finalizers: [FINALIZER] },
    spec: { containers: [{ name: 'c', image: 'example.invalid/none:1' }] },
  };
}

describe('live pod series', () => {
  it('follows pods created, ready, terminating and deleted', async () => {
    const points: PodCountPoint[] = [];
    const stop = api.live.pods(
      { context: playground.contexts.admin, namespace: namespace.name, service, sampleMs: 250 },
      (event) => {
        for (const series of event.series) if (series.service === service) points.push(...series.points);
      },
    );
    const latest = () => points.at(-1);
    const is = (want: Partial<PodCountPoint>) => (point: PodCountPoint | undefined) =>
      !!point && Object.entries(want).every(([key, value]) => point[key as keyof PodCountPoint] === value);
    try {
      await eventually(latest, is({ ready: 0, pending: 0, terminating: 0 }), 'an empty first point');

      await core.createNamespacedPod({ namespace: namespace.name, body: pod('p1') });
      await core.createNamespacedPod({ namespace: namespace.name, body: pod('p2') });
      await eventually(latest, is({ pending: 2, ready: 0 }), 'two pending pods');

      // No kubelet here: report p1 running and ready through the status subresource, as a kubelet would.
      const p1 = await core.readNamespacedPod({ name: 'p1', namespace: namespace.name });
      p1.status = {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date() }],
      };
      await core.replaceNamespacedPodStatus({ name: 'p1', namespace: namespace.name, body: p1 });
      await eventually(latest, is({ ready: 1, pending: 1 }), 'one ready, one pending');

      // The finalizer keeps p2 in Terminating after delete.
      await core.deleteNamespacedPod({ name: 'p2', namespace: namespace.name });
      await eventually(latest, is({ ready: 1, pending: 0, terminating: 1 }), 'one terminating');

      for (const name of ['p1', 'p2']) {
        await core.patchNamespacedPod(
          { name, namespace: namespace.name, body: [{ op: 'remove', path: '/metadata/finalizers' }] },
          undefined,
        );
      }
      await core.deleteNamespacedPod({ name: 'p1', namespace: namespace.name });
      await eventually(latest, is({ ready: 0, pending: 0, terminating: 0 }), 'all gone');
      // Points are evenly spaced samples, oldest first.
      expect(points.every((point, i) => i === 0 || point.at >= points[i - 1]!.at)).toBe(true);
    } finally {
      stop();
    }
  });
});

describe('live series of an FC-class Service', () => {
  it('counts the function instances from the FC API, where an ECI Service counts pods', async () => {
    const kc = kubeConfigFor(playground, 'admin');
    await createKnativeService(kc, namespace.name, {
      metadata: {
        name: 'fc-front',
        namespace: namespace.name,
        annotations: { 'workload.serving.knative.aliyun.com/class': 'fc' },
      },
      spec: {
        template: { spec: { containers: [{ image: PROBE_IMAGE }] } },
      },
    });
    const seen: { workload: string; ready: number }[] = [];
    const stop = api.live.pods(
      { context: playground.contexts.admin, namespace: namespace.name, service: 'fc-front', sampleMs: 250 },
      (event) => {
        for (const series of event.series) {
          if (series.service !== 'fc-front') continue;
          for (const point of series.points) seen.push({ workload: series.workload, ready: point.ready });
        }
      },
    );
    try {
      // As on Function Compute, a function has no instance until it is invoked: invoke it once, by its Knative URL
      // through the playground's gateway, as the console's sender would.
      const ksvc = await readyKsvc(kc, namespace.name, 'fc-front');
      const url = (ksvc.status?.address as { url: string }).url;
      expect((await requestService(runtimeOf(playground).ingress, url)).status).toBe(200);
      // Without the FC count this stays at 0 ready: an FC-class Service has no pods.
      await eventually(
        () => seen.at(-1),
        (point) => point?.workload === 'fc-instances' && point.ready >= 1,
        'at least one FC instance',
      );
      expect(await podsOf(kc, namespace.name, 'fc-front')).toHaveLength(0);
    } finally {
      stop();
    }
  });
});
