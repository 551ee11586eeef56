// Downsampling a series to the chart's pixel width. Drawing more points than pixels costs frame time and shows
// nothing more. Min/max per pixel bucket (rather than averaging or LTTB) keeps every spike and dip visible: a
// lag peak or a pod count that briefly hit 5 must not vanish just because the window is wide.

export interface SeriesPoint {
  /** Milliseconds since the epoch. */
  t: number;
  v: number;
}

/**
 * Reduces `points` (sorted by t) to at most `maxPoints` points, keeping for each bucket its first, minimum,
 * maximum and last sample in time order (so the line between buckets stays continuous). `maxPoints` below 4
 * is raised to 4. Returns the input unchanged when it already fits.
 */
export function downsampleMinMax(points: readonly SeriesPoint[], maxPoints: number): SeriesPoint[] {
  const budget = Math.max(4, Math.floor(maxPoints));
  if (points.length <= budget) return points.slice();
  const bucketCount = Math.floor(budget / 4);
  const first = points[0] as SeriesPoint;
  const last = points[points.length - 1] as SeriesPoint;
  const span = last.t - first.t;
  const out: SeriesPoint[] = [];
  let index = 0;
  for (let bucket = 0; bucket < bucketCount; bucket += 1) {
    // Buckets split time, not sample count, so gaps in the stream stay gaps on the chart.
    const bucketEnd = bucket === bucketCount - 1 ? Infinity : first.t + (span * (bucket + 1)) / bucketCount;
    let bucketFirst: SeriesPoint | undefined;
    let bucketMin: SeriesPoint | undefined;
    let bucketMax: SeriesPoint | undefined;
    let bucketLast: SeriesPoint | undefined;
    while (index < points.length && (points[index] as SeriesPoint).t <= bucketEnd) {
      const point = points[index] as SeriesPoint;
      bucketFirst ??= point;
      if (!bucketMin || point.v < bucketMin.v) bucketMin = point;
      if (!bucketMax || point.v > bucketMax.v) bucketMax = point;
      bucketLast = point;
      index += 1;
    }
    if (!bucketFirst || !bucketMin || !bucketMax || !bucketLast) continue;
    const kept = new Set([bucketFirst, bucketMin, bucketMax, bucketLast]);
    for (const point of [...kept].sort((a, b) => a.t - b.t)) out.push(point);
  }
  return out;
}

/** Points within [from, to] inclusive; used for zooming into a window. */
export function sliceWindow(points: readonly SeriesPoint[], from: number, to: number): SeriesPoint[] {
  return points.filter((point) => point.t >= from && point.t <= to);
}

/**
 * The points inside the domain plus one on each side, so a line (or a step holding its value) crosses the edges
 * of a zoomed window instead of starting and stopping inside it. The axis clips what lies outside.
 */
export function withinDomain(
  points: readonly SeriesPoint[],
  domain: readonly [number, number],
): SeriesPoint[] {
  let first = points.findIndex((p) => p.t >= domain[0]);
  if (first === -1) first = points.length;
  let last = first;
  while (last < points.length && (points[last] as SeriesPoint).t <= domain[1]) last += 1;
  return points.slice(Math.max(0, first - 1), Math.min(points.length, last + 1));
}
