import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from './routes';

describe('routes', () => {
  it('parses a screen and its parameters', () => {
    expect(parseRoute('#/workloads/demo/barrage%20x')).toEqual({
      screen: 'workloads',
      params: ['demo', 'barrage x'],
    });
  });
  it('falls back to connect for unknown or empty hashes', () => {
    expect(parseRoute('')).toEqual({ screen: 'connect', params: [] });
    expect(parseRoute('#/nope/1')).toEqual({ screen: 'connect', params: [] });
  });
  it('round-trips', () => {
    const route = { screen: 'monitor' as const, params: ['a/b'] };
    expect(parseRoute(routeHash(route))).toEqual(route);
  });
});
