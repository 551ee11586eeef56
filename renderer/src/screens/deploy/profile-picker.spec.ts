import { describe, expect, it } from 'vitest';
import { profilesRequest } from './profile-picker';

describe('profilesRequest', () => {
  it('sends no profiles field when none is chosen, so the connection defaults stay as they are', () => {
    expect(profilesRequest({})).toBeUndefined();
    expect(profilesRequest({ kafka: undefined, fc: '' })).toBeUndefined();
  });

  it('sends only the chosen ids', () => {
    expect(profilesRequest({ kafka: 'kafka-1' })).toEqual({ kafka: 'kafka-1' });
    expect(profilesRequest({ kafka: 'kafka-1', fc: 'fc-2' })).toEqual({ kafka: 'kafka-1', fc: 'fc-2' });
  });
});
