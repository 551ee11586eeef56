import { describe, expect, it } from 'vitest';
import type { TemplateInfo } from '../../../electron/common/schemas/deploy';
import type { WorkloadRow } from '../../../electron/common/schemas/workloads';
import { orderTemplates } from './deploy-screen';
import { applyWatchEvent } from './workloads-screen';

function row(name: string, ready: 'True' | 'False' = 'True'): WorkloadRow {
  return {
    uid: name,
    name,
    namespace: 'demo',
    kind: 'ECI',
    url: null,
    ready,
    reason: null,
    message: null,
    latestCreatedRevision: null,
    latestReadyRevision: null,
    traffic: [],
    createdAt: '2026-01-01T00:00:00Z',
    generation: 1,
    observedGeneration: 1,
  };
}

describe('applyWatchEvent', () => {
  it('replaces everything on a snapshot, then applies upserts and deletes', () => {
    let rows = applyWatchEvent(new Map(), { type: 'snapshot', rows: [row('a'), row('b')] });
    rows = applyWatchEvent(rows, { type: 'upsert', row: row('a', 'False') });
    rows = applyWatchEvent(rows, { type: 'delete', namespace: 'demo', name: 'b' });
    rows = applyWatchEvent(rows, { type: 'upsert', row: row('c') });
    expect([...rows.values()].map((r) => `${r.name}:${r.ready}`)).toEqual(['a:False', 'c:True']);
  });
  it('ignores connection status events', () => {
    const rows = applyWatchEvent(new Map(), { type: 'snapshot', rows: [row('a')] });
    expect(applyWatchEvent(rows, { type: 'status', state: 'reconnecting', attempt: 2, error: null })).toBe(
      rows,
    );
  });
});

describe('orderTemplates', () => {
  const template = (id: string): TemplateInfo => ({
    id,
    title: id,
    description: '',
    kind: 'ECI',
    parameters: [],
  });
  it('puts the demo parts in dependency order and anything else after', () => {
    const ordered = orderTemplates([
      template('homepage'),
      template('extra'),
      template('event-driven'),
      template('processing'),
    ]);
    expect(ordered.map((t) => t.id)).toEqual(['processing', 'event-driven', 'homepage', 'extra']);
  });
});
