// The playground's parts (parts/index.ts): Knative Serving itself (the webhook as a host process; controller,
// autoscaler and activator each in a network namespace of its own; queue-proxy in every pod), pods on the virtual
// node, and our KIngress as the networking layer, with Kafka and our KafkaSource controller + dispatcher (part
// kafka-source) delivering through the KIngress's internal gateway.
// FC-class Services become functions of part `fc` (FC double + our FC controller, parts/fc.ts), with no Pods.
import { join } from 'node:path';
import { PROBE_ENTRY, PROBE_IMAGE } from '../probe/probe-image';
import { bundleEntry } from './bundles';
import { etcdPart } from './etcd';
import { fcPart } from './fc';
import { kafkaPart } from './kafka';
import { kafkaSourcePart } from './kafka-source';
import { kubeApiserverPart } from './kube-apiserver';
import { kubeControllerManagerPart, kubeSchedulerPart } from './kube-controllers';
import { knativeBinary, knativeWebhookPart } from './knative-serving';
import { nodeScriptPart } from './node-script';
import type { Part, PartContext } from './part';
import {
  knativeActivatorPart,
  knativeAutoscalerPart,
  knativeControllerPart,
  knativeNetPart,
  queueImage,
} from './upstream-serving';
import { virtualNodePart, type ImageEntry } from './virtual-node';

/** The probe image's server, bundled as the barrage entries are, so tests can deploy PROBE_IMAGE here too. */
export async function bundleProbe(cache: string): Promise<ImageEntry> {
  const target = await bundleEntry(cache, 'probe', PROBE_ENTRY);
  return { command: [process.execPath, join(target, 'main.mjs')], env: { PORT: '8080' }, dir: target };
}

/** Extra images.json entries: queue-proxy → the cached `queue` binary, the probe fixture → its bundle. */
async function upstreamImages(ctx: PartContext): Promise<Record<string, ImageEntry>> {
  return {
    [queueImage(ctx.versions)]: { command: [knativeBinary(ctx, 'queue')] },
    [PROBE_IMAGE]: await bundleProbe(ctx.cache),
  };
}

export const upstreamServingParts: readonly Part[] = [
  etcdPart,
  kubeApiserverPart,
  kubeControllerManagerPart,
  kubeSchedulerPart,
  kafkaPart,
  knativeWebhookPart,
  knativeNetPart,
  knativeAutoscalerPart,
  knativeActivatorPart,
  knativeControllerPart,
  virtualNodePart({ images: upstreamImages, dependsOn: ['kube-apiserver'] }),
  nodeScriptPart({
    name: 'kingress',
    script: 'playground/kingress/kingress-main.ts',
    dependsOn: ['knative-webhook'],
  }),
  kafkaSourcePart,
  fcPart,
];
