// Traffic as the console edits it (pure): form rows ↔ spec.traffic, the checks the form makes before the server
// does (sum 100, tags unique and short enough for `<tag>-<service>` to stay a DNS label, revisions that exist), the
// rollback and roll-forward splits (tags kept at 0 % like kn does), the step splits of a guarded rollout, and which
// revisions are routed and so may not be deleted.
import { LATEST } from '../../common/schemas/manage';
export { trafficProblems } from '../../common/traffic-rules';
import type { TrafficRow } from '../../common/schemas/manage';
import type { TrafficTarget } from '../../common/schemas/workloads';

export interface SpecTarget {
  revisionName?: string;
  latestRevision?: boolean;
  percent?: number;
  tag?: string;
}

export class TrafficError extends Error {
  constructor(
    message: string,
    readonly causes: { field: string; message: string }[],
  ) {
    super(message);
    this.name = 'TrafficError';
  }
}

export function rowsToSpec(rows: TrafficRow[]): SpecTarget[] {
  return rows.map((row) => ({
    ...(row.revision === LATEST
      ? { latestRevision: true }
      : { revisionName: row.revision, latestRevision: false }),
    percent: row.percent,
    ...(row.tag ? { tag: row.tag } : {}),
  }));
}

export function specToRows(targets: readonly TrafficTarget[]): TrafficRow[] {
  return targets.map((target) => ({
    revision: target.latestRevision || !target.revisionName ? LATEST : target.revisionName,
    percent: target.percent,
    tag: target.tag ?? '',
  }));
}

/** Tagged targets kept at 0 %, so their URLs survive a rollback or roll forward (as kn keeps them). */
function keptTags(current: readonly TrafficTarget[]): SpecTarget[] {
  return current
    .filter((target) => target.tag)
    .map((target) => ({
      ...(target.latestRevision || !target.revisionName
        ? { latestRevision: true }
        : { revisionName: target.revisionName, latestRevision: false }),
      percent: 0,
      tag: target.tag!,
    }));
}

/** 100 % to `revision` (the Service stops following its latest revision until rolled forward). */
export function rollbackSpec(current: readonly TrafficTarget[], revision: string): SpecTarget[] {
  return [{ revisionName: revision, latestRevision: false, percent: 100 }, ...keptTags(current)];
}

/** 100 % to whatever revision is latest, now and after every later edit. */
export function rollForwardSpec(current: readonly TrafficTarget[]): SpecTarget[] {
  return [{ latestRevision: true, percent: 100 }, ...keptTags(current)];
}

/**
 * The split of one rollout step: `percent` to `candidate`, the rest shared by the previous targets in proportion
 * (largest remainder, so the sum stays exactly 100). Tags of the previous targets are kept.
 */
export function stepSpec(
  previous: readonly TrafficTarget[],
  candidate: string,
  percent: number,
): SpecTarget[] {
  const carrying = previous.filter((target) => target.percent > 0 && target.revisionName !== candidate);
  const rest = 100 - percent;
  const total = carrying.reduce((sum, target) => sum + target.percent, 0);
  const exact = carrying.map((target) => (total === 0 ? 0 : (target.percent * rest) / total));
  const floors = exact.map(Math.floor);
  let left = rest - floors.reduce((sum, value) => sum + value, 0);
  const order = exact
    .map((value, index) => ({ index, fraction: value - Math.floor(value) }))
    .sort((a, b) => b.fraction - a.fraction);
  for (const { index } of order) {
    if (left <= 0) break;
    floors[index]! += 1;
    left -= 1;
  }
  const out: SpecTarget[] = [{ revisionName: candidate, latestRevision: false, percent }];
  carrying.forEach((target, index) => {
    if (floors[index] === 0 && !target.tag) return;
    out.push({
      revisionName: target.revisionName ?? undefined,
      latestRevision: false,
      percent: floors[index]!,
      ...(target.tag ? { tag: target.tag } : {}),
    });
  });
  for (const target of previous) {
    if (target.percent === 0 && target.tag) {
      out.push({
        ...(target.latestRevision || !target.revisionName
          ? { latestRevision: true }
          : { revisionName: target.revisionName, latestRevision: false }),
        percent: 0,
        tag: target.tag,
      });
    }
  }
  return out;
}

/** Revisions a traffic target names, @latest resolved to the latest ready revision. */
export function routedRevisions(targets: readonly TrafficTarget[], latestReady: string | null): Set<string> {
  const routed = new Set<string>();
  for (const target of targets) {
    if (target.revisionName && !target.latestRevision) routed.add(target.revisionName);
    else if (target.latestRevision && latestReady) routed.add(latestReady);
    else if (target.revisionName) routed.add(target.revisionName);
  }
  return routed;
}
