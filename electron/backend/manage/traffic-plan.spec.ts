import { describe, expect, it } from 'vitest';
import type { TrafficTarget } from '../../common/schemas/workloads';
import {
  rollForwardSpec,
  rollbackSpec,
  routedRevisions,
  rowsToSpec,
  specToRows,
  stepSpec,
  trafficProblems,
} from './traffic-plan';

const target = (partial: Partial<TrafficTarget>): TrafficTarget => ({
  revisionName: null,
  latestRevision: false,
  percent: 0,
  tag: null,
  url: null,
  ...partial,
});

describe('trafficProblems', () => {
  const revisions = ['hello-00001', 'hello-00002'];
  /** The problems of these rows for Service hello, whose revisions are the two above. */
  const problemsOf = (...rows: Parameters<typeof trafficProblems>[0]) =>
    trafficProblems(rows, 'hello', revisions);

  it('accepts rows that add up to 100', () => {
    expect(
      problemsOf(
        { revision: 'hello-00001', percent: 40, tag: '' },
        { revision: '@latest', percent: 60, tag: 'current' },
      ),
    ).toEqual([]);
  });

  it('refuses a sum of 90 and says the sum', () => {
    const problems = problemsOf(
      { revision: 'hello-00001', percent: 40, tag: '' },
      { revision: '@latest', percent: 50, tag: '' },
    );
    expect(problems).toEqual([{ field: 'rows', message: expect.stringContaining('add up to 90') }]);
  });

  it('refuses a tag used twice, naming the row that has it', () => {
    const problems = problemsOf(
      { revision: 'hello-00001', percent: 50, tag: 'blue' },
      { revision: 'hello-00002', percent: 50, tag: 'blue' },
    );
    expect(problems).toEqual([
      { field: 'rows.1.tag', message: expect.stringContaining('already used by row 1') },
    ]);
  });

  it('refuses unknown revisions, untagged 0 % rows and tags too long for a host name', () => {
    const problems = problemsOf(
      { revision: 'hello-00009', percent: 100, tag: '' },
      { revision: 'hello-00001', percent: 0, tag: '' },
      { revision: 'hello-00002', percent: 0, tag: 'x'.repeat(60) },
    );
    expect(problems.map((p) => p.field)).toEqual(['rows.0.revision', 'rows.1.percent', 'rows.2.tag']);
  });
});

describe('rows and spec', () => {
  it('round-trips @latest, names and tags', () => {
    const rows = [
      { revision: '@latest', percent: 10, tag: 'next' },
      { revision: 'a-00001', percent: 90, tag: '' },
    ];
    const spec = rowsToSpec(rows);
    expect(spec).toEqual([
      { latestRevision: true, percent: 10, tag: 'next' },
      { revisionName: 'a-00001', latestRevision: false, percent: 90 },
    ]);
    expect(
      specToRows(spec.map((s) => target({ ...s, revisionName: s.revisionName ?? null, tag: s.tag ?? null }))),
    ).toEqual(rows);
  });
});

describe('rollback and roll forward', () => {
  const current = [
    target({ latestRevision: true, percent: 100 }),
    target({ revisionName: 'a-00001', percent: 0, tag: 'old' }),
  ];
  it('routes 100 % to the chosen revision and keeps tags at 0 %', () => {
    expect(rollbackSpec(current, 'a-00001')).toEqual([
      { revisionName: 'a-00001', latestRevision: false, percent: 100 },
      { revisionName: 'a-00001', latestRevision: false, percent: 0, tag: 'old' },
    ]);
  });
  it('rolls forward to @latest', () => {
    expect(rollForwardSpec(current)[0]).toEqual({ latestRevision: true, percent: 100 });
  });
});

describe('stepSpec', () => {
  it('gives the candidate its share and the rest in proportion, summing to 100', () => {
    const previous = [
      target({ revisionName: 'a-1', percent: 70 }),
      target({ revisionName: 'a-2', percent: 30, tag: 'canary' }),
    ];
    const spec = stepSpec(previous, 'a-3', 25);
    expect(spec).toEqual([
      { revisionName: 'a-3', latestRevision: false, percent: 25 },
      { revisionName: 'a-1', latestRevision: false, percent: 53 },
      { revisionName: 'a-2', latestRevision: false, percent: 22, tag: 'canary' },
    ]);
    expect(spec.reduce((sum, s) => sum + (s.percent ?? 0), 0)).toBe(100);
  });
  it('at 100 % keeps only tagged previous targets, at 0 %', () => {
    const spec = stepSpec([target({ revisionName: 'a-1', percent: 100, tag: 'stable' })], 'a-2', 100);
    expect(spec).toEqual([
      { revisionName: 'a-2', latestRevision: false, percent: 100 },
      { revisionName: 'a-1', latestRevision: false, percent: 0, tag: 'stable' },
    ]);
  });
});

describe('routedRevisions', () => {
  it('resolves @latest to the latest ready revision and counts 0 % tagged targets', () => {
    const routed = routedRevisions(
      [target({ latestRevision: true, percent: 100 }), target({ revisionName: 'a-1', percent: 0, tag: 't' })],
      'a-3',
    );
    expect([...routed].sort()).toEqual(['a-1', 'a-3']);
  });
});
