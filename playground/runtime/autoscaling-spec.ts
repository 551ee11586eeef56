// Turns a Revision's autoscaling annotations and containerConcurrency into the numbers the KPA decides with.
// Defaults are Knative's (config-autoscaler, knative/serving pkg/autoscaler/config) and the notes in
// shared/notes/knative-fc-kafka-semantics.md.
import { GoDurationError, parseGoDuration as parseGoDurationOrThrow } from '../kafka-source/go-duration';

export const KPA_DEFAULTS = {
  containerConcurrencyTargetDefault: 100,
  targetUtilization: 0.7,
  stableWindowMs: 60_000,
  panicWindowPercentage: 10,
  panicThresholdPercentage: 200,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  scaleDownDelayMs: 0,
  initialScale: 1,
  tickMs: 2000,
} as const;

const MIN_STABLE_WINDOW_MS = 6_000;
const MAX_STABLE_WINDOW_MS = 3_600_000;

export interface AutoscalingSpec {
  /** Concurrency per pod the autoscaler aims for. */
  readonly targetValue: number;
  /** Concurrency per pod that is the hard limit (containerConcurrency, or the default when unlimited). */
  readonly totalValue: number;
  /** containerConcurrency as written (0 = unlimited). */
  readonly containerConcurrency: number;
  readonly stableWindowMs: number;
  readonly panicWindowMs: number;
  readonly panicThreshold: number;
  readonly maxScaleUpRate: number;
  readonly maxScaleDownRate: number;
  readonly scaleDownDelayMs: number;
  readonly minScale: number;
  /** 0 = unbounded (before the runtime-wide cap). */
  readonly maxScale: number;
  readonly initialScale: number;
  readonly activationScale: number;
}

export class AutoscalingAnnotationError extends Error {
  override readonly name = 'AutoscalingAnnotationError';
}

const PREFIX = 'autoscaling.knative.dev/';

function pick(annotations: Record<string, string>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = annotations[PREFIX + name];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

function integer(annotations: Record<string, string>, names: string[], min: number): number | undefined {
  const raw = pick(annotations, ...names);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new AutoscalingAnnotationError(`${PREFIX}${names[0]}="${raw}" must be an integer ≥ ${min}`);
  }
  return value;
}

function decimal(annotations: Record<string, string>, name: string, min: number): number | undefined {
  const raw = pick(annotations, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    throw new AutoscalingAnnotationError(`${PREFIX}${name}="${raw}" must be a number ≥ ${min}`);
  }
  return value;
}

/** A Go duration of an annotation; a malformed one is an annotation error the Revision's status states. */
export function parseGoDuration(raw: string): number {
  try {
    return parseGoDurationOrThrow(raw);
  } catch (error) {
    if (error instanceof GoDurationError) throw new AutoscalingAnnotationError(error.message);
    throw error;
  }
}

function duration(
  annotations: Record<string, string>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = pick(annotations, name);
  if (raw === undefined) return undefined;
  const ms = parseGoDuration(raw);
  if (ms < min || ms > max) {
    throw new AutoscalingAnnotationError(
      `${PREFIX}${name}="${raw}" must be between ${min / 1000}s and ${max / 1000}s`,
    );
  }
  return ms;
}

/**
 * Reads the autoscaling spec of a revision. Throws AutoscalingAnnotationError (a clear message for the
 * Revision's status) on a malformed annotation instead of guessing.
 */
export function autoscalingSpecFrom(
  annotations: Record<string, string>,
  containerConcurrency: number,
): AutoscalingSpec {
  if (!Number.isInteger(containerConcurrency) || containerConcurrency < 0) {
    throw new AutoscalingAnnotationError(
      `containerConcurrency=${containerConcurrency} must be an integer ≥ 0`,
    );
  }
  let total =
    containerConcurrency === 0 ? KPA_DEFAULTS.containerConcurrencyTargetDefault : containerConcurrency;
  const annotatedTarget = decimal(annotations, 'target', 0.01);
  if (annotatedTarget !== undefined) {
    // An explicit target may not exceed what one pod is allowed to hold.
    total = containerConcurrency === 0 ? annotatedTarget : Math.min(annotatedTarget, containerConcurrency);
  }
  const utilizationPercent = decimal(annotations, 'target-utilization-percentage', 1);
  const utilization =
    utilizationPercent === undefined ? KPA_DEFAULTS.targetUtilization : utilizationPercent / 100;
  // The notes fix the floor at 1 concurrent request per pod (upstream's TargetMin is 0.01; they differ only when
  // total·utilization < 1, e.g. containerConcurrency 1, where 1 keeps one pod per in-flight request).
  const targetValue = Math.max(1, total * utilization);

  const stableWindowMs =
    duration(annotations, 'window', MIN_STABLE_WINDOW_MS, MAX_STABLE_WINDOW_MS) ??
    KPA_DEFAULTS.stableWindowMs;
  const panicPercent =
    decimal(annotations, 'panic-window-percentage', 1) ?? KPA_DEFAULTS.panicWindowPercentage;
  if (panicPercent > 100) {
    throw new AutoscalingAnnotationError(`${PREFIX}panic-window-percentage="${panicPercent}" must be ≤ 100`);
  }
  const panicThresholdPercent =
    decimal(annotations, 'panic-threshold-percentage', 110) ?? KPA_DEFAULTS.panicThresholdPercentage;

  const minScale = integer(annotations, ['min-scale', 'minScale'], 0) ?? 0;
  const maxScale = integer(annotations, ['max-scale', 'maxScale'], 0) ?? 0;
  if (maxScale !== 0 && minScale > maxScale) {
    throw new AutoscalingAnnotationError(`min-scale ${minScale} is above max-scale ${maxScale}`);
  }
  const annotatedInitial = integer(annotations, ['initial-scale', 'initialScale'], 0);
  // allow-zero-initial-scale is false by default upstream: an initial scale of 0 falls back to the default.
  const initialScale =
    annotatedInitial === undefined || annotatedInitial === 0 ? KPA_DEFAULTS.initialScale : annotatedInitial;

  return {
    targetValue,
    totalValue: total,
    containerConcurrency,
    stableWindowMs,
    panicWindowMs: Math.max(1000, (stableWindowMs * panicPercent) / 100),
    panicThreshold: panicThresholdPercent / 100,
    maxScaleUpRate: KPA_DEFAULTS.maxScaleUpRate,
    maxScaleDownRate: KPA_DEFAULTS.maxScaleDownRate,
    scaleDownDelayMs:
      duration(annotations, 'scale-down-delay', 0, 3_600_000) ?? KPA_DEFAULTS.scaleDownDelayMs,
    minScale,
    maxScale,
    initialScale,
    activationScale: integer(annotations, ['activation-scale'], 1) ?? 1,
  };
}
