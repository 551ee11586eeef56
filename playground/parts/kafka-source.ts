// Part `kafka-source`: our KafkaSource controller + dispatcher (playground/kafka-source/kafka-source-main.ts, standing
// in for eventing-kafka-broker's kafka-source-controller and dispatcher) as a process of its own, in both serving
// modes. It needs Kafka and the part that serves the cluster gateway and names it in `<dir>/runtime.json` `ingress`
// (the imitation runtime, or the KIngress in upstream mode), through which it reaches cluster-local sinks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeScriptPart } from './node-script';
import type { Part } from './part';

const READY_FILE = 'kafka-source.json';

export const kafkaSourceReadyFile = (dir: string) => join(dir, READY_FILE);

/** The admin URL of a running kafka-source part (GET /kafkasources: delivery counters per source), if any. */
export function kafkaSourceAdmin(dir: string): string | undefined {
  try {
    const admin = (JSON.parse(readFileSync(kafkaSourceReadyFile(dir), 'utf8')) as { admin?: unknown }).admin;
    return typeof admin === 'string' ? admin : undefined;
  } catch {
    return undefined;
  }
}

export function kafkaSourcePart(gatewayPart: 'runtime' | 'kingress'): Part {
  return nodeScriptPart({
    name: 'kafka-source',
    script: 'playground/kafka-source/kafka-source-main.ts',
    dependsOn: ['kube-apiserver', 'kafka', gatewayPart],
    readyFile: READY_FILE,
  });
}
