// The restart policy of the desktop shell's engine, with a fake child and a manual clock.
import { describe, expect, it } from 'vitest';
import { EngineSupervisor } from './engine-supervisor';

class FakeChild {
  private onExit: ((code: number) => void) | undefined;
  killed = false;
  on(_event: 'exit', listener: (code: number) => void) {
    this.onExit = listener;
  }
  kill() {
    this.killed = true;
    this.onExit?.(0);
    return true;
  }
  crash(code = 1) {
    this.onExit?.(code);
  }
}

function harness() {
  let now = 0;
  const timers: { at: number; run: () => void }[] = [];
  const started: { child: FakeChild; restarts: number }[] = [];
  const gaveUp: string[] = [];
  const supervisor = new EngineSupervisor<FakeChild>({
    spawn: () => new FakeChild(),
    onStart: (child, restarts) => started.push({ child, restarts }),
    onGiveUp: (message) => gaveUp.push(message),
    now: () => now,
    setTimer: (run, ms) => timers.push({ at: now + ms, run }),
  });
  const advance = (ms: number) => {
    now += ms;
    for (const timer of timers.splice(0)) {
      if (timer.at <= now) timer.run();
      else timers.push(timer);
    }
  };
  return { supervisor, started, gaveUp, advance, timers };
}

describe('EngineSupervisor', () => {
  it('restarts a crashed engine after a backoff and tells onStart how many restarts there were', () => {
    const { supervisor, started, advance } = harness();
    supervisor.start();
    expect(started.map((s) => s.restarts)).toEqual([0]);
    started[0]!.child.crash(134);
    expect(started).toHaveLength(1); // not at once: after the backoff
    advance(250);
    expect(started.map((s) => s.restarts)).toEqual([0, 1]);
    expect(supervisor.current).toBe(started[1]!.child);
  });

  it('does not restart an engine it was asked to stop', () => {
    const { supervisor, started, advance, timers } = harness();
    supervisor.start();
    supervisor.stop();
    advance(10_000);
    expect(started).toHaveLength(1);
    expect(timers).toHaveLength(0);
    expect(started[0]!.child.killed).toBe(true);
  });

  it('backs off longer on repeated crashes and gives up on a crash loop, saying so', () => {
    const { supervisor, started, gaveUp, advance } = harness();
    supervisor.start();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      started.at(-1)!.child.crash();
      let waited = 0;
      const before = started.length;
      while (started.length === before) {
        advance(50);
        waited += 50;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000]);
    started.at(-1)!.child.crash(); // the sixth exit within a minute
    advance(60_000);
    expect(started).toHaveLength(6);
    expect(gaveUp[0]).toMatch(/stopped 6 times within 60 s .*Restart the app/);
  });

  it('forgets crashes older than the window', () => {
    const { supervisor, started, gaveUp, advance } = harness();
    supervisor.start();
    for (let i = 0; i < 10; i++) {
      started.at(-1)!.child.crash();
      advance(61_000);
    }
    expect(gaveUp).toEqual([]);
    expect(started).toHaveLength(11);
  });
});
