import { describe, expect, it } from 'vitest';
import { rolloutParams, type RolloutEvent } from '../../common/schemas/manage';
import { p99, probeTarget, regression, runRollout } from './guarded-rollout';
import type { ManageService } from './manage-service';

describe('guarded rollout health', () => {
  const limits = { maxErrorRate: 0.05, maxP99Ms: 500 };
  it('is healthy under the limits', () => {
    expect(regression({ requests: 20, errors: 1, latenciesMs: [10, 20, 30] }, 'True', limits)).toBeNull();
  });
  it('names the error rate, the p99 or readiness when they regress', () => {
    expect(regression({ requests: 20, errors: 2, latenciesMs: [] }, 'True', limits)).toMatch(
      /error rate 10.0 %/,
    );
    expect(regression({ requests: 3, errors: 0, latenciesMs: [10, 20, 900] }, 'True', limits)).toMatch(
      /p99 900 ms/,
    );
    expect(regression({ requests: 0, errors: 0, latenciesMs: [] }, 'False', limits)).toMatch(
      /stopped being Ready/,
    );
  });
  it('takes the 99th percentile', () => {
    expect(p99(Array.from({ length: 100 }, (_, i) => i + 1))).toBe(99);
    expect(p99([])).toBeNull();
  });
});

describe('probeTarget', () => {
  const gateway = 'http://127.0.0.1:8080';
  it.each([
    [
      'a port-less Knative URL goes through the gateway with the Host header',
      'http://hello.demo.example.com/healthz?x=1',
      gateway,
      { url: 'http://127.0.0.1:8080/healthz?x=1', host: 'hello.demo.example.com' },
    ],
    [
      'a URL with a port is probed as it is',
      'http://hello.demo.localhost:31080/',
      gateway,
      { url: 'http://hello.demo.localhost:31080/' },
    ],
    [
      'without a gateway the URL is probed as it is',
      'http://hello.demo.example.com/',
      null,
      { url: 'http://hello.demo.example.com/' },
    ],
  ])('%s', (_case, url, via, expected) => {
    expect(probeTarget(url, via)).toEqual(expected);
  });
});

describe('runRollout', () => {
  it('puts the previous split back when stopped while watching the last step', async () => {
    const previous = [{ revisionName: 's-00001', latestRevision: false, percent: 100, tag: null, url: null }];
    const writes: unknown[] = [];
    const stop = new AbortController();
    const manage = {
      revisions: async () => ({
        latestReadyRevision: 's-00002',
        latestCreatedRevision: 's-00002',
        specTraffic: previous,
        url: 'http://s.n.example',
        revisions: [{ name: 's-00002', ready: 'True' }],
      }),
      setSpecTraffic: async (_context: string, _namespace: string, _name: string, spec: unknown) => {
        writes.push(spec);
      },
      waitForTraffic: async () => undefined,
      gatewayFor: async () => null,
    } as unknown as ManageService;
    const events: RolloutEvent[] = [];
    await runRollout(
      manage,
      rolloutParams.parse({
        context: 'c',
        namespace: 'n',
        name: 's',
        steps: [100],
        intervalSeconds: 1,
        probeRequests: 1,
      }),
      (event) => events.push(event),
      stop.signal,
      async () => {
        stop.abort();
        return { requests: 1, errors: 0, latenciesMs: [5] };
      },
    );
    expect(events.at(-1)).toMatchObject({ type: 'done', outcome: 'stopped' });
    expect(writes).toEqual([
      [{ revisionName: 's-00002', latestRevision: false, percent: 100 }],
      [{ revisionName: 's-00001', latestRevision: false, percent: 100 }],
    ]);
  });
});
