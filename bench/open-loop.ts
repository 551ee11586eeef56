// An open-loop load schedule: operation i starts at `start + i / rate`, whether or not earlier ones have finished
// (the way real viewers send barrage), so a slow system meets the same arrival rate instead of a politely waiting
// client. Latency is measured from the scheduled start, not from when the request actually left, so time spent
// waiting behind a stalled client or socket counts (wrk2's fix for coordinated omission).
//
// Written here rather than taken from a library: autocannon's `overallRate` and `connectionRate` pace a fixed set of
// connections, each sending only after its previous answer (closed loop; a slow server lowers the offered rate),
// and k6 / wrk2 are native binaries this machine cannot fetch. The schedule is ~40 lines and bounded: it stops after
// `durationMs` by itself and never has more than `maxInFlight` operations open (the rest count as refused by the
// client, so the bound shows up in the figures instead of silently lowering the rate).
export interface OpenLoopOptions {
  ratePerSecond: number;
  durationMs: number;
  /** Operations open at once; beyond it the due operation is skipped and counted in `skipped`. */
  maxInFlight: number;
}

export interface OpenLoopOutcome {
  scheduled: number;
  skipped: number;
  /** Wall time from the first scheduled start to the last one, ms. */
  elapsedMs: number;
}

/** Runs `operation(index, scheduledAt)` on the open-loop schedule; resolves once every started operation ended. */
export async function openLoop(
  options: OpenLoopOptions,
  operation: (index: number, scheduledAt: number) => Promise<void>,
): Promise<OpenLoopOutcome> {
  const total = Math.floor((options.ratePerSecond * options.durationMs) / 1000);
  const intervalMs = 1000 / options.ratePerSecond;
  const open = new Set<Promise<void>>();
  let skipped = 0;
  let next = 0;
  const start = performance.now();
  while (next < total) {
    const now = performance.now();
    // Start everything that is due (a late timer tick sends the backlog at once, keeping the schedule).
    while (next < total && start + next * intervalMs <= now) {
      const scheduledAt = start + next * intervalMs;
      if (open.size >= options.maxInFlight) {
        skipped += 1;
      } else {
        const running: Promise<void> = operation(next, scheduledAt)
          .catch(() => undefined)
          .finally(() => open.delete(running));
        open.add(running);
      }
      next += 1;
    }
    if (next >= total) break;
    const wait = start + next * intervalMs - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(wait, 5))));
  }
  const elapsedMs = performance.now() - start;
  await Promise.all(open);
  return { scheduled: total, skipped, elapsedMs };
}
