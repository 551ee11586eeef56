// Runs one Revision: its replicas (local processes), their Pod mirrors, its PodAutoscaler and its ingress backend.
// What Knative splits over the Deployment, the kubelet, the queue-proxy and the autoscaler, in one place per
// revision:
// - every 1 s the backend's time-weighted concurrency is sampled into the KPA; every 2 s (or at once when the
//   activator sees demand at zero) the KPA decides and the runner converges the replica count;
// - a replica is a Pod object (Knative's labels, owner reference to the Revision, Pending → Running, Ready
//   condition) plus a process; a replica that crashes is restarted in the same pod (restartCount, like the
//   kubelet); scaling down drains the pod (deletionTimestamp set by a graceful DELETE while in-flight requests
//   finish), stops the process, then removes the Pod object;
// - FC-class revisions run the same way but have no Pod objects (Function Compute has no pods); their instances
//   are reported through the FC double's ListInstances.

import { randomBytes, createHash } from 'node:crypto';
import { join } from 'node:path';
import type { V1Container, V1Pod, V1PodStatus, V1Probe } from '@kubernetes/client-node';
import { autoscalingSpecFrom, KPA_DEFAULTS, type AutoscalingSpec } from './autoscaling-spec';
import { EnvResolutionError, resolveEnv } from '../fc/env-resolver';
import { entryForImage, repoRoot, runnableImages } from './image-catalog';
import type { Ingress } from './ingress';
import { KpaAutoscaler, type ScaleDecision } from './kpa-autoscaler';
import {
  describeError,
  isAlreadyExists,
  isNotFound,
  mergeConditions,
  ownerReference,
  PODAUTOSCALERS,
  type Condition,
  type Kube,
  type KnativeObject,
  type KnativeRevision,
} from '../kube';
import { ReplicaProcess } from './replica-process';
import { RevisionBackend } from './revision-backend';

export const NODE_NAME = 'virtual-kubelet-playground';
const POD_DELETE_GRACE_S = 30;
const STOP_GRACE_MS = 10_000;
const READY_TIMEOUT_MS = 60_000;

export interface RuntimeLimits {
  /** Runtime-wide ceiling on replicas per revision (2 shared cores). */
  readonly maxPodsPerRevision: number;
  readonly activationTimeoutMs: number;
  readonly maxOldSpaceMb: number;
}

export interface RevisionRunnerContext {
  readonly kube: Kube;
  readonly ingress: Ingress;
  readonly logDir: string;
  readonly limits: RuntimeLimits;
  /** Asks the serving reconciler to refresh statuses (a replica became ready or failed). */
  readonly onChange: () => void;
  readonly log: (message: string) => void;
}

export interface RevisionHealth {
  readonly ready: boolean | undefined;
  readonly reason?: string;
  readonly message?: string;
}

interface Replica {
  readonly name: string;
  readonly process: ReplicaProcess;
  ready: boolean;
  /** True while a start is under way: its own failure path restarts it, not the exit listener. */
  starting: boolean;
  deleting: boolean;
  restartCount: number;
  readonly createdAt: string;
  startedAt?: string;
  waitingReason?: string;
  waitingMessage?: string;
  lastStatus?: string;
}

export interface ReplicaInfo {
  readonly namespace: string;
  readonly pod: string;
  readonly revision: string;
  readonly pid: number | undefined;
  readonly port: number;
  readonly ready: boolean;
  readonly deleting: boolean;
  readonly restartCount: number;
  readonly inFlight: number;
  readonly maxInFlight: number;
  readonly served: number;
  readonly logFile: string;
}

type PodAutoscaler = KnativeObject<Record<string, unknown>, Record<string, unknown>>;

export class RevisionRunner {
  readonly key: string;
  readonly backend: RevisionBackend;
  private revision: KnativeRevision;
  private kpa: KpaAutoscaler | undefined;
  private specError: string | undefined;
  private readonly replicas = new Map<string, Replica>();
  private readonly podTemplateHash: string;
  private lastDecision: ScaleDecision | undefined;
  private everReady = false;
  private failure: { reason: string; message: string } | undefined;
  private converging = false;
  private closed = false;
  private paCreated = false;
  private paWriting = false;
  private paDirty = false;
  private paDesired = 0;
  private lastPaError: string | undefined;

