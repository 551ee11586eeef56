// HomePage configuration from the environment, with the seed demo's names (see workloads/shared/env-names.ts).
import type { SASLOptions } from 'kafkajs';
import { envNames } from '../shared/env-names';
import { ConfigError, integerFromEnv } from '../processing/config';

export { ConfigError };

export interface HomepageConfig {
  readonly port: number;
  readonly serviceName: string;
  readonly kafkaBrokers: string[];
  readonly kafkaTopic: string;
  readonly kafkaSasl: SASLOptions | undefined;
  /** KAFKA_TLS=true: TLS to the brokers with the system CAs (kafkajs `ssl: true`). */
  readonly kafkaTls: boolean;
  readonly tracingEndpoint: string | undefined;
}

const saslMechanisms = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

function readSasl(env: NodeJS.ProcessEnv): SASLOptions | undefined {
  const username = env[envNames.kafkaUser]?.trim();
  if (!username) return undefined;
  const password = env[envNames.kafkaPassword] ?? '';
  if (password === '')
    throw new ConfigError(`${envNames.kafkaPassword} is required when ${envNames.kafkaUser} is set`);
  const mechanism = (env[envNames.kafkaSaslMechanism]?.trim() || 'PLAIN').toLowerCase();
  if (!(saslMechanisms as readonly string[]).includes(mechanism)) {
    throw new ConfigError(`${envNames.kafkaSaslMechanism} must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`);
  }
  return { mechanism: mechanism as (typeof saslMechanisms)[number], username, password };
}

function readTls(env: NodeJS.ProcessEnv): boolean {
  const value = env[envNames.kafkaTls]?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new ConfigError(`${envNames.kafkaTls} must be true or false`);
}

export function readHomepageConfig(env: NodeJS.ProcessEnv = process.env): HomepageConfig {
  const servers = (env[envNames.kafkaServer] ?? '')
    .split(',')
    .map((server) => server.trim())
    .filter((server) => server !== '');
  if (servers.length === 0)
    throw new ConfigError(`${envNames.kafkaServer} is required (host:port,host:port)`);
  for (const server of servers) {
    if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(server)) {
      throw new ConfigError(`${envNames.kafkaServer} entry "${server}" is not host:port`);
    }
  }
  return {
    port: integerFromEnv(env, envNames.port, 8080, 0, 65_535),
    serviceName: env[envNames.serviceName]?.trim() || 'barrage-homepage',
    kafkaBrokers: servers,
    kafkaTopic: env[envNames.kafkaTopic]?.trim() || 'barrage-info',
    kafkaSasl: readSasl(env),
    kafkaTls: readTls(env),
    tracingEndpoint: env[envNames.tracing]?.trim() || undefined,
  };
}
