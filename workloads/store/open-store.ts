// Picks the result store from the environment (STORE=sqlite|tablestore and the seed's OTS_* names).
import { envNames } from '../shared/env-names';
import type { ResultStore } from './result-store';
import { SqliteResultStore } from './sqlite-store';

export class StoreConfigError extends Error {
  override readonly name = 'StoreConfigError';
}

function required(env: NodeJS.ProcessEnv, name: string, why: string): string {
  const value = env[name]?.trim();
  if (!value) throw new StoreConfigError(`${name} is required ${why}`);
  return value;
}

export async function openResultStore(env: NodeJS.ProcessEnv = process.env): Promise<ResultStore> {
  const kind = (env[envNames.store] ?? 'sqlite').trim();
  if (kind === 'sqlite') {
    return new SqliteResultStore(required(env, envNames.sqlitePath, 'when STORE=sqlite'));
  }
  throw new StoreConfigError(`${envNames.store} must be sqlite or tablestore, not "${kind}"`);
}
