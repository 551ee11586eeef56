import { describe, expect, it } from 'vitest';
import { workloadRow } from '../../testing/fixtures';
import { homePageChoices, routedHasUrl } from './homepage-choices';

const row = (namespace: string, name: string, kind: 'ECI' | 'FC' = 'FC') =>
  workloadRow({ namespace, name, kind, url: `http://${name}.${namespace}.svc.cluster.local` });

describe('homePageChoices', () => {
  // The CI failure this guards against: at "all namespaces" a leftover HomePage in another namespace sorted first,
  // so Send with the defaults loaded a HomePage whose source was gone and no comment ever came back.
  it('at "all namespaces" puts the HomePage in `default` before those of other namespaces', () => {
    const choices = homePageChoices(
      [row('barrage-old', 'barrage-homepage'), row('default', 'barrage-homepage')],
      {},
    );
    expect(choices[0]).toMatchObject({ namespace: 'default', name: 'barrage-homepage' });
  });

  it('puts the routed Service first, ahead of `default` and of FC', () => {
    const choices = homePageChoices(
      [row('default', 'barrage-homepage'), row('team-a', 'web', 'ECI'), row('team-a', 'barrage-homepage')],
      { routed: { namespace: 'team-a', name: 'web' } },
    );
    expect(choices.map((c) => `${c.namespace}/${c.name}`)).toEqual([
      'team-a/web',
      'default/barrage-homepage',
      'team-a/barrage-homepage',
    ]);
  });

  it('with Connect set to a namespace, `default` gets no preference; FC and "home" names lead', () => {
    const choices = homePageChoices(
      [row('demo', 'processing', 'ECI'), row('demo', 'api'), row('demo', 'barrage-homepage')],
      { sessionNamespace: 'demo' },
    );
    expect(choices.map((c) => c.name)).toEqual(['barrage-homepage', 'api', 'processing']);
  });

  it('leaves out Services without a URL and follows each Service with its tagged URLs', () => {
    const tagged = {
      ...row('demo', 'barrage-homepage'),
      traffic: [
        {
          revisionName: 'barrage-homepage-00002',
          latestRevision: false,
          percent: 10,
          tag: 'canary',
          url: 'http://canary-barrage-homepage.demo.svc.cluster.local',
        },
      ],
    };
    const choices = homePageChoices([workloadRow({ name: 'no-url', url: null }), tagged], {});
    expect(choices.map((c) => c.value)).toEqual([
      'http://barrage-homepage.demo.svc.cluster.local',
      'http://canary-barrage-homepage.demo.svc.cluster.local',
    ]);
    expect(choices[1]?.label).toBe(
      'barrage-homepage tag canary → barrage-homepage-00002 — http://canary-barrage-homepage.demo.svc.cluster.local',
    );
  });

  it('knows whether the routed Service has a URL yet', () => {
    const choices = homePageChoices([row('default', 'other')], {});
    expect(routedHasUrl(choices, { namespace: 'default', name: 'barrage-homepage' })).toBe(false);
    expect(routedHasUrl(choices, { namespace: 'default', name: 'other' })).toBe(true);
    expect(routedHasUrl(choices, undefined)).toBe(true);
  });
});