  constructor(
    revision: KnativeRevision,
    readonly isFc: boolean,
    private readonly context: RevisionRunnerContext,
  ) {
    this.revision = revision;
    this.key = `${revision.metadata.namespace}/${revision.metadata.name}`;
    this.podTemplateHash = createHash('sha256')
      .update(revision.metadata.uid ?? this.key)
      .digest('hex')
      .slice(0, 10);
    this.backend = new RevisionBackend({
      containerConcurrency: revision.spec.containerConcurrency ?? 0,
      activationTimeoutMs: context.limits.activationTimeoutMs,
      maxQueued: 100_000,
      onDemandAtZero: (buffered) => {
        this.kpa?.recordActivatorDemand(Date.now(), buffered);
        void this.tick(Date.now());
      },
    });
    this.applySpec(revision);
  }

  /** The Knative Service this revision belongs to. */
  get serviceName(): string {
    return this.revision.metadata.labels?.['serving.knative.dev/service'] ?? '';
  }

  get namespace(): string {
    return this.revision.metadata.namespace;
  }
  get name(): string {
    return this.revision.metadata.name;
  }
  private get labels(): Record<string, string> {
    return this.revision.metadata.labels ?? {};
  }

  update(revision: KnativeRevision): void {
    this.revision = revision;
    this.backend.setContainerConcurrency(revision.spec.containerConcurrency ?? 0);
    this.applySpec(revision);
  }

  private applySpec(revision: KnativeRevision): void {
    try {
      const spec: AutoscalingSpec = autoscalingSpecFrom(
        revision.metadata.annotations ?? {},
        revision.spec.containerConcurrency ?? 0,
      );
      if (this.kpa) this.kpa.updateSpec(spec);
      else this.kpa = new KpaAutoscaler(spec, { runtimeMaxScale: this.context.limits.maxPodsPerRevision });
      this.specError = undefined;
    } catch (error) {
      this.specError = (error as Error).message;
    }
  }

  /** Ready/not ready and why, for the Revision's status. */
  health(): RevisionHealth {
    if (this.specError) return { ready: false, reason: 'InvalidAnnotation', message: this.specError };
    const image = this.revision.spec.containers[0]?.image ?? '';
    if (!entryForImage(image)) {
      return {
        ready: false,
        reason: 'ImageNotRunnable',
        message: `image "${image}" cannot run in the playground (no registry or container engine here); runnable images: ${runnableImages().join(', ')}`,
      };
    }
    if (this.everReady) return { ready: true };
    if (this.failure) return { ready: false, ...this.failure };
    return {
      ready: undefined,
      reason: 'Deploying',
      message: 'waiting for the first replica to become ready',
    };
  }

  get decision(): ScaleDecision | undefined {
    return this.lastDecision;
  }

  readyCount(): number {
    return this.backend.readyPodCount;
  }

  replicaInfo(): ReplicaInfo[] {
    const load = new Map(this.backend.podLoad().map((pod) => [pod.podName, pod]));
    return [...this.replicas.values()].map((replica) => ({
      namespace: this.namespace,
      pod: replica.name,
      revision: this.name,
      pid: replica.process.pid,
      port: replica.process.port,
      ready: replica.ready,
      deleting: replica.deleting,
      restartCount: replica.restartCount,
      inFlight: load.get(replica.name)?.inFlight ?? 0,
      maxInFlight: load.get(replica.name)?.maxInFlight ?? 0,
      served: load.get(replica.name)?.served ?? 0,
      logFile: this.logFileOf(replica.name),
    }));
  }

  logFileOf(podName: string): string {
    return join(this.context.logDir, this.namespace, `${podName}.log`);
  }

  /** Every second: the queue-proxy's report of average concurrency. */
  sample(nowMs: number): void {
    this.kpa?.recordConcurrency(nowMs, this.backend.takeAverageConcurrency(nowMs));
  }

  /** Every 2 s, or at once on demand at zero: decide and converge. */
  async tick(nowMs: number): Promise<void> {
    if (this.closed || !this.kpa || this.failureIsPermanent()) {
      await this.writePodAutoscaler(0);
      return;
    }
    this.lastDecision = this.kpa.decide(nowMs, this.backend.readyPodCount);
    await this.converge(this.lastDecision.desiredScale);
    await this.writePodAutoscaler(this.lastDecision.desiredScale);
  }

