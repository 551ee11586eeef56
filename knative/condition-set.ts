// Status conditions the way Knative's reconcilers write them (knative.dev/pkg apis/condition_set.go): a condition
// set names a "happy" condition (Ready) and the dependents it summarizes. Pure functions instead of upstream's
// mutable ConditionManager, so a reconciler builds the whole condition list from what it observed and writes it
// once. Part of the vocabulary module: imports nothing.

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  severity?: string;
}

export interface ConditionSet {
  readonly happy: string;
  readonly dependents: readonly string[];
  /**
   * The happy condition for these dependents, as upstream's manager leaves it: False with the reason of the first
   * dependent that is False, else Unknown with the reason of the first that is not True (a missing dependent is
   * Unknown), else True.
   */
  happyOf(conditions: readonly Condition[]): Condition;
  /** The dependents in declared order followed by the happy condition; fields left undefined are dropped. */
  resolve(conditions: readonly Condition[]): Condition[];
}

/** Upstream's `NewLivingConditionSet`: a long-running resource whose happy condition is `Ready`. */
export function livingConditionSet(...dependents: string[]): ConditionSet {
  return conditionSet('Ready', dependents);
}

/** Upstream's `NewBatchConditionSet`: a run to completion whose happy condition is `Succeeded`. */
export function batchConditionSet(...dependents: string[]): ConditionSet {
  return conditionSet('Succeeded', dependents);
}

function conditionSet(happy: string, dependents: readonly string[]): ConditionSet {
  const ordered = (conditions: readonly Condition[]): Condition[] =>
    dependents.map(
      (type) =>
        conditions.find((condition) => condition.type === type) ?? { type, status: 'Unknown' as const },
    );
  const happyOf = (conditions: readonly Condition[]): Condition => {
    const own = ordered(conditions);
    const blocking = own.find((c) => c.status === 'False') ?? own.find((c) => c.status !== 'True');
    return withoutUndefined(
      blocking
        ? { type: happy, status: blocking.status, reason: blocking.reason, message: blocking.message }
        : { type: happy, status: 'True' },
    );
  };
  return {
    happy,
    dependents,
    happyOf,
    resolve: (conditions) => [...ordered(conditions).map(withoutUndefined), happyOf(conditions)],
  };
}

function withoutUndefined(condition: Condition): Condition {
  return Object.fromEntries(
    Object.entries(condition).filter(([, value]) => value !== undefined),
  ) as Condition;
}

/**
 * The next condition list with each condition's `lastTransitionTime` kept where its status did not change (a
 * condition only "transitions" when its status does, as upstream's `SetCondition`), and `now` where it did.
 */
export function withTransitionTimes(
  previous: readonly Condition[] | undefined,
  next: readonly Condition[],
  now: string = new Date().toISOString(),
): Condition[] {
  return next.map((condition) => {
    const before = previous?.find((candidate) => candidate.type === condition.type);
    const unchanged = before && before.status === condition.status;
    return { ...condition, lastTransitionTime: unchanged ? (before.lastTransitionTime ?? now) : now };
  });
}

/** The condition of that type in an object's `status.conditions`, whatever shape the object came in. */
export function conditionOf(conditions: unknown, type = 'Ready'): Condition | undefined {
  if (!Array.isArray(conditions)) return undefined;
  return (conditions as Partial<Condition>[]).find((condition) => condition?.type === type) as
    Condition | undefined;
}

/** True/False as written; anything else (missing, malformed) is Unknown, as Knative's readers treat it. */
export function statusOf(condition: Partial<Condition> | undefined): ConditionStatus {
  return condition?.status === 'True' || condition?.status === 'False' ? condition.status : 'Unknown';
}
