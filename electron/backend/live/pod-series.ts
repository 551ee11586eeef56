// Live series per Knative Service: pods ready / pending / terminating (from a Pod watch) and desired / actual
// scale (from a PodAutoscaler watch), sampled every `sampleMs` into a ring buffer per Service. Watches keep the
// current state; sampling turns it into evenly spaced points, so a burst of pod events costs one point, not one
// push each, and the UI gets at most one batch per sample. An FC-class Service has no pods: its `ready` is the
// function's instance count from the FC API.
import type { KubeConfig } from '@kubernetes/client-node';
import type { LiveSeriesEvent, PodCountPoint } from '../../common/schemas/live';
import { intOrNull } from '../workloads/kube-object';
import type { KubeObject } from '../workloads/kube-object';
import { ResilientWatch } from '../workloads/resilient-watch';
import { labels } from '../../../knative/keys';
import { resources } from '../../../knative/resources';
import { podState } from '../workloads/rows';
import { workloadKindOf } from '../../../knative/ask';
import { RingBuffer } from '../../common/ring-buffer';

const SERVICE_LABEL = labels.service;

export interface PodSeriesOptions {
  config: KubeConfig;
  namespace: string;
  service?: string;
  sampleMs: number;
  capacity: number;
  emit: (event: LiveSeriesEvent) => void;
  /**
   * Instances FC runs for an FC-class Service (null: not known). Without it FC-class Services are counted by pods,
   * of which they have none.
   */
  fcInstances?: (service: string) => Promise<number | null>;
  /** The clock, injectable for tests of the sampler alone. */
  now?: () => number;
}

/** Counts for one Service from the current pods and autoscalers (pure). */
export function countFor(
  service: string,
  pods: KubeObject[],
  autoscalers: KubeObject[],
  at: number,
): PodCountPoint {
  const point: PodCountPoint = { at, ready: 0, pending: 0, terminating: 0, desired: null, actual: null };
  for (const pod of pods) {
    if (pod.metadata?.labels?.[SERVICE_LABEL] !== service) continue;
    const state = podState(pod);
    if (state === 'ready') point.ready++;
    else if (state === 'pending') point.pending++;
    else if (state === 'terminating') point.terminating++;
  }
  for (const pa of autoscalers) {
    if (pa.metadata?.labels?.[SERVICE_LABEL] !== service) continue;
    const desired = intOrNull(pa.status?.desiredScale);
    const actual = intOrNull(pa.status?.actualScale);
    // desiredScale -1 means "not decided yet" in Knative; it is not a count.
    if (desired !== null && desired >= 0) point.desired = (point.desired ?? 0) + desired;
    if (actual !== null && actual >= 0) point.actual = (point.actual ?? 0) + actual;
  }
  return point;
}

export class PodSeries {
  private readonly pods: ResilientWatch;
  private readonly autoscalers: ResilientWatch;
  private readonly services: ResilientWatch | undefined;
  /** Last instance count per FC-class Service, refreshed each sample (one call in flight per Service). */
  private readonly instances = new Map<string, number | null>();
  private readonly refreshing = new Set<string>();
  private readonly series = new Map<string, RingBuffer<PodCountPoint>>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: PodSeriesOptions) {
    const selector = options.service ? `${SERVICE_LABEL}=${options.service}` : SERVICE_LABEL;
    const quiet = { snapshot: () => {}, upsert: () => {}, remove: () => {} };
    this.pods = new ResilientWatch({
      config: options.config,
      type: resources.pod,
      namespace: options.namespace,
      labelSelector: selector,
      listener: quiet,
    });
    this.autoscalers = new ResilientWatch({
      config: options.config,
      type: resources.podAutoscaler,
      namespace: options.namespace,
      labelSelector: selector,
      listener: quiet,
    });
    this.services = options.fcInstances
      ? new ResilientWatch({
          config: options.config,
          type: resources.service,
          namespace: options.namespace,
          listener: quiet,
        })
      : undefined;
  }

  /** Names of the FC-class Knative Services seen by the watch. */
  private fcServices(): Set<string> {
    const names = new Set<string>();
    for (const service of this.services?.objects() ?? []) {
      const name = service.metadata?.name;
      if (name && workloadKindOf(service) === 'FC') names.add(name);
    }
    return names;
  }

  private refreshInstances(service: string): void {
    const count = this.options.fcInstances;
    if (!count || this.refreshing.has(service)) return;
    this.refreshing.add(service);
    count(service)
      .then(
        (value) => this.instances.set(service, value),
        () => this.instances.set(service, null),
      )
      .finally(() => this.refreshing.delete(service));
  }

  start(): this {
    this.pods.start();
    this.autoscalers.start();
    this.services?.start();
    this.timer = setInterval(() => this.sample(), this.options.sampleMs);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.pods.stop();
    this.autoscalers.stop();
    this.services?.stop();
  }

  /** Takes one point per Service now and emits it (public for tests and benches). */
  sample(): void {
    const at = (this.options.now ?? Date.now)();
    const pods = this.pods.objects();
    const autoscalers = this.autoscalers.objects();
    const names = new Set<string>(this.series.keys());
    if (this.options.service) names.add(this.options.service);
    const fc = this.fcServices();
    for (const name of fc) if (!this.options.service || name === this.options.service) names.add(name);
    for (const object of [...pods, ...autoscalers]) {
      const name = object.metadata?.labels?.[SERVICE_LABEL];
      if (name) names.add(name);
    }
    const out: LiveSeriesEvent['series'] = [];
    for (const name of names) {
      let ring = this.series.get(name);
      if (!ring) {
        ring = new RingBuffer<PodCountPoint>(this.options.capacity);
        this.series.set(name, ring);
      }
      const point = countFor(name, pods, autoscalers, at);
      if (fc.has(name)) {
        this.refreshInstances(name);
        point.ready = this.instances.get(name) ?? 0;
        point.pending = 0;
        point.terminating = 0;
      }
      ring.push(point);
      out.push({
        namespace: this.options.namespace,
        service: name,
        workload: fc.has(name) ? 'fc-instances' : 'pods',
        points: [point],
      });
    }
    if (out.length > 0) this.options.emit({ series: out });
  }

  /** Everything retained, per Service (for a UI that attaches late). */
  history(): LiveSeriesEvent {
    return {
      series: [...this.series.entries()].map(([service, ring]) => ({
        namespace: this.options.namespace,
        service,
        workload: this.fcServices().has(service) ? ('fc-instances' as const) : ('pods' as const),
        points: ring.toArray(),
      })),
    };
  }
}