  private failureIsPermanent(): boolean {
    return Boolean(this.specError) || !entryForImage(this.revision.spec.containers[0]?.image ?? '');
  }

  private async converge(desired: number): Promise<void> {
    if (this.converging) return;
    this.converging = true;
    try {
      const live = [...this.replicas.values()].filter((replica) => !replica.deleting);
      if (live.length < desired) {
        for (let i = live.length; i < desired; i++) this.startReplica();
      } else if (live.length > desired) {
        // Remove not-ready replicas first, then the newest (they hold the least warm state).
        const victims = live
          .sort((a, b) => Number(a.ready) - Number(b.ready) || b.createdAt.localeCompare(a.createdAt))
          .slice(0, live.length - desired);
        for (const victim of victims) void this.removeReplica(victim);
      }
    } finally {
      this.converging = false;
    }
  }

  private startReplica(): void {
    const name = `${this.name}-deployment-${this.podTemplateHash.slice(0, 10)}-${randomBytes(3).toString('hex').slice(0, 5)}`;
    const image = this.revision.spec.containers[0]?.image ?? '';
    const entry = entryForImage(image);
    if (!entry) return;
    const replica: Replica = {
      name,
      deleting: false,
      ready: false,
      starting: false,
      restartCount: 0,
      createdAt: new Date().toISOString(),
      process: new ReplicaProcess(
        {
          podName: name,
          entry,
          cwd: repoRoot,
          logFile: this.logFileOf(name),
          maxOldSpaceMb: this.context.limits.maxOldSpaceMb,
        },
        (code, signal, expected) => this.onReplicaExit(replica, code, signal, expected),
      ),
    };
    this.replicas.set(name, replica);
    void this.runReplica(replica, true);
  }

  private async runReplica(replica: Replica, createPod: boolean): Promise<void> {
    const container = this.revision.spec.containers[0];
    if (!container) return;
    if (createPod && !this.isFc) await this.createPodObject(replica);
    let env: Record<string, string>;
    try {
      env = await resolveEnv(this.context.kube.core, container.env, {
        name: replica.name,
        namespace: this.namespace,
        ip: '127.0.0.1',
        serviceAccountName: this.revision.spec.serviceAccountName ?? 'default',
      });
    } catch (error) {
      const reason = error instanceof EnvResolutionError ? error.reason : 'CreateContainerConfigError';
      replica.waitingReason = reason;
      replica.waitingMessage = describeError(error);
      this.failure = { reason, message: replica.waitingMessage };
      await this.writePodStatus(replica);
      this.context.onChange();
      // The kubelet retries; so do we, slowly, in case the Secret appears.
      setTimeout(() => {
        if (!replica.deleting && !this.closed) void this.runReplica(replica, false);
      }, 5000).unref();
      return;
    }
    // Knative always sets K_SERVICE / K_CONFIGURATION / K_REVISION and PORT.
    const fullEnv = {
      ...env,
      K_SERVICE: this.labels['serving.knative.dev/service'] ?? '',
      K_CONFIGURATION: this.labels['serving.knative.dev/configuration'] ?? '',
      K_REVISION: this.name,
    };
    replica.waitingReason = 'ContainerCreating';
    replica.waitingMessage = undefined;
    await this.writePodStatus(replica);
    if (replica.starting) return;
    replica.starting = true;
    try {
      await replica.process.start(READY_TIMEOUT_MS, fullEnv, container.readinessProbe?.httpGet?.path);
    } catch (error) {
      replica.starting = false;
      if (replica.deleting || this.closed) return;
      replica.waitingReason = 'CrashLoopBackOff';
      replica.waitingMessage = (error as Error).message;
      this.failure = {
        reason: 'ExitCode',
        message: `container failed to start: ${(error as Error).message}`,
      };
      await replica.process.stop(1000);
      await this.writePodStatus(replica);
      this.context.onChange();
      this.scheduleRestart(replica);
      return;
    }
    replica.starting = false;
    if (replica.deleting || this.closed) return;
    replica.ready = true;
    replica.startedAt = new Date().toISOString();
    replica.waitingReason = undefined;
    this.everReady = true;
    this.failure = undefined;
    this.backend.upsertPod({ podName: replica.name, host: '127.0.0.1', port: replica.process.port }, true);
    this.context.log(`${this.key}: replica ${replica.name} ready on port ${replica.process.port}`);
    this.context.onChange();
    await this.writePodStatus(replica);
    await this.writePodAutoscaler(this.lastDecision?.desiredScale ?? 0);
  }

