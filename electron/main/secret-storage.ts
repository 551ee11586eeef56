// Which secret storage the engine may call encrypted, and the cipher it uses, over a thin slice of Electron's
// safeStorage (so the rules have unit specs without Electron). On Linux without a keyring Chromium falls back to the
// `basic_text` backend, which "encrypts" with a hard-coded key: that is not encryption, so it is reported as the
// plain file store (and its warning) instead of as safe storage. The async API is used: it waits until the OS key
// store is ready rather than answering "unavailable" early in startup, and it is what Electron keeps.
import type { SafeStorage } from 'electron';

export type SafeStorageLike = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'
> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

export type SecretStorageKind = 'safe-storage' | 'file';

/** Backends that do not protect secrets with an OS key store. */
const notEncrypting = new Set(['basic_text', 'unknown']);

export async function secretStorageKind(
  storage: SafeStorageLike,
  platform: NodeJS.Platform,
): Promise<SecretStorageKind> {
  let available: boolean;
  try {
    available = await storage.isAsyncEncryptionAvailable();
  } catch {
    available = false;
  }
  if (!available) return 'file';
  if (platform === 'linux') {
    const backend = storage.getSelectedStorageBackend?.() ?? 'unknown';
    if (notEncrypting.has(backend)) return 'file';
  }
  return 'safe-storage';
}

/** One engine cipher request: base64 of the encrypted bytes, or the decrypted text. */
export async function runCipher(
  storage: SafeStorageLike,
  op: 'encrypt' | 'decrypt',
  value: string,
): Promise<string> {
  if (op === 'encrypt') return (await storage.encryptStringAsync(value)).toString('base64');
  return (await storage.decryptStringAsync(Buffer.from(value, 'base64'))).result;
}
