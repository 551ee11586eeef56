// `npm run -s templates -- render [--target cluster|playground] [--part ID ...] [--set key=value ...]`
// prints the barrage service as multi-document YAML; `npm run -s templates -- parameters` lists the parameters.
// Bad input exits with status 2 and names the parameter and the reason; nothing is printed to stdout then.
import { z } from 'zod';
import { readPlaygroundFacts } from '../playground/template-facts';
import {
  renderTemplatesWith,
  templateParametersSchema,
  templateParts,
  TemplateParameterError,
  PlaygroundUnavailableError,
  toYaml,
  type TemplatePartId,
  type TemplateParametersInput,
  type TemplateTarget,
} from '../workloads/templates/index';

const usage = `usage:
  templates render [--target cluster|playground] [--part processing|event-driven|homepage ...] [--set key=value ...]
  templates parameters`;

class UsageError extends Error {}

interface JsonSchemaField {
  type?: string;
  default?: unknown;
  title?: string;
  description?: string;
  enum?: unknown[];
  secret?: boolean;
}

const fieldSchemas = (
  z.toJSONSchema(templateParametersSchema, { io: 'input' }) as { properties: Record<string, JsonSchemaField> }
).properties;

/** `--set` values arrive as text; numbers are converted here so the schema reports a clear reason if they aren't. */
function coerce(key: string, raw: string): unknown {
  const field = fieldSchemas[key];
  if (field?.type === 'integer' || field?.type === 'number') {
    const trimmed = raw.trim();
    return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : raw;
  }
  return raw;
}

interface RenderArguments {
  target: TemplateTarget;
  parts: TemplatePartId[];
  values: Record<string, unknown>;
}

function parseRenderArguments(args: readonly string[]): RenderArguments {
  const parsed: RenderArguments = { target: 'cluster', parts: [], values: {} };
  for (let index = 0; index < args.length; index += 1) {
    const flag = args[index];
    const value = args[index + 1];
    if (flag === '--target' || flag === '--set' || flag === '--part') {
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      index += 1;
    }
    if (flag === '--target') {
      if (value !== 'cluster' && value !== 'playground') {
        throw new UsageError(`--target must be cluster or playground, not "${value}"`);
      }
      parsed.target = value;
    } else if (flag === '--part') {
      if (!templateParts.some((part) => part.id === value)) {
        throw new UsageError(`--part must be one of ${templateParts.map((part) => part.id).join(', ')}`);
      }
      parsed.parts.push(value as TemplatePartId);
    } else if (flag === '--set') {
      const equals = value!.indexOf('=');
      if (equals <= 0) throw new UsageError(`--set needs key=value, got "${value}"`);
      const key = value!.slice(0, equals);
      parsed.values[key] = coerce(key, value!.slice(equals + 1));
    } else {
      throw new UsageError(`unknown argument "${flag}"`);
    }
  }
  return parsed;
}

function describeParameters(): string {
  const lines: string[] = [];
  for (const [key, field] of Object.entries(fieldSchemas)) {
    const shown = field.secret ? '(secret)' : JSON.stringify(field.default);
    const choices = field.enum ? ` one of ${field.enum.join('|')};` : '';
    lines.push(`${key} = ${shown}\n    ${field.title ?? key}:${choices} ${field.description ?? ''}`);
  }
  return lines.join('\n') + '\n';
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'render') {
      const { target, parts, values } = parseRenderArguments(rest);
      const objects = renderTemplatesWith(values as TemplateParametersInput, {
        target,
        ...(target === 'playground' ? { playground: readPlaygroundFacts() } : {}),
        ...(parts.length > 0 ? { parts } : {}),
      });
      process.stdout.write(toYaml(objects));
      return 0;
    }
    if (command === 'parameters') {
      process.stdout.write(describeParameters());
      return 0;
    }
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  } catch (error) {
    if (error instanceof TemplateParameterError) {
      for (const issue of error.issues) process.stderr.write(`error: ${issue.parameter}: ${issue.reason}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n${usage}\n`);
      return 2;
    }
    if (error instanceof PlaygroundUnavailableError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 3;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
