// The built-in templates (workloads/templates: the barrage service's three parts) seen through the contract:
// parameter descriptions for forms, and rendering with the target the context implies.
import {
  TemplateParameterError,
  renderTemplatesWith,
  targetDefaults,
  templateParts,
} from '../../../workloads/templates/index';
import type { KubernetesObject, PlaygroundFacts, TemplatePartId } from '../../../workloads/templates/index';
import type { TemplateInfo, TemplateParameter } from '../../common/schemas/deploy';
import { EngineError } from '../errors';

const kindByWorkload = { eci: 'ECI', fc: 'FC', eventing: 'Eventing' } as const;

function parameterFrom(name: string, schema: Record<string, unknown>, required: boolean): TemplateParameter {
  const type = schema.type;
  const options = Array.isArray(schema.enum) ? schema.enum.map(String) : null;
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  const fallback = schema.default;
  return {
    name,
    label: typeof schema.title === 'string' ? schema.title : name,
    description: typeof schema.description === 'string' ? schema.description : null,
    type:
      schema.secret === true
        ? 'secret'
        : options
          ? 'enum'
          : type === 'integer' || type === 'number' || type === 'boolean'
            ? type
            : 'string',
    required,
    default:
      typeof fallback === 'string' || typeof fallback === 'number' || typeof fallback === 'boolean'
        ? fallback
        : null,
    options,
    min: number(schema.minimum),
    max: number(schema.maximum),
  };
}

/**
 * The templates as the contract describes them; `defaults` replace the schema's defaults (see connectionDefaults).
 * `secretSources` names where a secret field's default comes from (a profile): its value is never sent, the
 * description says that leaving it empty uses the stored one.
 */
export function templateInfos(
  defaults: Record<string, unknown> = {},
  secretSources: Readonly<Record<string, string>> = {},
): TemplateInfo[] {
  return templateParts.map((part) => {
    const properties = (part.jsonSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
    const required = new Set(
      Array.isArray(part.jsonSchema.required) ? (part.jsonSchema.required as string[]) : [],
    );
    return {
      id: part.id,
      title: part.title,
      description: part.description,
      kind: kindByWorkload[part.workload],
      // The namespace is chosen beside the form (it is the request's own field), not as a parameter.
      parameters: Object.entries(properties)
        .filter(([name]) => name !== 'namespace')
        .map(([name, schema]) =>
          parameterFrom(
            name,
            withSource(
              name in defaults ? { ...schema, default: defaults[name] } : schema,
              secretSources[name],
            ),
            required.has(name),
          ),
        ),
    };
  });
}

function withSource(schema: Record<string, unknown>, source: string | undefined): Record<string, unknown> {
  if (!source) return schema;
  const description = typeof schema.description === 'string' ? `${schema.description} ` : '';
  return {
    ...schema,
    description: `${description}Leave empty to use the one stored with ${source} (it goes into the Secret).`,
  };
}

/**
 * Defaults for where the parts would go. The playground's contexts get its brokers and a SQLite file it can share;
 * any other cluster gets Tablestore, since a SQLite file is not shared between pods there (its required fields then
 * say what to fill in); every namespace gets its own topic and consumer group.
 */
export function connectionDefaults(
  namespace: string,
  context: string | undefined,
  playgroundFacts: (() => PlaygroundFacts) | undefined,
): Record<string, string | number | boolean> {
  if (playgroundFacts) {
    try {
      return { ...targetDefaults(namespace, 'playground', playgroundFacts()) };
    } catch (error) {
      if ((error as Error)?.name !== 'PlaygroundUnavailableError') throw error;
    }
  }
  const perNamespace = { ...targetDefaults(namespace, 'cluster') };
  return context ? { ...perNamespace, store: 'tablestore' } : perNamespace;
}

function partId(templateId: string): TemplatePartId {
  const part = templateParts.find((candidate) => candidate.id === templateId);
  if (!part) {
    throw new EngineError(
      'not-found',
      `No template "${templateId}". Templates: ${templateParts.map((p) => p.id).join(', ')}.`,
    );
  }
  return part.id;
}

/** Renders one template's objects in apply order; parameter errors name each parameter. */
export function renderTemplate(
  templateId: string,
  namespace: string,
  parameters: Record<string, string | number | boolean>,
  /** Set when the context is the playground's: reads its facts (throws PlaygroundUnavailableError without Kafka). */
  playgroundFacts: (() => PlaygroundFacts) | undefined,
): KubernetesObject[] {
  const id = partId(templateId);
  try {
    return renderTemplatesWith(
      { ...parameters, namespace },
      playgroundFacts
        ? { target: 'playground', playground: playgroundFacts(), parts: [id] }
        : { parts: [id] },
    );
  } catch (error) {
    if (error instanceof TemplateParameterError) {
      throw new EngineError('invalid-request', `Template parameters: ${error.message}`, {
        causes: error.issues.map((issue) => ({
          field: `parameters.${issue.parameter}`,
          message: issue.reason,
        })),
      });
    }
    if ((error as Error)?.name === 'PlaygroundUnavailableError') {
      throw new EngineError('precondition', (error as Error).message);
    }
    throw error;
  }
}
