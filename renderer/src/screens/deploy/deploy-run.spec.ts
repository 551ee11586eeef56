import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../../../electron/common/schemas/deploy';
import { toEngineError } from '../../engine/engine-client';
import {
  currentPart,
  deployRunReducer,
  runSummary,
  type DeployRun,
  type DeployRunAction,
} from './deploy-run';

const ref = (kind: string, name: string) => ({ apiVersion: 'v1', kind, name, namespace: 'demo' });
const event = (e: DeployEvent): DeployRunAction => ({ type: 'event', event: e });
const forbidden = {
  code: 'forbidden' as const,
  message: 'services.serving.knative.dev is forbidden',
  details: {},
};

function play(actions: DeployRunAction[]): DeployRun | null {
  return actions.reduce<DeployRun | null>(deployRunReducer, null);
}

function applyPart(name: string): DeployRunAction[] {
  return [
    event({ type: 'plan', objects: [ref('Service', name)] }),
    event({ type: 'object', ref: ref('Service', name), phase: 'dry-run', result: null, error: null }),
    event({ type: 'object', ref: ref('Service', name), phase: 'applied', result: 'created', error: null }),
    event({ type: 'done', ok: true, error: null }),
  ];
}

describe('deploy run', () => {
  it('runs every part in order and ends ok after the last', () => {
    const start: DeployRunAction = {
      type: 'start',
      kind: 'apply',
      parts: ['processing', 'event-driven', 'homepage'],
    };
    let run = play([start]);
    expect(currentPart(run)).toBe('processing');
    run = play([start, ...applyPart('p')]);
    expect(currentPart(run)).toBe('event-driven');
    expect(run?.state).toBe('running');
    expect(run?.outcomes).toEqual({ processing: 'deployed' });
    run = play([start, ...applyPart('p'), ...applyPart('s'), ...applyPart('h')]);
    expect(run?.state).toBe('ok');
    expect(currentPart(run)).toBeNull();
    expect(run?.objects.map((o) => [o.part, o.ref.name, o.phase, o.result])).toEqual([
      ['processing', 'p', 'applied', 'created'],
      ['event-driven', 's', 'applied', 'created'],
      ['homepage', 'h', 'applied', 'created'],
    ]);
    expect(runSummary(run!)).toBe('3 of 3 parts, 3 of 3 objects applied');
  });

  it('stops at the first failed part and keeps its error; later parts never start', () => {
    const run = play([
      { type: 'start', kind: 'apply', parts: ['processing', 'event-driven'] },
      event({ type: 'plan', objects: [ref('Service', 'p')] }),
      event({ type: 'object', ref: ref('Service', 'p'), phase: 'failed', result: null, error: forbidden }),
      event({ type: 'done', ok: false, error: forbidden }),
      // Anything after the end is ignored.
      ...applyPart('late'),
    ]);
    expect(run?.state).toBe('failed');
    expect(run?.error?.message).toContain('forbidden');
    expect(run?.outcomes).toEqual({ processing: 'failed' });
    expect(run?.objects.map((o) => o.ref.name)).toEqual(['p']);
    expect(currentPart(run)).toBeNull();
  });

  it('a transport error fails the running part', () => {
    const run = play([
      { type: 'start', kind: 'undeploy', parts: ['homepage'] },
      {
        type: 'error',
        error: toEngineError({ code: 'unreachable', message: 'engine restarted', details: {} }),
      },
    ]);
    expect(run).toMatchObject({ state: 'failed', outcomes: { homepage: 'failed' } });
  });

  it('a single-part undeploy says undeployed', () => {
    const run = play([
      { type: 'start', kind: 'undeploy', parts: ['homepage'] },
      event({ type: 'plan', objects: [ref('Service', 'h')] }),
      event({ type: 'object', ref: ref('Service', 'h'), phase: 'deleted', result: null, error: null }),
      event({ type: 'done', ok: true, error: null }),
    ]);
    expect(run).toMatchObject({ state: 'ok', outcomes: { homepage: 'undeployed' } });
    expect(runSummary(run!)).toBe('1 of 1 objects removed');
  });

  it('says how many objects an undeploy left in place because the console does not manage them', () => {
    const run = play([
      { type: 'start', kind: 'undeploy', parts: ['processing'] },
      event({ type: 'plan', objects: [ref('Service', 'p'), ref('Secret', 's')] }),
      event({
        type: 'object',
        ref: ref('Service', 'p'),
        phase: 'skipped',
        result: 'not-managed',
        error: null,
      }),
      event({ type: 'object', ref: ref('Secret', 's'), phase: 'deleted', result: null, error: null }),
      event({ type: 'done', ok: true, error: null }),
    ]);
    expect(runSummary(run!)).toBe('1 of 2 objects removed, 1 not managed by knative-desk left in place');
  });

  it('says an apply skipped a step (a topic it could not create) without calling the run failed', () => {
    const topic = { apiVersion: 'kafka', kind: 'Topic', name: 'barrage-info.demo' };
    const unreachable = {
      code: 'unreachable' as const,
      message: 'Topic barrage-info.demo was not created',
      details: {},
    };
    const run = play([
      { type: 'start', kind: 'apply', parts: ['event-driven'] },
      event({ type: 'plan', objects: [ref('KafkaSource', 's'), topic] }),
      event({
        type: 'object',
        ref: ref('KafkaSource', 's'),
        phase: 'applied',
        result: 'created',
        error: null,
      }),
      event({ type: 'object', ref: topic, phase: 'skipped', result: null, error: unreachable }),
      event({ type: 'done', ok: true, error: null }),
    ]);
    expect(run).toMatchObject({ state: 'ok', outcomes: { 'event-driven': 'deployed' } });
    expect(run?.objects.at(-1)?.error?.message).toContain('was not created');
    expect(runSummary(run!)).toBe('1 of 2 objects applied, 1 skipped');
  });
});
