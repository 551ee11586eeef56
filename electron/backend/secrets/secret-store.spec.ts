import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore } from './secret-store';
import type { StringCipher } from './secret-store';

const dir = () => mkdtempSync(join(tmpdir(), 'knd-secrets-'));

/** Reversible but visibly different from the input, standing in for safeStorage (which only Electron has). */
const rot13Cipher: StringCipher = {
  encrypt: async (plain) =>
    Buffer.from(
      plain.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 84) % 26) + 97)),
    ).toString('base64'),
  decrypt: async (encoded) =>
    Buffer.from(encoded, 'base64')
      .toString()
      .replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 84) % 26) + 97)),
};

describe('FileSecretStore', () => {
  it('keeps values in a 0600 file and reads them back', async () => {
    const path = join(dir(), 'secrets.json');
    const store = new FileSecretStore(path);
    await store.set('fc:a', 'very-secret');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await new FileSecretStore(path).get('fc:a')).toBe('very-secret');
    expect(await store.has('fc:b')).toBe(false);
    await store.delete('fc:a');
    expect(await store.get('fc:a')).toBeUndefined();
  });

  it('writes only ciphertext when a cipher is injected', async () => {
    const path = join(dir(), 'secrets.json');
    const store = new FileSecretStore(path, rot13Cipher);
    await store.set('kafka:x', 'hunter-two');
    expect(readFileSync(path, 'utf8')).not.toContain('hunter-two');
    expect(await store.get('kafka:x')).toBe('hunter-two');
    expect(store.kind).toBe('safe-storage');
  });

  it('does not hand plain values out as ciphertext after switching modes', async () => {
    const path = join(dir(), 'secrets.json');
    await new FileSecretStore(path).set('k', 'plain');
    expect(await new FileSecretStore(path, rot13Cipher).get('k')).toBeUndefined();
  });
});
