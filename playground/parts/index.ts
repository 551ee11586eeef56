// Every part of the playground, in one list. `up` starts them in dependency order (independent ones
// concurrently), `down` stops them in reverse. To add a part, append it here, e.g. the runtime:
//
//   nodeScriptPart({ name: 'runtime', script: 'playground/runtime/main.ts', dependsOn: ['kube-apiserver'] }),
//
// (see parts/node-script.ts for what such a script receives and how it signals readiness).
import { etcdPart } from './etcd';
import { kafkaPart } from './kafka';
import { kafkaSourcePart } from './kafka-source';
import { knativeWebhookPart } from './knative-serving';
import { kubeApiserverPart } from './kube-apiserver';
import { kubeControllerManagerPart, kubeSchedulerPart } from './kube-controllers';
import { nodeScriptPart } from './node-script';
import type { Part } from './part';
import { upstreamServingParts } from './upstream-parts';

const imitationParts: readonly Part[] = [
  etcdPart,
  kubeApiserverPart,
  kubeControllerManagerPart,
  kubeSchedulerPart,
  // Upstream Knative Serving's admission webhook: before anything that writes Knative objects (failurePolicy Fail).
  knativeWebhookPart,
  kafkaPart,
  nodeScriptPart({
    name: 'runtime',
    script: 'playground/runtime/main.ts',
    dependsOn: ['kube-apiserver', 'knative-webhook'],
  }),
  // Our KafkaSource controller + dispatcher; delivers through the runtime's ingress.
  kafkaSourcePart('runtime'),
];

/**
 * Knative Serving itself on the virtual node (parts/upstream-parts.ts) is the playground. KNATIVE_DESK_PLAYGROUND_SERVING=
 * imitation still picks the runtime's imitation until it is deleted (issue 9).
 */
export const servingMode =
  process.env.KNATIVE_DESK_PLAYGROUND_SERVING === 'imitation' ? 'imitation' : 'upstream';
export const parts: readonly Part[] = servingMode === 'upstream' ? upstreamServingParts : imitationParts;
