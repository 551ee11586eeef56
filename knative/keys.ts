// The label and annotation keys of Knative Serving, Knative Eventing's KafkaSource and Alibaba's Knative on ASK,
// written once. Spellings are upstream's (knative.dev/serving pkg/apis/serving/register.go,
// pkg/apis/autoscaling/register.go, networking; Alibaba's ECI and FC annotations, "role-arm" included). Part of the
// vocabulary module: imports nothing.

export const labels = {
  service: 'serving.knative.dev/service',
  serviceUid: 'serving.knative.dev/serviceUID',
  configuration: 'serving.knative.dev/configuration',
  configurationUid: 'serving.knative.dev/configurationUID',
  configurationGeneration: 'serving.knative.dev/configurationGeneration',
  revision: 'serving.knative.dev/revision',
  revisionUid: 'serving.knative.dev/revisionUID',
  routingState: 'serving.knative.dev/routingState',
  visibility: 'networking.knative.dev/visibility',
} as const;

/** The `networking.knative.dev/visibility` value that keeps a Service off the external gateway. */
export const visibilityClusterLocal = 'cluster-local';

export const annotations = {
  minScale: 'autoscaling.knative.dev/min-scale',
  maxScale: 'autoscaling.knative.dev/max-scale',
  initialScale: 'autoscaling.knative.dev/initial-scale',
  target: 'autoscaling.knative.dev/target',
  window: 'autoscaling.knative.dev/window',
  scaleDownDelay: 'autoscaling.knative.dev/scale-down-delay',
  autoscalingClass: 'autoscaling.knative.dev/class',
  autoscalingMetric: 'autoscaling.knative.dev/metric',
  creator: 'serving.knative.dev/creator',
  lastModifier: 'serving.knative.dev/lastModifier',
  routes: 'serving.knative.dev/routes',
  routingStateModified: 'serving.knative.dev/routingStateModified',
  /** Knative on ASK: `fc` runs the Service as a Function Compute function, anything else as ECI pods. */
  workloadClass: 'workload.serving.knative.aliyun.com/class',
  fcCodeSpace: 'fc.revision.serving.knative.aliyun.com/code-space',
  // "arm" is how Alibaba's controller spells it; "arn" would be silently ignored.
  fcRoleArn: 'fc.revision.serving.knative.aliyun.com/role-arm',
  fcDomain: 'fc.revision.serving.knative.aliyun.com/domain',
  eciImageSnapshotId: 'k8s.aliyun.com/eci-image-snapshot-id',
  eciAutoImageCache: 'k8s.aliyun.com/eci-auto-imc',
  /** Read by eventing-kafka-broker's older dispatchers; v0.49 reads `spec.ordering` instead. */
  deliveryOrder: 'kafka.eventing.knative.dev/delivery.order',
} as const;

/** Older spellings upstream still accepts; read them, write the kebab-case ones. */
export const legacyAnnotations: Readonly<Record<string, string>> = {
  'autoscaling.knative.dev/minScale': annotations.minScale,
  'autoscaling.knative.dev/maxScale': annotations.maxScale,
  'autoscaling.knative.dev/initialScale': annotations.initialScale,
  'autoscaling.knative.dev/scaleDownDelay': annotations.scaleDownDelay,
};

/** Every spelling of an annotation key upstream reads: the current one first, then its legacy ones. */
export function spellingsOf(key: string): string[] {
  return [key, ...Object.keys(legacyAnnotations).filter((legacy) => legacyAnnotations[legacy] === key)];
}

/** Labels and annotations Knative's controller and webhook write on Revisions; left out of spec comparisons. */
export const generatedRevisionKeys: ReadonlySet<string> = new Set<string>([
  labels.service,
  labels.configuration,
  labels.configurationGeneration,
  labels.configurationUid,
  labels.serviceUid,
  labels.routingState,
  annotations.creator,
  annotations.lastModifier,
  annotations.routes,
  annotations.routingStateModified,
]);

/** The container name Knative gives the (single) user container when the spec leaves it out. */
export const userContainerName = 'user-container';
