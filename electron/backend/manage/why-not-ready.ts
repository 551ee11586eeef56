// Why a Service or Revision is not Ready, in plain words (pure). Reads every condition that is not True on the
// Service, its Revisions and PodAutoscalers, and the waiting/terminated state of their pods' containers, and turns
// each reason upstream writes (knative.dev/serving pkg/apis/serving/v1 *_lifecycle.go, pkg/reconciler) into an
// explanation and what to do.
import type { Finding } from '../../common/schemas/manage';
import type { KubeObject } from '../workloads/kube-object';
import { arrayOf, conditionStatus, recordOf, stringOrNull } from '../workloads/kube-object';

interface Advice {
  explanation: string;
  action: string;
}

const byReason: [RegExp, (message: string) => Advice][] = [
  [
    /^RevisionMissing$/,
    () => ({
      explanation: 'The traffic names a revision that does not exist (deleted, or never created).',
      action: 'Set traffic to existing revisions, or roll forward to the latest.',
    }),
  ],
  [
    /^RevisionFailed$/,
    () => ({
      explanation: 'The latest revision failed; traffic stays on the last revision that was ready.',
      action: 'See the revision’s reasons; fix the cause and save again, or roll back.',
    }),
  ],
  [
    /^RevisionNotOwned$/,
    () => ({
      explanation: 'A revision with that name already exists and belongs to another Configuration.',
      action: 'Give the revision another name (template.metadata.name) or leave it empty.',
    }),
  ],
  [
    // ImageNotRunnable is the local playground's word for the same thing (an image it has no process for).
    /^(ContainerMissing|ImageNotRunnable)$/,
    (message) => ({
      explanation: `The image cannot be found or run: ${message || 'the registry does not know it'}.`,
      action: 'Check the image name and tag, and that the registry is reachable and its pull secret set.',
    }),
  ],
  [
    /^ExitCode(\d+)$/,
    (message) => ({
      explanation: `The container started and exited (${message || 'non-zero exit code'}).`,
      action:
        'Read its last log lines below; fix the command, the env or the config it needs, then save a new revision.',
    }),
  ],
  [
    /^ProgressDeadlineExceeded$/,
    () => ({
      explanation: 'No pod became ready before the progress deadline (10 minutes by default).',
      action:
        'Look at the pod events and logs: the image, a failing readiness probe, or not enough resources.',
    }),
  ],
  [
    /^(Deploying|Unknown)$/,
    () => ({
      explanation: 'Knative is still bringing the revision up.',
      action: 'Wait; if it stays like this, check the pods and events below.',
    }),
  ],
  [
    /^IngressNotConfigured$/,
    () => ({
      explanation: 'The ingress has not taken the route yet (or cannot).',
      action: 'Wait a few seconds; if it stays, check the networking layer (KIngress) is running.',
    }),
  ],
  [
    /^(NoTraffic)$/,
    () => ({
      explanation: 'Scaled to zero: no requests for a whole stable window. This is normal and not a failure.',
      action: 'The first request will start a pod (a cold start).',
    }),
  ],
  [
    /^Queued$/,
    () => ({
      explanation: 'Activating: a request arrived at zero and a pod is being started.',
      action: 'Wait for the pod; if it does not come, look at the pod events and logs.',
    }),
  ],
  [
    /^TrafficNotMigrated$/,
    () => ({
      explanation: 'Traffic still goes to the previous revision because the new one is not ready.',
      action: 'Fix the new revision (see its reasons) or roll back.',
    }),
  ],
  [
    /^OutOfDate$/,
    () => ({
      explanation: 'The controller has not caught up with the last change yet.',
      action: 'Wait a moment; if it stays, check that the Knative controller runs.',
    }),
  ],
  [
    /^(ErrImagePull|ImagePullBackOff|InvalidImageName)$/,
    (message) => ({
      explanation: `The node cannot pull the image${message ? `: ${message}` : ''}.`,
      action: 'Check the image name and tag and the pull secret.',
    }),
  ],
  [
    /^CrashLoopBackOff$/,
    () => ({
      explanation: 'The container keeps exiting and is being restarted with growing delays.',
      action: 'Read its last log lines below and fix what makes it exit.',
    }),
  ],
  [
    /^(CreateContainerConfigError)$/,
    (message) => ({
      explanation: `The container cannot be configured: ${message || 'a Secret or ConfigMap it names is missing'}.`,
      action: 'Create the missing Secret/ConfigMap or key, or fix the env reference.',
    }),
  ],
  [
    /^OOMKilled$/,
    () => ({
      explanation: 'The container used more memory than its limit and was killed.',
      action: 'Raise the memory limit or reduce what it holds in memory.',
    }),
  ],
];

