// Function Compute profiles through the engine against the playground's FC API double: a profile with the right
// keys lists, the same profile with a wrong secret is refused with FC's own 403 reason, and the secret never comes
// back to the UI.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PermissionError } from '../renderer/src/engine/errors';
import { engineFor } from './engine-harness';

const playground = inject('playground');
const harness = engineFor(playground);
const { api } = harness;
afterAll(() => harness.close());

const fc = playground.fc as
  { endpoint: string; accountId: string; accessKeyId: string; region: string } | undefined;

describe('FC profiles', () => {
  it('lists through the playground profile and refuses a wrong secret with a 403', async () => {
    expect(fc, 'the playground publishes its FC endpoint').toBeDefined();
    const { profiles } = await api.fc.profiles({});
    const builtIn = profiles.find((profile) => profile.origin === 'playground');
    expect(builtIn).toMatchObject({ accountId: fc!.accountId, region: fc!.region, hasSecret: true });
    const listing = await api.fc.list({ profileId: builtIn!.id });
    expect(Array.isArray(listing.services)).toBe(true);
    expect(Array.isArray(listing.customDomains)).toBe(true);

    const { profile } = await api.fc.saveProfile({
      name: 'wrong secret',
      accountId: fc!.accountId,
      region: fc!.region,
      endpoint: fc!.endpoint,
      accessKeyId: fc!.accessKeyId,
      accessKeySecret: 'definitely-not-the-secret',
    });
    const error = await api.fc.list({ profileId: profile.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect((error as PermissionError).details.httpStatus).toBe(403);
    expect((error as PermissionError).details.reason).toMatch(/SignatureNotMatch|InvalidAccessKeyID/);
    expect(JSON.stringify(await api.fc.profiles({}))).not.toContain('definitely-not-the-secret');
  });

  it('refuses to edit the playground profile', async () => {
    await expect(
      api.fc.saveProfile({
        id: 'playground-fc',
        name: 'x',
        accountId: '1',
        region: 'cn-shanghai',
        accessKeyId: 'a',
      }),
    ).rejects.toMatchObject({ code: 'precondition' });
  });
});
