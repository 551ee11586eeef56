import { describe, expect, it } from 'vitest';
import { partGroupOf, workloadGroupOf } from './process-cpu';

describe('CPU groups of a playground', () => {
  it("names a pod's containers and an FC instance by workload, queue-proxy included", () => {
    const bundles = '/root/.cache/knative-desk/workload-bundles';
    expect(workloadGroupOf(`node ${bundles}/processing-5575d1b7bcab2fa1/main.mjs`)).toBe('processing');
    expect(workloadGroupOf(`node ${bundles}/homepage-265012467d886a31/main.mjs`)).toBe('HomePage');
    expect(workloadGroupOf('/root/.cache/knative-desk/bin/knative-queue-v0.49.1')).toBe('queue-proxy');
    // A part's own helpers (e.g. `ip netns exec` before it execs) are not a workload: they count with the part.
    expect(workloadGroupOf('ip netns exec kd-pod-1 sleep 1')).toBeUndefined();
  });

  it('names the parts whose processes are bundles by what they stand for, not "other"', () => {
    expect(partGroupOf('kingress')).toBe('KIngress');
    expect(partGroupOf('fc')).toBe('FC (double, controller)');
    expect(partGroupOf('kafka-source')).toBe('KafkaSource dispatcher');
    expect(partGroupOf('kafka')).toBe('Kafka broker');
    expect(partGroupOf('knative-activator')).toBe('Knative activator');
    expect(partGroupOf('kube-apiserver')).toBe('kube-apiserver');
  });
});
