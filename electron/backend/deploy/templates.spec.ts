import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionDefaults, templateInfos } from './templates';

describe('defaults from where the console is connected', () => {
  it('a cluster that is not the playground defaults to Tablestore (SQLite is not shared between pods there)', () => {
    expect(connectionDefaults('team-a', 'prod', undefined)).toEqual({
      kafkaTopic: 'barrage-info.team-a',
      consumerGroup: 'barrage-processing.team-a',
      store: 'tablestore',
    });
  });

  it('without a context only the per-namespace names change', () => {
    expect(connectionDefaults('team-b', undefined, undefined)).toEqual({
      kafkaTopic: 'barrage-info.team-b',
      consumerGroup: 'barrage-processing.team-b',
    });
  });

  it('a playground dir without a running playground falls back to the cluster defaults', () => {
    const empty = mkdtempSync(join(tmpdir(), 'knd-no-playground-'));
    expect(connectionDefaults('ns', 'ctx', empty)).toMatchObject({ store: 'tablestore' });
  });

  it('the defaults replace the schema defaults in the template descriptions', () => {
    const [processing, source] = templateInfos(connectionDefaults('team-a', 'prod', undefined));
    expect(processing!.parameters.find((p) => p.name === 'store')?.default).toBe('tablestore');
    expect(source!.parameters.find((p) => p.name === 'consumerGroup')?.default).toBe(
      'barrage-processing.team-a',
    );
    expect(source!.parameters.find((p) => p.name === 'kafkaServers')?.default).toBe('127.0.0.1:9092');
  });
});