  private onReplicaExit(
    replica: Replica,
    code: number | null,
    signal: NodeJS.Signals | null,
    expected: boolean,
  ): void {
    if (expected || replica.deleting || this.closed || replica.starting) return;
    this.context.log(
      `${this.key}: replica ${replica.name} exited (code ${code}, signal ${signal}); restarting`,
    );
    replica.ready = false;
    this.backend.upsertPod({ podName: replica.name, host: '127.0.0.1', port: replica.process.port }, false);
    replica.waitingReason = 'CrashLoopBackOff';
    replica.waitingMessage = `exited with ${signal ? `signal ${signal}` : `code ${code}`}`;
    void this.writePodStatus(replica);
    this.scheduleRestart(replica);
    this.context.onChange();
  }

  private scheduleRestart(replica: Replica): void {
    replica.restartCount++;
    // The kubelet's back-off, shortened: 0.5 s, 1 s, 2 s … up to 10 s.
    const delay = Math.min(10_000, 500 * 2 ** Math.min(5, replica.restartCount - 1));
    setTimeout(() => {
      if (!replica.deleting && !this.closed) void this.runReplica(replica, false);
    }, delay).unref();
  }

  private async removeReplica(replica: Replica): Promise<void> {
    replica.deleting = true;
    replica.ready = false;
    if (!this.isFc) {
      await this.deletePodObject(replica.name, POD_DELETE_GRACE_S);
      // Terminating: the queue-proxy fails readiness at once, so the Pod reads Ready=False while it drains.
      await this.writePodStatus(replica);
    }
    await this.backend.drainPod(replica.name, POD_DELETE_GRACE_S * 1000);
    await replica.process.stop(STOP_GRACE_MS);
    if (!this.isFc) await this.deletePodObject(replica.name, 0);
    this.replicas.delete(replica.name);
    this.context.onChange();
    await this.writePodAutoscaler(this.lastDecision?.desiredScale ?? 0);
  }

  /** Deletes everything this revision runs (revision deleted or runtime stopping). */
  async shutdown(deleteObjects: boolean): Promise<void> {
    this.closed = true;
    this.backend.close(`revision ${this.key} was removed`);
    await Promise.all(
      [...this.replicas.values()].map(async (replica) => {
        replica.deleting = true;
        await replica.process.stop(STOP_GRACE_MS);
        if (deleteObjects && !this.isFc) await this.deletePodObject(replica.name, 0);
      }),
    );
    this.replicas.clear();
  }

