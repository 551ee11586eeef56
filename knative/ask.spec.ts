import { describe, expect, it } from 'vitest';
import { fcCustomDomainOf, fcNameFor, knativeNameFromFc, workloadKindOf } from './ask';
import { annotations } from './keys';

describe('Knative on ASK', () => {
  it('names FC services and functions kn_<namespace>_<name> and reads the name back', () => {
    expect(fcNameFor('default', 'demo-barrage')).toBe('kn_default_demo-barrage');
    expect(knativeNameFromFc('kn_default_demo-barrage')).toEqual({
      namespace: 'default',
      name: 'demo-barrage',
    });
    expect(knativeNameFromFc('my_function')).toBeNull();
  });

  it('is FC when the Service or its template says so, ECI otherwise', () => {
    expect(workloadKindOf({ metadata: { annotations: { [annotations.workloadClass]: 'FC' } } })).toBe('FC');
    expect(
      workloadKindOf({
        metadata: {},
        spec: { template: { metadata: { annotations: { [annotations.workloadClass]: 'fc' } } } },
      }),
    ).toBe('FC');
    expect(workloadKindOf({ metadata: { annotations: {} } })).toBe('ECI');
  });

  it('reads the FC custom domain annotation, lower-cased, path /* by default, nothing when it is not JSON', () => {
    expect(fcCustomDomainOf('{"domain":"Barrage.Example.com"}')).toEqual({
      domain: 'barrage.example.com',
      path: '/*',
    });
    expect(fcCustomDomainOf('{"domain":"a.example.com","path":"/api/*"}')).toEqual({
      domain: 'a.example.com',
      path: '/api/*',
    });
    expect(fcCustomDomainOf('barrage.example.com')).toBeUndefined();
    expect(fcCustomDomainOf('{"path":"/*"}')).toBeUndefined();
    expect(fcCustomDomainOf(undefined)).toBeUndefined();
  });
});
