// Picks the result store from the environment (STORE=sqlite|tablestore and the seed's OTS_* names).
import { envNames } from '../shared/env-names';
import type { ResultStore } from './result-store';
import { SqliteResultStore } from './sqlite-store';
import { TablestoreResultStore } from './tablestore-store';

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
  if (kind === 'tablestore') {
    const why = 'when STORE=tablestore';
    const endpoint = required(env, envNames.otsEndpoint, why);
    if (!/^https?:\/\/[^/\s]+/.test(endpoint)) {
      throw new StoreConfigError(
        `${envNames.otsEndpoint} must be an http(s) URL like https://<instance>.<region>.ots.aliyuncs.com, not "${endpoint}"`,
      );
    }
    return new TablestoreResultStore({
      endpoint,
      instanceName: required(env, envNames.otsInstanceName, why),
      tableName: required(env, envNames.tableName, why),
      accessKeyId: required(env, envNames.otsKeyId, why),
      accessKeySecret: required(env, envNames.otsSecret, why),
    });
  }
  throw new StoreConfigError(`${envNames.store} must be sqlite or tablestore, not "${kind}"`);
}
