// The playground's probe image as a Knative Service (no vitest import: the benches build theirs with it too).
import { PROBE_IMAGE } from '../../playground/probe/probe-image';

/** A Knative Service of the playground's probe image, with these template annotations, env and traffic. */
export function probeKsvc(
  name: string,
  namespace: string,
  template: {
    annotations: Record<string, string>;
    env?: { name: string; value: string }[];
    containerConcurrency?: number;
  },
  traffic?: Record<string, unknown>[],
) {
  const container = { image: PROBE_IMAGE, ...(template.env ? { env: template.env } : {}) };
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: {
      template: {
        metadata: { annotations: template.annotations },
        spec: {
          ...(template.containerConcurrency === undefined
            ? {}
            : { containerConcurrency: template.containerConcurrency }),
          containers: [container],
        },
      },
      ...(traffic ? { traffic } : {}),
    },
  };
}
