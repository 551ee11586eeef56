// Re-pointing a saved profile (new endpoint, account, key id; new brokers, TLS, SASL user or mechanism) needs the
// secret again: the stored one must never follow a host the user did not type it for.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore } from '../secrets/secret-store';
import { ProfileStore } from './profile-store';

function store() {
  const dir = mkdtempSync(join(tmpdir(), 'knd-profiles-'));
  return new ProfileStore(dir, new FileSecretStore(join(dir, 'secrets.json')), () => ({}));
}

const fc = { name: 'prod', accountId: '123', region: 'cn-hangzhou', accessKeyId: 'AK' };
const sasl = { mechanism: 'plain' as const, username: 'u' };

describe('profile store: re-pointing needs the secret again', () => {
  it('FC: a new endpoint, region, account or key id without the secret is refused; the old target keeps it', async () => {
    const profiles = store();
    const saved = await profiles.saveFc({ ...fc, accessKeySecret: 'S1' });
    for (const change of [
      { endpoint: 'https://evil.example.com' },
      { region: 'us-west-1' },
      { accountId: '999' },
      { accessKeyId: 'AK2' },
    ]) {
      await expect(profiles.saveFc({ ...fc, id: saved.id, ...change })).rejects.toMatchObject({
        code: 'invalid-request',
        details: { causes: [{ field: 'accessKeySecret' }] },
      });
    }
    // Renaming keeps the secret; re-pointing with the secret typed again works.
    expect(await profiles.saveFc({ ...fc, id: saved.id, name: 'renamed' })).toMatchObject({
      hasSecret: true,
    });
    await profiles.saveFc({
      ...fc,
      id: saved.id,
      endpoint: 'https://new.example.com',
      accessKeySecret: 'S2',
    });
    expect((await profiles.fcConnection(saved.id)).accessKeySecret).toBe('S2');
  });

  it('Kafka: new brokers, TLS, mechanism or user without the password is refused', async () => {
    const profiles = store();
    const base = { name: 'k', brokers: ['a:9092', 'b:9092'], ssl: true };
    const saved = await profiles.saveKafka({ ...base, sasl: { ...sasl, password: 'P1' } });
    for (const change of [
      { brokers: ['evil:9092'] },
      { ssl: false },
      { sasl: { ...sasl, username: 'other' } },
      { sasl: { mechanism: 'scram-sha-256' as const, username: 'u' } },
    ]) {
      await expect(profiles.saveKafka({ ...base, sasl, ...change, id: saved.id })).rejects.toMatchObject({
        details: { causes: [{ field: 'password' }] },
      });
    }
    // The same brokers in another order are the same target.
    expect(
      await profiles.saveKafka({ ...base, brokers: ['b:9092', 'a:9092'], sasl, id: saved.id }),
    ).toMatchObject({ hasPassword: true });
  });
});
