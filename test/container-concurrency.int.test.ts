// containerConcurrency on the playground's Knative Serving, seen from the replicas' side: a Service with
// `containerConcurrency: 2` (processing's setting) under a burst of 24 slow requests through the gateway. The probe
// workload counts its own concurrent requests and writes each new per-pod high-water mark to a file (pods are host
// processes on the virtual node, sharing this filesystem), so the limit is checked where it matters — no pod ever
// held more than 2 at once — and not from the ingress's counters. Upstream's queue-proxy enforces it (its breaker
// queues the third request); the activator spreads the burst while Knative's autoscaler adds pods.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROBE_IMAGE } from '../playground/probe/probe-image';
import { namespaceForFile, runtimeTestContext } from './support/file-fixtures';
import { boundedLoad, createKnativeService, readyKsvc, requestService } from './support/runtime-helpers';

const { playground, runtime, kc } = runtimeTestContext();
const namespace = namespaceForFile(playground, 'concurrency');
const dir = mkdtempSync(join(tmpdir(), 'knd-concurrency-'));
const marks = join(dir, 'high-water-marks');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('containerConcurrency on Knative Serving', () => {
  it('never gives a pod more than 2 requests at once, while the burst is served in full', async () => {
    await createKnativeService(kc, namespace.name, {
      metadata: { name: 'limited', namespace: namespace.name },
      spec: {
        template: {
          metadata: {
            annotations: {
              'autoscaling.knative.dev/min-scale': '1',
              'autoscaling.knative.dev/max-scale': '4',
            },
          },
          spec: {
            containerConcurrency: 2,
            containers: [{ image: PROBE_IMAGE, env: [{ name: 'PROBE_CONCURRENCY_FILE', value: marks }] }],
          },
        },
      },
    });
    const ksvc = await readyKsvc(kc, namespace.name, 'limited', 180_000);
    const url = (ksvc.status?.address as { url: string }).url;

    // 24 requests of 400 ms each, 12 at a time: far more than 2 per pod at once unless something holds them back.
    const results = await boundedLoad(24, 12, (index) =>
      requestService(runtime.ingress, `${url}/slow?holdMs=400&n=${index}`),
    );
    expect(results.map((result) => result.status)).toEqual(new Array(24).fill(200));

    const perPod = new Map<string, number>();
    for (const line of readFileSync(marks, 'utf8').trim().split('\n')) {
      const [pod, count] = line.split(' ');
      perPod.set(pod ?? '', Math.max(perPod.get(pod ?? '') ?? 0, Number(count)));
    }
    const highest = Math.max(...perPod.values());
    // The limit held on every pod, and it was reached (the test did press on it).
    expect(highest, JSON.stringify(Object.fromEntries(perPod))).toBe(2);
  }, 300_000);
});
