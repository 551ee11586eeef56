// Guarded rollout: shift traffic to the latest ready revision in steps (10 → 25 → 50 → 100 % by default). After
// each shift it waits until the Service reports the split in effect, then for the interval sends a bounded number of
// probe requests to the Service URL (the mix of old and new, as live users see it) and watches the candidate's
// Ready condition. An error rate or p99 above the limits, or the candidate leaving Ready, puts the previous split
// back and says why. Knative's own `rollout-duration` shifts in time only; nothing upstream guards on health.
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import type { z } from 'zod';
import type { RolloutEvent, rolloutParams } from '../../common/schemas/manage';
import type { TrafficTarget } from '../../common/schemas/workloads';
import { EngineError, toEnvelope } from '../errors';
import { loopbackAwareAgent } from '../net/loopback-names';
import { conditionStatus } from '../workloads/kube-object';
import type { ManageService } from './manage-service';
import { stepSpec } from './traffic-plan';
import type { SpecTarget } from './traffic-plan';

type Params = z.output<typeof rolloutParams>;

export interface ProbeResult {
  requests: number;
  errors: number;
  latenciesMs: number[];
}

export function p99(latencies: readonly number[]): number | null {
  if (latencies.length === 0) return null;
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

/** Why a step is a regression, or null when it is healthy. */
export function regression(
  result: ProbeResult,
  candidateReady: string,
  limits: { maxErrorRate: number; maxP99Ms: number },
): string | null {
  if (candidateReady === 'False') return 'the new revision stopped being Ready';
  const rate = result.requests === 0 ? 0 : result.errors / result.requests;
  if (rate > limits.maxErrorRate) {
    return `error rate ${(rate * 100).toFixed(1)} % (${result.errors} of ${result.requests}) is above ${(limits.maxErrorRate * 100).toFixed(1)} %`;
  }
  const tail = p99(result.latenciesMs);
  if (tail !== null && tail > limits.maxP99Ms)
    return `p99 ${Math.round(tail)} ms is above ${limits.maxP99Ms} ms`;
  return null;
}

function toSpec(targets: readonly TrafficTarget[]): SpecTarget[] {
  return targets.map((t) => ({
    ...(t.latestRevision
      ? { latestRevision: true }
      : { revisionName: t.revisionName ?? undefined, latestRevision: false }),
    percent: t.percent,
    ...(t.tag ? { tag: t.tag } : {}),
  }));
}

export async function runRollout(
  manage: ManageService,
  params: Params,
  emit: (event: RolloutEvent) => void,
  signal: AbortSignal,
  probe: (url: string, count: number, signal: AbortSignal) => Promise<ProbeResult> = async (
    url,
    count,
    signal,
  ) => probeUrl(url, count, signal, await manage.gatewayFor(params.context)),
): Promise<void> {
  const { context, namespace, name } = params;
  let previous: TrafficTarget[] = [];
  let shifted = false;
  const revert = async (why: string, outcome: 'reverted' | 'stopped') => {
    if (shifted) await manage.setSpecTraffic(context, namespace, name, toSpec(previous));
    emit({
      type: 'done',
      outcome,
      message: shifted ? `Put the previous split back: ${why}.` : `Stopped before any change: ${why}.`,
      error: null,
    });
  };
  try {
    const view = await manage.revisions(context, namespace, name);
    const candidate = view.latestReadyRevision;
    if (!candidate || candidate !== view.latestCreatedRevision) {
      throw new EngineError(
        'precondition',
        `The latest revision (${view.latestCreatedRevision ?? 'none'}) is not Ready; a rollout needs a ready one to shift to.`,
      );
    }
    previous = view.specTraffic;
    // No spec.traffic at all means the default, 100 % to @latest (the webhook writes it on real clusters).
    if (previous.length === 0 || previous.some((t) => t.latestRevision && t.percent > 0)) {
      throw new EngineError(
        'precondition',
        'Traffic already follows @latest, so the new revision has it all. Roll back to the current revision first (pin it), then roll out.',
      );
    }
    if (previous.every((t) => t.revisionName === candidate || t.percent === 0)) {
      throw new EngineError('precondition', `${candidate} already has all the traffic.`);
    }
    if (!view.url) throw new EngineError('precondition', 'The Service has no URL yet to probe.');
    emit({ type: 'plan', candidate, previous, steps: params.steps });
    for (const percent of params.steps) {
      if (signal.aborted) return await revert('the rollout was stopped', 'stopped');
      emit({ type: 'step', percent, phase: 'shifting' });
      await manage.setSpecTraffic(context, namespace, name, stepSpec(previous, candidate, percent));
      shifted = true;
      await manage.waitForTraffic(context, namespace, name, candidate, percent, signal);
      emit({ type: 'step', percent, phase: 'watching' });
      const deadline = Date.now() + params.intervalSeconds * 1000;
      const total: ProbeResult = { requests: 0, errors: 0, latenciesMs: [] };
      const perRound = Math.max(
        1,
        Math.ceil(params.probeRequests / Math.max(1, Math.ceil(params.intervalSeconds / 2))),
      );
      let candidateReady = 'True';
      // Probes spread over the interval, bounded by probeRequests in all.
      while (Date.now() < deadline && !signal.aborted) {
        if (total.requests < params.probeRequests) {
          const result = await probe(
            new URL(params.probePath, view.url).toString(),
            Math.min(perRound, params.probeRequests - total.requests),
            signal,
          );
          total.requests += result.requests;
          total.errors += result.errors;
          total.latenciesMs.push(...result.latenciesMs);
        }
        candidateReady = conditionStatus({
          status: (await manage.revisions(context, namespace, name)).revisions.find(
            (r) => r.name === candidate,
          )?.ready,
        });
        const why = regression(total, candidateReady, params);
        emit({
          type: 'health',
          percent,
          requests: total.requests,
          errors: total.errors,
          errorRate: total.requests === 0 ? 0 : total.errors / total.requests,
          p99Ms: p99(total.latenciesMs),
          candidateReady: candidateReady as 'True' | 'False' | 'Unknown',
        });
        if (why) return await revert(`at ${percent} %, ${why}`, 'reverted');
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(2000, Math.max(0, deadline - Date.now()))),
        );
      }
    }
    // Stopped while watching the last step: the split goes back too, as Stop promises.
    if (signal.aborted) return await revert('the rollout was stopped', 'stopped');
    emit({
      type: 'done',
      outcome: 'completed',
      message: `${candidate} has 100 % of the traffic.`,
      error: null,
    });
  } catch (error) {
    const envelope = toEnvelope(error, 'manage:rollout');
    try {
      if (shifted) await manage.setSpecTraffic(context, namespace, name, toSpec(previous));
    } catch {
      // reported below: the message says the previous split may not be back
    }
    emit({
      type: 'done',
      outcome: 'failed',
      message: shifted ? `Failed and put the previous split back: ${envelope.message}` : envelope.message,
      error: envelope,
    });
  }
}

