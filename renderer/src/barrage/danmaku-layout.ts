// Where each danmaku comment goes, and which ones are dropped. Pure (time is passed in) so it is unit-tested
// without a canvas.
//
// Why our own layout and not the `danmaku` package's: when every lane is taken, danmaku's allocator wraps its
// channel with `channel % height` and draws the comment on top of others, and it never reports that it did. The
// console promises lanes without overlap and a visible count of comments it could not show, so placement is
// decided here: a comment waits briefly for a free lane and is dropped (and counted) when it would arrive stale.
//
// Scrolling comments all move at the same speed (px/s), so a comment can never catch up with the one ahead of
// it in its lane: a lane is free once the previous comment's tail has entered the stage plus a gap.

export type DanmakuMode = 'scroll' | 'top' | 'bottom';

export interface DanmakuInput {
  text: string;
  mode: DanmakuMode;
  color: string;
  /** Measured text width in px. */
  width: number;
}

export interface PlacedComment extends DanmakuInput {
  id: number;
  lane: number;
  /** Time (ms) the comment entered the stage. */
  enteredAt: number;
}

export interface DanmakuLayoutOptions {
  stageWidth: number;
  stageHeight: number;
  laneHeight: number;
  /** Scroll speed in px per second. */
  speed: number;
  /** How long top/bottom comments stay, ms. */
  fixedDurationMs: number;
  /** Horizontal gap kept between two scrolling comments in one lane, px. */
  gap: number;
  /** Comments waiting for a lane longer than this are dropped: late danmaku are worse than none. */
  maxWaitMs: number;
  /** Upper bound of the waiting queue; beyond it the oldest waiting comment is dropped. */
  maxPending: number;
}

export const defaultLayoutOptions: Omit<DanmakuLayoutOptions, 'stageWidth' | 'stageHeight'> = {
  laneHeight: 20,
  // weizhenye/Danmaku's default pace: stage width / duration ≈ 144 px/s.
  speed: 144,
  fixedDurationMs: 4000,
  gap: 12,
  maxWaitMs: 1500,
  maxPending: 2000,
};

interface Pending extends DanmakuInput {
  queuedAt: number;
}

export interface DanmakuCounters {
  received: number;
  shown: number;
  dropped: number;
  pending: number;
  onScreen: number;
}

export class DanmakuLayout {
  private options: DanmakuLayoutOptions;
  private active: PlacedComment[] = [];
  private pending: Pending[] = [];
  /** Per mode, per lane: the comment placed last (the one that decides whether the lane is free). */
  private laneTail = new Map<DanmakuMode, (PlacedComment | undefined)[]>();
  private nextId = 1;
  private counters = { received: 0, shown: 0, dropped: 0 };

  constructor(options: DanmakuLayoutOptions) {
    this.options = { ...options };
    this.resetLanes();
  }

  get laneCount(): number {
    return Math.max(1, Math.floor(this.options.stageHeight / this.options.laneHeight));
  }

  /** Lanes available to top (from the top) or bottom (from the bottom) comments: half the stage each. */
  private fixedLaneCount(): number {
    return Math.max(1, Math.floor(this.laneCount / 2));
  }

  private resetLanes(): void {
    this.laneTail.set('scroll', new Array(this.laneCount).fill(undefined));
    this.laneTail.set('top', new Array(this.fixedLaneCount()).fill(undefined));
    this.laneTail.set('bottom', new Array(this.fixedLaneCount()).fill(undefined));
  }

  /** Changing size or speed clears the stage: old positions mean nothing on a different stage. */
  reconfigure(changes: Partial<DanmakuLayoutOptions>): void {
    this.options = { ...this.options, ...changes };
    this.active = [];
    this.resetLanes();
  }

  get speed(): number {
    return this.options.speed;
  }

  /** Queues a comment; it is placed on the next `advance`. */
  enqueue(input: DanmakuInput, now: number): void {
    this.counters.received += 1;
    this.pending.push({ ...input, queuedAt: now });
    if (this.pending.length > this.options.maxPending) {
      this.pending.shift();
      this.counters.dropped += 1;
    }
  }

  /** Retires comments that left the stage, drops stale waiting ones, places the rest where lanes are free. */
  advance(now: number): void {
    this.active = this.active.filter((comment) => !this.hasLeft(comment, now));
    const stillWaiting: Pending[] = [];
    for (const item of this.pending) {
      if (now - item.queuedAt > this.options.maxWaitMs) {
        this.counters.dropped += 1;
        continue;
      }
      const lane = this.freeLane(item, now);
      if (lane === undefined) {
        stillWaiting.push(item);
        continue;
      }
      const placed: PlacedComment = {
        text: item.text,
        mode: item.mode,
        color: item.color,
        width: item.width,
        id: this.nextId++,
        lane,
        enteredAt: now,
      };
      (this.laneTail.get(item.mode) as (PlacedComment | undefined)[])[lane] = placed;
      this.active.push(placed);
      this.counters.shown += 1;
    }
    this.pending = stillWaiting;
  }

  private hasLeft(comment: PlacedComment, now: number): boolean {
    const elapsedMs = now - comment.enteredAt;
    if (comment.mode !== 'scroll') return elapsedMs >= this.options.fixedDurationMs;
    return (elapsedMs / 1000) * this.options.speed >= this.options.stageWidth + comment.width;
  }

  private freeLane(item: DanmakuInput, now: number): number | undefined {
    const tails = this.laneTail.get(item.mode) as (PlacedComment | undefined)[];
    for (let lane = 0; lane < tails.length; lane += 1) {
      const tail = tails[lane];
      if (!tail || this.laneFreeAfter(tail, now)) return lane;
    }
    return undefined;
  }

  private laneFreeAfter(tail: PlacedComment, now: number): boolean {
    const elapsedMs = now - tail.enteredAt;
    if (tail.mode !== 'scroll') return elapsedMs >= this.options.fixedDurationMs;
    return (elapsedMs / 1000) * this.options.speed >= tail.width + this.options.gap;
  }

  /** Left x and top y of a placed comment at `now`. */
  position(comment: PlacedComment, now: number): { x: number; y: number } {
    const { stageWidth, stageHeight, laneHeight, speed } = this.options;
    if (comment.mode === 'scroll') {
      const x = stageWidth - ((now - comment.enteredAt) / 1000) * speed;
      return { x, y: comment.lane * laneHeight };
    }
    const x = (stageWidth - comment.width) / 2;
    const y =
      comment.mode === 'top' ? comment.lane * laneHeight : stageHeight - (comment.lane + 1) * laneHeight;
    return { x, y };
  }

  comments(): readonly PlacedComment[] {
    return this.active;
  }

  stats(): DanmakuCounters {
    return { ...this.counters, pending: this.pending.length, onScreen: this.active.length };
  }

  clear(): void {
    this.active = [];
    this.pending = [];
    this.resetLanes();
  }
}
