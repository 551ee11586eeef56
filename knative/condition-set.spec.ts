import { describe, expect, it } from 'vitest';
import {
  conditionOf,
  livingConditionSet,
  statusOf,
  withTransitionTimes,
  type Condition,
} from './condition-set';

const set = livingConditionSet('ConsumerGroup', 'SinkProvided');

describe('livingConditionSet', () => {
  it('is Ready=True only when every dependent is True', () => {
    expect(
      set.happyOf([
        { type: 'ConsumerGroup', status: 'True' },
        { type: 'SinkProvided', status: 'True' },
      ]),
    ).toEqual({ type: 'Ready', status: 'True' });
  });

  it('takes the reason of the first False dependent, even after an Unknown one', () => {
    const ready = set.happyOf([
      { type: 'ConsumerGroup', status: 'Unknown', reason: 'Connecting' },
      { type: 'SinkProvided', status: 'False', reason: 'SinkNotFound', message: 'no such service' },
    ]);
    expect(ready).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'SinkNotFound',
      message: 'no such service',
    });
  });

  it('is Unknown with the first not-True reason when nothing is False, and counts a missing dependent Unknown', () => {
    expect(set.happyOf([{ type: 'ConsumerGroup', status: 'Unknown', reason: 'Connecting' }])).toEqual({
      type: 'Ready',
      status: 'Unknown',
      reason: 'Connecting',
    });
    expect(set.happyOf([{ type: 'ConsumerGroup', status: 'True' }])).toEqual({
      type: 'Ready',
      status: 'Unknown',
    });
  });

  it('resolves to the dependents in declared order, then Ready, without undefined fields', () => {
    const resolved = set.resolve([
      { type: 'SinkProvided', status: 'True', reason: undefined },
      { type: 'ConsumerGroup', status: 'True' },
    ]);
    expect(resolved.map((c) => c.type)).toEqual(['ConsumerGroup', 'SinkProvided', 'Ready']);
    expect(Object.keys(resolved[1]!)).toEqual(['type', 'status']);
  });
});

describe('withTransitionTimes', () => {
  it('keeps the transition time of an unchanged status and stamps a changed one', () => {
    const before: Condition[] = [
      { type: 'Ready', status: 'True', lastTransitionTime: 't0' },
      { type: 'SinkProvided', status: 'True', lastTransitionTime: 't0' },
    ];
    const next: Condition[] = [
      { type: 'Ready', status: 'True' },
      { type: 'SinkProvided', status: 'False' },
    ];
    expect(withTransitionTimes(before, next, 't1').map((c) => c.lastTransitionTime)).toEqual(['t0', 't1']);
  });
});

describe('conditionOf / statusOf', () => {
  it('reads any shape and treats malformed statuses as Unknown', () => {
    const conditions = [{ type: 'Ready', status: 'yes' }, { type: 'Other' }];
    expect(conditionOf(conditions)?.status).toBe('yes');
    expect(statusOf(conditionOf(conditions))).toBe('Unknown');
    expect(conditionOf(undefined)).toBeUndefined();
    expect(statusOf({ type: 'Ready', status: 'False' })).toBe('False');
  });
});
