// The Knative (and Knative-on-ASK) names the manage module reads and writes, in one place so they can move into
// the shared vocabulary module as one piece. Spellings are upstream's (knative.dev/serving pkg/apis/serving,
// pkg/apis/autoscaling; Alibaba's FC annotations, "role-arm" included).
export const servingGroup = 'serving.knative.dev';
export const servingApiVersion = 'serving.knative.dev/v1';

export const labels = {
  service: 'serving.knative.dev/service',
  configuration: 'serving.knative.dev/configuration',
  revision: 'serving.knative.dev/revision',
  configurationGeneration: 'serving.knative.dev/configurationGeneration',
  visibility: 'networking.knative.dev/visibility',
} as const;

export const visibilityClusterLocal = 'cluster-local';

export const annotations = {
  minScale: 'autoscaling.knative.dev/min-scale',
  maxScale: 'autoscaling.knative.dev/max-scale',
  initialScale: 'autoscaling.knative.dev/initial-scale',
  target: 'autoscaling.knative.dev/target',
  window: 'autoscaling.knative.dev/window',
  scaleDownDelay: 'autoscaling.knative.dev/scale-down-delay',
  workloadClass: 'workload.serving.knative.aliyun.com/class',
  fcCodeSpace: 'fc.revision.serving.knative.aliyun.com/code-space',
  fcRoleArn: 'fc.revision.serving.knative.aliyun.com/role-arm',
  fcDomain: 'fc.revision.serving.knative.aliyun.com/domain',
  creator: 'serving.knative.dev/creator',
  lastModifier: 'serving.knative.dev/lastModifier',
  routes: 'serving.knative.dev/routes',
  routingStateModified: 'serving.knative.dev/routingStateModified',
} as const;

/** Older spellings upstream still accepts; read them, write the kebab-case ones. */
export const legacyAnnotations: Record<string, string> = {
  'autoscaling.knative.dev/minScale': annotations.minScale,
  'autoscaling.knative.dev/maxScale': annotations.maxScale,
  'autoscaling.knative.dev/initialScale': annotations.initialScale,
  'autoscaling.knative.dev/scaleDownDelay': annotations.scaleDownDelay,
};

/** Labels and annotations Knative's controller and webhook write on Revisions; left out of spec comparisons. */
export const generatedRevisionKeys = new Set<string>([
  labels.service,
  labels.configuration,
  labels.configurationGeneration,
  'serving.knative.dev/configurationUID',
  'serving.knative.dev/serviceUID',
  'serving.knative.dev/routingState',
  annotations.creator,
  annotations.lastModifier,
  annotations.routes,
  annotations.routingStateModified,
]);

export const userContainerName = 'user-container';
