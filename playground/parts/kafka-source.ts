// Part `kafka-source`: our KafkaSource controller + dispatcher (playground/kafka-source/kafka-source-main.ts, standing
// in for eventing-kafka-broker's kafka-source-controller and dispatcher) as a process of its own. It needs Kafka and
// the KIngress, which names its cluster gateway in `<dir>/runtime.json` `ingress`, through which it reaches
// cluster-local sinks.
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

export const kafkaSourcePart: Part = nodeScriptPart({
  name: 'kafka-source',
  script: 'playground/kafka-source/kafka-source-main.ts',
  dependsOn: ['kube-apiserver', 'kafka', 'kingress'],
  readyFile: READY_FILE,
});
