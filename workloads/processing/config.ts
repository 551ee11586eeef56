// Processing configuration from the environment (names in workloads/shared/env-names.ts).
import { envNames } from '../shared/env-names';
import { parseSensitiveWords } from './sensitive-words';

export interface ProcessingConfig {
  readonly port: number;
  readonly serviceName: string;
  readonly sensitiveWords: string[];
  readonly maxTextLength: number;
  readonly rateLimitCount: number;
  readonly rateLimitWindowMs: number;
  readonly tracingEndpoint: string | undefined;
  /** The CloudEvent source accepted; any source when unset (running outside the templates). */
  readonly acceptedEventSource: string | undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function integerFromEnv(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}

export function readProcessingConfig(env: NodeJS.ProcessEnv = process.env): ProcessingConfig {
  return {
    port: integerFromEnv(env, envNames.port, 8080, 0, 65_535),
    serviceName: env[envNames.serviceName]?.trim() || 'barrage-processing',
    sensitiveWords: parseSensitiveWords(env[envNames.sensitiveWords] ?? ''),
    maxTextLength: integerFromEnv(env, envNames.maxTextLength, 100, 1, 1000),
    rateLimitCount: integerFromEnv(env, envNames.rateLimitCount, 5, 1, 100_000),
    rateLimitWindowMs: integerFromEnv(env, envNames.rateLimitWindowSeconds, 10, 1, 86_400) * 1000,
    tracingEndpoint: env[envNames.tracing]?.trim() || undefined,
    acceptedEventSource: env[envNames.acceptedEventSource]?.trim() || undefined,
  };
}