function advise(reason: string | null, message: string | null, status: string): Advice {
  for (const [pattern, make] of byReason) if (reason && pattern.test(reason)) return make(message ?? '');
  if (message && /waiting for a Revision to become ready|does not have any ready Revision/i.test(message)) {
    return {
      explanation: 'The Service has no ready revision to send traffic to yet.',
      action: 'Look at the latest revision’s reasons below.',
    };
  }
  return {
    explanation:
      status === 'Unknown'
        ? `Not settled yet${reason ? ` (${reason})` : ''}${message ? `: ${message}` : '.'}`
        : `${reason ?? 'Failed'}${message ? `: ${message}` : '.'}`,
    action: 'Look at the events and logs below.',
  };
}

interface RawCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

function conditionsOf(object: KubeObject): RawCondition[] {
  return arrayOf(object.status?.conditions).map((c) => recordOf(c) as RawCondition);
}

/** Conditions that are not True, most specific first (Ready last, since it repeats what the others say). */
export function conditionFindings(object: KubeObject, kind: string): Finding[] {
  const name = `${kind}/${object.metadata?.name ?? ''}`;
  const findings = conditionsOf(object)
    .filter((condition) => condition.status !== 'True' && condition.type)
    .map((condition) => {
      const status = conditionStatus(condition);
      const reason = stringOrNull(condition.reason);
      const message = stringOrNull(condition.message);
      const advice = advise(reason, message, status);
      return {
        object: name,
        condition: condition.type!,
        status,
        reason,
        message,
        explanation: advice.explanation,
        action: advice.action,
      };
    });
  return findings.sort((a, b) => Number(a.condition === 'Ready') - Number(b.condition === 'Ready'));
}

/** Containers of a pod that wait or died, in kubelet words turned into plain ones. */
export function podFindings(pod: KubeObject): Finding[] {
  const name = `Pod/${pod.metadata?.name ?? ''}`;
  const out: Finding[] = [];
  for (const status of arrayOf(pod.status?.containerStatuses).map(recordOf)) {
    const container = typeof status.name === 'string' ? status.name : '?';
    const state = recordOf(status.state);
    const last = recordOf(status.lastState);
    const waiting = recordOf(state.waiting);
    const terminated = recordOf(state.terminated ?? last.terminated);
    const reason = stringOrNull(waiting.reason) ?? stringOrNull(terminated.reason);
    const exitCode = typeof terminated.exitCode === 'number' ? terminated.exitCode : null;
    if (!reason && exitCode === null) continue;
    if (!reason && exitCode === 0) continue;
    const message =
      stringOrNull(waiting.message) ??
      stringOrNull(terminated.message) ??
      (exitCode !== null ? `exit code ${exitCode}` : null);
    const advice = advise(reason ?? `ExitCode${exitCode}`, message, 'False');
    out.push({
      object: name,
      condition: `container ${container}`,
      status: 'False',
      reason,
      message,
      explanation: advice.explanation,
      action: advice.action,
    });
  }
  return out;
}

/** The container whose logs explain the failure: one that waits, restarts or died, else the user container. */
export function failingContainer(
  pods: readonly KubeObject[],
): { pod: string; container: string; previous: boolean } | null {
  let fallback: { pod: string; container: string; previous: boolean } | null = null;
  for (const pod of pods) {
    const podName = pod.metadata?.name ?? '';
    for (const status of arrayOf(pod.status?.containerStatuses).map(recordOf)) {
      const container = typeof status.name === 'string' ? status.name : '';
      const state = recordOf(status.state);
      const restarted = typeof status.restartCount === 'number' && status.restartCount > 0;
      if (state.waiting || state.terminated || restarted || status.ready === false) {
        if (container !== 'queue-proxy')
          return { pod: podName, container, previous: restarted && !state.running };
      }
      if (!fallback && container !== 'queue-proxy') fallback = { pod: podName, container, previous: false };
    }
  }
  return fallback;
}

const kindOrder = ['Revision', 'Pod', 'PodAutoscaler', 'Service'];

/**
 * Findings as the panel lists them: the cause first (revision, then pods, autoscaler, Service), each cause once
 * (Ready repeats the condition that made it False), and "scaled to zero" left out when something actually failed.
 */
export function tidyFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const failed = findings.some((f) => f.status === 'False' && f.reason !== 'NoTraffic');
  return findings
    .filter((f) => !(failed && f.reason === 'NoTraffic'))
    .filter((f) => {
      const key = `${f.object}|${f.reason ?? ''}|${f.message ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((f, index) => ({ f, index }))
    .sort(
      (a, b) =>
        kindOrder.indexOf(a.f.object.split('/')[0]!) - kindOrder.indexOf(b.f.object.split('/')[0]!) ||
        a.index - b.index,
    )
    .map(({ f }) => f);
}

/** One sentence for the top of the panel. */
export function summaryOf(ready: string, findings: readonly Finding[], name: string): string {
  if (ready === 'True') return `${name} is Ready.`;
  const first = findings.find((f) => f.condition !== 'Ready') ?? findings[0];
  if (!first)
    return `${name} is not Ready yet, and no condition says why (the controller may not have looked yet).`;
  return `${name} is ${ready === 'False' ? 'not Ready' : 'not Ready yet'}: ${first.explanation}`;
}
