// Multi-document YAML for `kubectl apply -f -` and for showing users what will be applied.
import { stringify } from 'yaml';
import type { KubernetesObject } from './render';

export function toYaml(objects: readonly KubernetesObject[]): string {
  // lineWidth 0: never fold long strings (annotation JSON, URLs) across lines.
  return objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n');
}
