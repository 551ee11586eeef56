import { describe, expect, it } from 'vitest';
import { runCipher, secretStorageKind, type SafeStorageLike } from './secret-storage';

function storage(available: boolean | Error, backend?: string): SafeStorageLike {
  return {
    isAsyncEncryptionAvailable: async () => {
      if (available instanceof Error) throw available;
      return available;
    },
    encryptStringAsync: async (text: string) => Buffer.from(`enc:${text}`),
    decryptStringAsync: async (bytes: Buffer) => ({
      result: bytes.toString().replace(/^enc:/, ''),
      shouldReEncrypt: false,
    }),
    ...(backend ? { getSelectedStorageBackend: () => backend as never } : {}),
  };
}

describe('secret storage kind', () => {
  it('reports Linux basic_text (no keyring: a hard-coded key) and unknown as not encrypted', async () => {
    expect(await secretStorageKind(storage(true, 'basic_text'), 'linux')).toBe('file');
    expect(await secretStorageKind(storage(true, 'unknown'), 'linux')).toBe('file');
    expect(await secretStorageKind(storage(true, 'gnome_libsecret'), 'linux')).toBe('safe-storage');
    expect(await secretStorageKind(storage(true, 'kwallet6'), 'linux')).toBe('safe-storage');
  });

  it('waits for the async availability and treats unavailable or failing as the file store', async () => {
    expect(await secretStorageKind(storage(false), 'darwin')).toBe('file');
    expect(await secretStorageKind(storage(new Error('not ready')), 'win32')).toBe('file');
    expect(await secretStorageKind(storage(true), 'darwin')).toBe('safe-storage');
  });

  it('round-trips through the async cipher', async () => {
    const s = storage(true);
    const encrypted = await runCipher(s, 'encrypt', 'secret');
    expect(encrypted).not.toContain('secret');
    expect(await runCipher(s, 'decrypt', encrypted)).toBe('secret');
  });
});
