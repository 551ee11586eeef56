import { describe, expect, it } from 'vitest';
import {
  DanmakuLayout,
  defaultLayoutOptions,
  type DanmakuLayoutOptions,
  type PlacedComment,
} from './danmaku-layout';

function layout(overrides: Partial<DanmakuLayoutOptions> = {}): DanmakuLayout {
  return new DanmakuLayout({ ...defaultLayoutOptions, stageWidth: 800, stageHeight: 200, ...overrides });
}

/** Horizontal spans of comments in one lane at `now` never intersect. */
function assertNoOverlap(stage: DanmakuLayout, now: number): void {
  const byLane = new Map<string, PlacedComment[]>();
  for (const comment of stage.comments()) {
    const key = `${comment.mode}:${comment.lane}`;
    byLane.set(key, [...(byLane.get(key) ?? []), comment]);
  }
  for (const comments of byLane.values()) {
    const spans = comments
      .map((c) => {
        const { x } = stage.position(c, now);
        return [x, x + c.width] as const;
      })
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i += 1) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  }
}

describe('DanmakuLayout', () => {
  it('puts simultaneous comments in different lanes, top first', () => {
    const stage = layout();
    for (let i = 0; i < 3; i += 1)
      stage.enqueue({ text: `c${i}`, mode: 'scroll', color: '#fff', width: 60 }, 0);
    stage.advance(0);
    expect(stage.comments().map((c) => c.lane)).toEqual([0, 1, 2]);
  });

  it('reuses a lane once the previous comment has fully entered plus the gap', () => {
    const stage = layout({ stageHeight: 20 }); // one lane
    stage.enqueue({ text: 'a', mode: 'scroll', color: '#fff', width: 132 }, 0);
    stage.advance(0);
    stage.enqueue({ text: 'b', mode: 'scroll', color: '#fff', width: 50 }, 0);
    stage.advance(500); // 72 px travelled < 132 + 12
    expect(stage.stats().onScreen).toBe(1);
    stage.advance(1000); // 144 px travelled = 132 + 12
    expect(stage.stats().onScreen).toBe(2);
    assertNoOverlap(stage, 1000);
  });

  it('never overlaps comments in a lane under a heavy stream', () => {
    const stage = layout();
    let now = 0;
    for (let tick = 0; tick < 600; tick += 1) {
      for (let i = 0; i < 4; i += 1) {
        stage.enqueue(
          { text: 'x', mode: 'scroll', color: '#fff', width: 30 + ((tick * 7 + i * 13) % 90) },
          now,
        );
      }
      stage.advance(now);
      assertNoOverlap(stage, now);
      now += 16;
    }
    expect(stage.stats().dropped).toBeGreaterThan(0);
  });

  it('counts comments that waited too long as dropped and keeps the totals consistent', () => {
    const stage = layout({ stageHeight: 20, maxWaitMs: 100 });
    for (let i = 0; i < 5; i += 1)
      stage.enqueue({ text: `${i}`, mode: 'scroll', color: '#fff', width: 200 }, 0);
    stage.advance(0);
    stage.advance(200);
    const stats = stage.stats();
    expect(stats.shown).toBe(1);
    expect(stats.dropped).toBe(4);
    expect(stats.received).toBe(stats.shown + stats.dropped + stats.pending);
  });

  it('drops the oldest waiting comment when the queue bound is exceeded', () => {
    const stage = layout({ maxPending: 3 });
    for (let i = 0; i < 5; i += 1)
      stage.enqueue({ text: `${i}`, mode: 'scroll', color: '#fff', width: 10 }, 0);
    expect(stage.stats()).toMatchObject({ received: 5, dropped: 2, pending: 3 });
  });

  it('retires scrolling comments after they leave the stage', () => {
    const stage = layout({ stageWidth: 144 });
    stage.enqueue({ text: 'a', mode: 'scroll', color: '#fff', width: 144 }, 0);
    stage.advance(0);
    stage.advance(1999);
    expect(stage.stats().onScreen).toBe(1);
    stage.advance(2000); // (144 + 144) px at 144 px/s
    expect(stage.stats().onScreen).toBe(0);
  });

  it('stacks top comments down from the top and bottom comments up from the bottom, centred', () => {
    const stage = layout({ stageWidth: 400, stageHeight: 200, laneHeight: 20 });
    stage.enqueue({ text: 't1', mode: 'top', color: '#f00', width: 100 }, 0);
    stage.enqueue({ text: 't2', mode: 'top', color: '#f00', width: 100 }, 0);
    stage.enqueue({ text: 'b1', mode: 'bottom', color: '#0f0', width: 100 }, 0);
    stage.advance(0);
    const [t1, t2, b1] = stage.comments();
    expect(stage.position(t1!, 0)).toEqual({ x: 150, y: 0 });
    expect(stage.position(t2!, 0)).toEqual({ x: 150, y: 20 });
    expect(stage.position(b1!, 0)).toEqual({ x: 150, y: 180 });
    stage.advance(defaultLayoutOptions.fixedDurationMs);
    expect(stage.stats().onScreen).toBe(0);
  });

  it('holds 1,000 short comments on a large stage', () => {
    const stage = layout({ stageWidth: 1600, stageHeight: 900, laneHeight: 18 });
    let now = 0;
    for (let tick = 0; tick < 60 * 12; tick += 1) {
      for (let i = 0; i < 4; i += 1)
        stage.enqueue({ text: 'hi', mode: 'scroll', color: '#fff', width: 40 }, now);
      stage.advance(now);
      now += 1000 / 60;
    }
    expect(stage.stats().onScreen).toBeGreaterThanOrEqual(1000);
    assertNoOverlap(stage, now);
  });
});
