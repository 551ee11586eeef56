import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { playgroundFactsOf } from '../../../workloads/templates/index';
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
    // What the engine's PlaygroundService hands over: the facts read lazily, throwing when there is no playground.
    const facts = () => playgroundFactsOf(undefined, empty);
    expect(connectionDefaults('ns', 'ctx', facts)).toMatchObject({ store: 'tablestore' });
  });

  it('the running playground gives its brokers and a SQLite file per namespace', () => {
    const facts = () => playgroundFactsOf({ dir: '/pg', kafkaBrokers: ['127.0.0.1:19092'] }, '/pg');
    expect(connectionDefaults('ns', 'knative-desk-playground', facts)).toMatchObject({
      kafkaServers: '127.0.0.1:19092',
      store: 'sqlite',
      sqlitePath: '/pg/barrage/ns.sqlite',
    });
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
