// The upstream Knative CRDs, read at `up` time from the pinned Go modules in the module cache (downloaded from the
// Go module proxy when missing), never copied into the repo: the schemas the API server validates against are
// exactly upstream's.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { requireTool } from './processes';
import type { Versions } from './versions';

export interface CustomResourceDefinition {
  apiVersion: string;
  kind: 'CustomResourceDefinition';
  metadata: { name: string; [key: string]: unknown };
  spec: { conversion?: unknown; [key: string]: unknown };
}

const SERVING_CRDS = ['service', 'configuration', 'revision', 'route', 'podautoscaler'].map(
  (name) => `config/core/300-resources/${name}.yaml`,
);
const KAFKA_SOURCE_CRD = 'control-plane/config/eventing-kafka-broker/100-source/100-kafka-source.yaml';

/** Directory of a module in the Go module cache (`go mod download` fetches it from the proxy when missing). */
export function goModuleDir(module: string, version: string): string {
  requireTool('go', 'Go >= 1.24 (https://go.dev/dl or apt-get install golang-go)');
  const output = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { Dir, Error: failure } = JSON.parse(output) as { Dir?: string; Error?: string };
  if (!Dir) throw new Error(`go mod download ${module}@${version}: ${failure ?? 'no Dir in the answer'}`);
  return Dir;
}

function readCrds(file: string): CustomResourceDefinition[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  return docs
    .map((doc) => doc.toJS() as unknown)
    .filter((crd): crd is CustomResourceDefinition => {
      return (
        typeof crd === 'object' &&
        crd !== null &&
        (crd as { kind?: unknown }).kind === 'CustomResourceDefinition'
      );
    });
}

/**
 * Serving's Service, Configuration, Revision, Route and PodAutoscaler, and eventing-kafka-broker's KafkaSource.
 * KafkaSource declares a conversion webhook that does not exist here; with `strategy: None` the API server serves
 * v1 and v1beta1 by rewriting apiVersion only (their schemas agree on the fields we use).
 */
export function knativeCrds(versions: Versions): CustomResourceDefinition[] {
  const serving = goModuleDir('knative.dev/serving', versions.knativeServing);
  const kafka = goModuleDir('knative.dev/eventing-kafka-broker', versions.eventingKafkaBroker);
  const crds = SERVING_CRDS.flatMap((file) => readCrds(join(serving, file)));
  for (const crd of readCrds(join(kafka, KAFKA_SOURCE_CRD))) {
    crds.push({ ...crd, spec: { ...crd.spec, conversion: { strategy: 'None' } } });
  }
  return crds;
}