  private podBody(replica: Replica): V1Pod {
    const container = this.revision.spec.containers[0];
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: replica.name,
        namespace: this.namespace,
        labels: {
          ...this.labels,
          app: this.name,
          'serving.knative.dev/revision': this.name,
          'serving.knative.dev/revisionUID': this.revision.metadata.uid ?? '',
          'pod-template-hash': this.podTemplateHash,
        },
        annotations: { ...(this.revision.metadata.annotations ?? {}) },
        ownerReferences: [ownerReference(this.revision as unknown as KnativeObject)],
      },
      spec: {
        nodeName: NODE_NAME,
        serviceAccountName: this.revision.spec.serviceAccountName,
        automountServiceAccountToken: false,
        terminationGracePeriodSeconds: POD_DELETE_GRACE_S,
        enableServiceLinks: false,
        containers: [
          {
            ...container,
            ...probesWithPorts(container),
            name: container?.name ?? 'user-container',
            image: container?.image ?? '',
            // Knative adds PORT; the playground gives each replica its own local port (they share one host).
            env: [
              ...(container?.env ?? []),
              { name: 'PORT', value: String(container?.ports?.[0]?.containerPort ?? 8080) },
            ],
          },
        ],
      },
    };
  }

  private async createPodObject(replica: Replica): Promise<void> {
    try {
      await this.context.kube.core.createNamespacedPod({
        namespace: this.namespace,
        body: this.podBody(replica),
      });
    } catch (error) {
      if (!isAlreadyExists(error))
        this.context.log(`${this.key}: could not create Pod ${replica.name}: ${describeError(error)}`);
    }
  }

  private async deletePodObject(name: string, gracePeriodSeconds: number): Promise<void> {
    try {
      await this.context.kube.core.deleteNamespacedPod({
        name,
        namespace: this.namespace,
        gracePeriodSeconds,
      });
    } catch (error) {
      if (!isNotFound(error))
        this.context.log(`${this.key}: could not delete Pod ${name}: ${describeError(error)}`);
    }
  }

  private async writePodStatus(replica: Replica): Promise<void> {
    if (this.isFc) return;
    const now = new Date();
    const created = new Date(replica.createdAt);
    const ready = replica.ready ? 'True' : 'False';
    const container = this.revision.spec.containers[0];
    // Date objects, not strings: the client's serializer calls toISOString() on these fields.
    const status: V1PodStatus = {
      phase: replica.startedAt || replica.restartCount > 0 ? 'Running' : 'Pending',
      hostIP: '127.0.0.1',
      podIP: '127.0.0.1',
      podIPs: [{ ip: '127.0.0.1' }],
      startTime: created,
      qosClass: 'BestEffort',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: created },
        { type: 'Initialized', status: 'True', lastTransitionTime: created },
        { type: 'ContainersReady', status: ready, lastTransitionTime: now },
        { type: 'Ready', status: ready, lastTransitionTime: now },
      ],
      containerStatuses: [
        {
          name: container?.name ?? 'user-container',
          image: container?.image ?? '',
          imageID: '',
          ready: replica.ready,
          started: replica.ready,
          restartCount: replica.restartCount,
          state:
            replica.ready || (replica.deleting && replica.startedAt)
              ? { running: { startedAt: new Date(replica.startedAt ?? now) } }
              : {
                  waiting: {
                    reason: replica.waitingReason ?? 'ContainerCreating',
                    message: replica.waitingMessage,
                  },
                },
        },
      ],
    };
    const fingerprint = JSON.stringify({
      ...status,
      conditions: status.conditions?.map((c) => [c.type, c.status]),
    });
    if (fingerprint === replica.lastStatus) return;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const pod = await this.context.kube.core.readNamespacedPod({
          name: replica.name,
          namespace: this.namespace,
        });
        pod.status = status;
        await this.context.kube.core.replaceNamespacedPodStatus({
          name: replica.name,
          namespace: this.namespace,
          body: pod,
        });
        replica.lastStatus = fingerprint;
        return;
      } catch (error) {
        if (isNotFound(error)) return;
        if (attempt === 2)
          this.context.log(`${this.key}: pod status ${replica.name}: ${describeError(error)}`);
      }
    }
  }

  /** Writes are coalesced: one at a time per PodAutoscaler, the latest state wins (no self-inflicted conflicts). */
  private async writePodAutoscaler(desiredScale: number): Promise<void> {
    this.paDesired = desiredScale;
    if (this.paWriting) {
      this.paDirty = true;
      return;
    }
    this.paWriting = true;
    try {
      do {
        this.paDirty = false;
        await this.writePodAutoscalerNow(this.paDesired);
      } while (this.paDirty && !this.closed);
    } finally {
      this.paWriting = false;
    }
  }

  private async writePodAutoscalerNow(desiredScale: number): Promise<void> {
    const { kube } = this.context;
    const spec = this.kpa?.currentSpec;
    if (!this.paCreated) {
      try {
        await kube.create<PodAutoscaler>(PODAUTOSCALERS, {
          apiVersion: 'autoscaling.internal.knative.dev/v1alpha1',
          kind: 'PodAutoscaler',
          metadata: {
            name: this.name,
            namespace: this.namespace,
            labels: { ...this.labels, 'serving.knative.dev/revision': this.name },
            annotations: {
              'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev',
              'autoscaling.knative.dev/metric': 'concurrency',
              ...(this.revision.metadata.annotations ?? {}),
            },
            ownerReferences: [ownerReference(this.revision as unknown as KnativeObject)],
          },
          spec: {
            containerConcurrency: this.revision.spec.containerConcurrency ?? 0,
            protocolType: 'http1',
            reachability: 'Reachable',
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${this.name}-deployment` },
          },
        });
      } catch (error) {
        if (!isAlreadyExists(error)) {
          const message = `${this.key}: could not create PodAutoscaler: ${describeError(error)}`;
          if (message !== this.lastPaError) this.context.log(message);
          this.lastPaError = message;
          return;
        }
      }
      this.paCreated = true;
    }
    const decision = this.lastDecision;
    const actual = this.backend.readyPodCount;
    const capped = decision?.cappedByRuntime ?? false;
    const conditions: Condition[] = [
      {
        type: 'Active',
        status: actual > 0 ? 'True' : desiredScale > 0 ? 'Unknown' : 'False',
        reason: actual > 0 ? undefined : desiredScale > 0 ? 'Queued' : 'NoTraffic',
        message:
          actual > 0
            ? undefined
            : desiredScale > 0
              ? 'Requests to the target are being buffered as resources are provisioned.'
              : 'The target is not receiving traffic.',
      },
      { type: 'ScaleTargetInitialized', status: this.everReady ? 'True' : 'Unknown' },
      { type: 'SKSReady', status: 'True' },
      capped
        ? {
            type: 'Ready',
            status: 'True',
            reason: 'ScaleCapped',
            message: `the playground caps every revision at ${this.context.limits.maxPodsPerRevision} pods (2 shared cores); the KPA wanted ${decision?.uncappedScale}`,
          }
        : { type: 'Ready', status: 'True' },
    ];
    const annotations: Record<string, string> = {
      'playground.knative-desk.dev/observed-stable-concurrency': (decision?.stableConcurrency ?? 0).toFixed(
        2,
      ),
      'playground.knative-desk.dev/observed-panic-concurrency': (decision?.panicConcurrency ?? 0).toFixed(2),
      'playground.knative-desk.dev/target-concurrency-per-pod': (spec?.targetValue ?? 0).toFixed(2),
      'playground.knative-desk.dev/panic-mode': String(decision?.panicking ?? false),
      'playground.knative-desk.dev/runtime-max-scale': String(this.context.limits.maxPodsPerRevision),
      'playground.knative-desk.dev/kpa-desired-scale': String(decision?.uncappedScale ?? desiredScale),
      'playground.knative-desk.dev/tick-seconds': String(KPA_DEFAULTS.tickMs / 1000),
    };
    try {
      await kube.updateStatus<PodAutoscaler>(PODAUTOSCALERS, this.namespace, this.name, (current) => ({
        ...(current.status ?? {}),
        observedGeneration: current.metadata.generation,
        serviceName: this.name,
        metricsServiceName: `${this.name}-private`,
        desiredScale,
        actualScale: actual,
        annotations,
        conditions: mergeConditions(current.status?.conditions, conditions.map(dropUndefined)),
      }));
    } catch (error) {
      this.context.log(`${this.key}: PodAutoscaler status: ${describeError(error)}`);
    }
  }
}

/**
 * Knative's webhook defaults a probe's port to the container port; no webhook runs here, so the Pod (which the
 * API server validates) gets the port filled in the same way.
 */
function probesWithPorts(container: V1Container | undefined): Partial<V1Container> {
  if (!container) return {};
  const port = container.ports?.[0]?.containerPort ?? 8080;
  const fill = (probe: V1Probe | undefined): V1Probe | undefined => {
    if (!probe) return undefined;
    const filled: V1Probe = { ...probe };
    if (probe.httpGet && !probe.httpGet.port) filled.httpGet = { ...probe.httpGet, port };
    if (probe.tcpSocket && !probe.tcpSocket.port) filled.tcpSocket = { ...probe.tcpSocket, port };
    return filled;
  };
  return { readinessProbe: fill(container.readinessProbe), livenessProbe: fill(container.livenessProbe) };
}

function dropUndefined(condition: Condition): Condition {
  return Object.fromEntries(
    Object.entries(condition).filter(([, value]) => value !== undefined),
  ) as unknown as Condition;
}
