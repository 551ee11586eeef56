// A processed barrage result for the store adapters' specs: one fixture, so every adapter is held to the same data.
import type { BarrageResult } from '../shared/barrage-message';

export function sampleResult(id: string, overrides: Partial<BarrageResult> = {}): BarrageResult {
  return {
    id,
    text: `text of ${id}`,
    color: '#ff8800',
    mode: 'top',
    user: 'alice',
    sentAt: '2026-01-01T00:00:10.000Z',
    flags: [],
    processedAt: '2026-01-01T00:00:11.000Z',
    ...overrides,
  };
}
