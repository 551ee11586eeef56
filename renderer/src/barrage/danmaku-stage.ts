// Draws danmaku on a canvas, one requestAnimationFrame loop, positions from DanmakuLayout. Each comment's text is
// rendered once into its own small bitmap when it arrives (fill + dark outline for legibility on any background),
// and every frame only blits bitmaps: text shaping per frame is what makes DOM danmaku fall below 20 fps with a
// thousand comments (the same technique as weizhenye/Danmaku's canvas engine).
import { DanmakuLayout, defaultLayoutOptions, type DanmakuMode, type PlacedComment } from './danmaku-layout';

export interface DanmakuStageOptions {
  fontSize: number;
  speed: number;
}

export interface IncomingComment {
  text: string;
  mode: DanmakuMode;
  color: string;
}

const maxTextLength = 80;

export class DanmakuStage {
  private readonly context: CanvasRenderingContext2D;
  private readonly measure: CanvasRenderingContext2D;
  private readonly layout: DanmakuLayout;
  private readonly bitmaps = new Map<number, HTMLCanvasElement>();
  private frame = 0;
  private width = 0;
  private height = 0;
  private fontSize: number;
  private running = false;
  /** Frame times of the last second, for the fps readout. */
  private frameTimes: number[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    options: DanmakuStageOptions,
  ) {
    const context = canvas.getContext('2d');
    const measure = document.createElement('canvas').getContext('2d');
    if (!context || !measure) throw new Error('This browser cannot draw on a canvas.');
    this.context = context;
    this.measure = measure;
    this.fontSize = options.fontSize;
    this.layout = new DanmakuLayout({
      ...defaultLayoutOptions,
      stageWidth: 1,
      stageHeight: 1,
      laneHeight: Math.ceil(options.fontSize * 1.3),
      speed: options.speed,
    });
    this.resize();
  }

  private font(): string {
    return `600 ${this.fontSize}px system-ui, 'Noto Sans CJK SC', sans-serif`;
  }

  /** Matches the canvas to its CSS box (and the device pixel ratio); clears the stage when the size changed. */
  resize(): void {
    const box = this.canvas.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.floor(box.width));
    const height = Math.max(1, Math.floor(box.height));
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    this.canvas.width = Math.floor(width * ratio);
    this.canvas.height = Math.floor(height * ratio);
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.bitmaps.clear();
    this.layout.reconfigure({ stageWidth: width, stageHeight: height });
  }

  setSpeed(speed: number): void {
    this.layout.reconfigure({ speed });
    this.bitmaps.clear();
  }

  setFontSize(fontSize: number): void {
    this.fontSize = fontSize;
    this.layout.reconfigure({ laneHeight: Math.ceil(fontSize * 1.3) });
    this.bitmaps.clear();
  }

  emit(comment: IncomingComment): void {
    const text =
      comment.text.length > maxTextLength ? `${comment.text.slice(0, maxTextLength - 1)}…` : comment.text;
    this.measure.font = this.font();
    const width = Math.ceil(this.measure.measureText(text).width) + 4;
    this.layout.enqueue({ text, mode: comment.mode, color: comment.color, width }, performance.now());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = (now: number) => {
      if (!this.running) return;
      this.draw(now);
      this.frame = requestAnimationFrame(loop);
    };
    this.frame = requestAnimationFrame(loop);
  }

  stop(): void {
    this.running = false;
    cancelAnimationFrame(this.frame);
  }

  clear(): void {
    this.layout.clear();
    this.bitmaps.clear();
    this.context.clearRect(0, 0, this.width, this.height);
  }

  stats() {
    const fps = this.frameTimes.length;
    return { ...this.layout.stats(), fps };
  }

  private bitmapFor(comment: PlacedComment): HTMLCanvasElement {
    let bitmap = this.bitmaps.get(comment.id);
    if (bitmap) return bitmap;
    const ratio = window.devicePixelRatio || 1;
    const laneHeight = Math.ceil(this.fontSize * 1.3);
    bitmap = document.createElement('canvas');
    bitmap.width = Math.ceil(comment.width * ratio);
    bitmap.height = Math.ceil(laneHeight * ratio);
    const context = bitmap.getContext('2d');
    if (context) {
      context.scale(ratio, ratio);
      context.font = this.font();
      context.textBaseline = 'middle';
      context.lineWidth = 3;
      context.strokeStyle = 'rgba(0,0,0,0.75)';
      context.strokeText(comment.text, 2, laneHeight / 2);
      context.fillStyle = comment.color;
      context.fillText(comment.text, 2, laneHeight / 2);
    }
    this.bitmaps.set(comment.id, bitmap);
    return bitmap;
  }

  private draw(now: number): void {
    this.frameTimes.push(now);
    while (this.frameTimes.length > 0 && (this.frameTimes[0] as number) < now - 1000) this.frameTimes.shift();
    this.layout.advance(now);
    const comments = this.layout.comments();
    // Bitmaps of comments that left the stage are released.
    if (this.bitmaps.size > comments.length * 2 + 64) {
      const alive = new Set(comments.map((c) => c.id));
      for (const id of this.bitmaps.keys()) if (!alive.has(id)) this.bitmaps.delete(id);
    }
    this.context.clearRect(0, 0, this.width, this.height);
    const laneHeight = Math.ceil(this.fontSize * 1.3);
    for (const comment of comments) {
      const { x, y } = this.layout.position(comment, now);
      this.context.drawImage(this.bitmapFor(comment), Math.round(x), y, comment.width, laneHeight);
    }
  }
}
