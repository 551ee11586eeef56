// Public API of the barrage templates (stable: the console engine and the CLI build on it).
//
//   const objects = renderTemplatesWith({ namespace: 'demo' }, { target: 'playground', playground: facts });
//   process.stdout.write(toYaml(objects));
//
// Invalid parameters throw TemplateParameterError, whose `issues` name each parameter and the reason.
import { join } from 'node:path';
import {
  refinedTemplateParametersSchema,
  templateParametersSchema,
  type TemplateParameters,
  type TemplateParametersInput,
} from './parameters';
import { allTemplatePartIds, renderObjects, type KubernetesObject } from './render';
import type { PlaygroundFacts, TemplateTarget } from './target';
import type { TemplatePartId } from './parts';

export {
  templateParametersSchema,
  type TemplateParameterKey,
  type TemplateParameters,
  type TemplateParametersInput,
} from './parameters';
export { templatePart, templateParts, type TemplatePart, type TemplatePartId } from './parts';
export {
  allTemplatePartIds,
  annotationKeys,
  kafkaSecretName,
  secretKeys,
  tablestoreSecretName,
  type KubernetesObject,
} from './render';
export {
  PlaygroundUnavailableError,
  playgroundFactsOf,
  type PlaygroundFacts,
  type PlaygroundStateFacts,
  type TemplateTarget,
} from './target';
export { toYaml } from './yaml';

export interface TemplateParameterIssue {
  /** The parameter key (e.g. `processingMaxScale`), or `(parameters)` for an unknown key or a bad whole object. */
  readonly parameter: string;
  readonly reason: string;
}

export class TemplateParameterError extends Error {
  override readonly name = 'TemplateParameterError';
  constructor(readonly issues: readonly TemplateParameterIssue[]) {
    super(issues.map((issue) => `${issue.parameter}: ${issue.reason}`).join('; '));
  }
}

export interface RenderOptions {
  /** `cluster` (default) renders as given; `playground` fills Kafka servers and the SQLite path from the playground. */
  readonly target?: TemplateTarget;
  /** Facts of the playground; required when target is `playground` (see playground/template-facts.ts). */
  readonly playground?: PlaygroundFacts;
  /** Which parts to render (all three by default); Secrets they need come first, order is always kept. */
  readonly parts?: readonly TemplatePartId[];
}

const knownKeys = new Set(Object.keys(templateParametersSchema.shape));

/** Validates and fills defaults; throws TemplateParameterError naming every bad parameter. */
export function validateTemplateParameters(input: unknown): TemplateParameters {
  const unknownKeys =
    typeof input === 'object' && input !== null && !Array.isArray(input)
      ? Object.keys(input).filter((key) => !knownKeys.has(key))
      : [];
  const parsed = refinedTemplateParametersSchema.safeParse(input);
  if (parsed.success && unknownKeys.length === 0) return parsed.data;
  const issues: TemplateParameterIssue[] = unknownKeys.map((key) => ({
    parameter: key,
    reason: 'is not a parameter of the barrage templates',
  }));
  for (const issue of parsed.error?.issues ?? []) {
    issues.push({
      parameter: issue.path.length > 0 ? issue.path.join('.') : '(parameters)',
      reason: issue.message,
    });
  }
  throw new TemplateParameterError(issues);
}

/**
 * Defaults that depend on where the parts go. Per namespace: the topic and the consumer group, so two namespaces
 * deployed with defaults never share a group (one would silently get the other's messages). On the playground:
 * its brokers and a SQLite file in its data folder (there every part runs as a local process on this machine).
 * `.` cannot appear in a namespace, so `barrage-info.<namespace>` never collides across namespaces.
 */
export function targetDefaults(
  namespace: string,
  target: TemplateTarget,
  playground?: PlaygroundFacts,
): TemplateParametersInput {
  const perNamespace = {
    kafkaTopic: `barrage-info.${namespace}`,
    consumerGroup: `barrage-processing.${namespace}`,
  };
  if (target === 'cluster') return perNamespace;
  if (!playground) throw new Error('the playground target needs the playground facts');
  return {
    ...perNamespace,
    kafkaServers: playground.kafkaBrokers.join(','),
    store: 'sqlite',
    sqlitePath: join(playground.dataDir, `${namespace}.sqlite`),
  };
}

/** Applies a target's facts under the user's own values (an explicit value always wins). */
export function applyTargetDefaults(
  input: TemplateParametersInput,
  target: TemplateTarget,
  playground?: PlaygroundFacts,
): TemplateParametersInput {
  return { ...targetDefaults(input.namespace ?? 'default', target, playground), ...input };
}

/** Validated Kubernetes objects for the chosen target, in apply order. */
export function renderTemplatesWith(
  input: TemplateParametersInput,
  options: RenderOptions & { playground?: PlaygroundFacts } = {},
): KubernetesObject[] {
  const target = options.target ?? 'cluster';
  const params = validateTemplateParameters(applyTargetDefaults(input, target, options.playground));
  return renderObjects(params, options.parts ?? allTemplatePartIds);
}
