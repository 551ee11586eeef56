import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../workloads/kube-object';
import { conditionFindings, failingContainer, podFindings, summaryOf, tidyFindings } from './why-not-ready';

/** A Knative object (Service or Revision) named `name` with these status conditions. */
const withConditions = (name: string, conditions: Record<string, string>[]): KubeObject => ({
  metadata: { name },
  status: { conditions },
});

const revision: KubeObject = {
  metadata: { name: 'hello-00002' },
  status: {
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'ContainerMissing',
        message: 'Unable to fetch image "nope:1"',
      },
      { type: 'ContainerHealthy', status: 'True' },
      { type: 'ResourcesAvailable', status: 'Unknown', reason: 'Deploying' },
    ],
  },
};

describe('why not ready', () => {
  it('explains each condition that is not True, Ready last', () => {
    const findings = conditionFindings(revision, 'Revision');
    expect(findings.map((f) => [f.condition, f.reason])).toEqual([
      ['ResourcesAvailable', 'Deploying'],
      ['Ready', 'ContainerMissing'],
    ]);
    expect(findings[1]!.explanation).toContain('image cannot be found');
    expect(findings[1]!.explanation).toContain('nope:1');
    expect(findings[1]!.action).toMatch(/image name/);
  });

  it('reads ExitCode<N> and Service messages in plain words', () => {
    const [exit] = conditionFindings(
      withConditions('r', [
        {
          type: 'ContainerHealthy',
          status: 'False',
          reason: 'ExitCode1',
          message: 'Container failed with: boom',
        },
      ]),
      'Revision',
    );
    expect(exit!.explanation).toContain('exited');
    const [service] = conditionFindings(
      withConditions('s', [
        {
          type: 'ConfigurationsReady',
          status: 'False',
          message: 'Configuration "s" does not have any ready Revision.',
        },
      ]),
      'Service',
    );
    expect(service!.explanation).toContain('no ready revision');
  });

  it('reads waiting and crashed containers of pods', () => {
    const pod: KubeObject = {
      metadata: { name: 'p1' },
      status: {
        containerStatuses: [
          {
            name: 'user-container',
            restartCount: 3,
            ready: false,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 2 } },
          },
          { name: 'queue-proxy', ready: true, state: { running: {} } },
        ],
      },
    };
    expect(podFindings(pod).map((f) => [f.condition, f.reason])).toEqual([
      ['container user-container', 'CrashLoopBackOff'],
    ]);
    expect(failingContainer([pod])).toEqual({ pod: 'p1', container: 'user-container', previous: true });
  });

  it('sums up with the most specific finding', () => {
    expect(summaryOf('False', conditionFindings(revision, 'Revision'), 'Revision hello-00002')).toMatch(
      /^Revision hello-00002 is not Ready: Knative is still/,
    );
    expect(summaryOf('True', [], 'Service s')).toBe('Service s is Ready.');
  });
});

describe('tidyFindings', () => {
  it('puts the revision cause first, drops repeats and "scaled to zero" when something failed', () => {
    const service = conditionFindings(
      withConditions('s', [
        { type: 'Ready', status: 'False', reason: 'RevisionFailed', message: 'm' },
        { type: 'ConfigurationsReady', status: 'False', reason: 'RevisionFailed', message: 'm' },
      ]),
      'Service',
    );
    const failedRevision = conditionFindings(
      withConditions('r', [
        { type: 'Ready', status: 'False', reason: 'ContainerMissing', message: 'x' },
        { type: 'Active', status: 'False', reason: 'NoTraffic', message: 'idle' },
      ]),
      'Revision',
    );
    const tidy = tidyFindings([...service, ...failedRevision]);
    expect(tidy.map((f) => `${f.object} ${f.condition} ${f.reason}`)).toEqual([
      'Revision/r Ready ContainerMissing',
      'Service/s ConfigurationsReady RevisionFailed',
    ]);
  });
});