/**
 * Where to send a request for `url`: Knative URLs carry no port, so with a gateway address (the playground's
 * ingress, or one the user set) the request goes there with the URL's host as Host header, as a desktop reaches a
 * cluster's Services.
 */
export function probeTarget(url: string, gateway: string | null): { url: string; host?: string } {
  const parsed = new URL(url);
  if (!gateway || parsed.port !== '') return { url };
  const via = new URL(gateway);
  via.pathname = parsed.pathname;
  via.search = parsed.search;
  return { url: via.toString(), host: parsed.host };
}

/** `count` GETs one after another; a 5xx or a network error counts as an error. */
export async function probeUrl(
  url: string,
  count: number,
  signal: AbortSignal,
  gateway: string | null = null,
): Promise<ProbeResult> {
  const result: ProbeResult = { requests: 0, errors: 0, latenciesMs: [] };
  const target = probeTarget(url, gateway);
  for (let i = 0; i < count && !signal.aborted; i++) {
    const started = performance.now();
    try {
      const response = await request(target.url, {
        dispatcher: loopbackAwareAgent,
        headers: target.host ? { host: target.host } : {},
        signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
      });
      await response.body.arrayBuffer();
      if (response.statusCode >= 500) result.errors += 1;
    } catch {
      if (signal.aborted) break;
      result.errors += 1;
    }
    result.requests += 1;
    result.latenciesMs.push(performance.now() - started);
  }
  return result;
}
