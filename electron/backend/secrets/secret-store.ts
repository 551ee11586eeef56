// Where FC access key secrets and Kafka passwords live. One JSON file of values, 0600, in the config dir:
// - under Electron each value is encrypted with the OS keychain through `safeStorage` (injected as a StringCipher,
//   because safeStorage exists only in Electron's main process and the engine must not import Electron);
// - in web mode there is no keychain: values are stored as they are, and the engine says so in `app:info` warnings.
// Values are never logged and never returned to the UI (profiles carry `hasSecret` only).
import { chmodSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../config/json-file';

/** Encrypts with an OS facility (Electron safeStorage); base64 in and out so the file stays JSON. */
export interface StringCipher {
  encrypt(plain: string): Promise<string>;
  decrypt(encoded: string): Promise<string>;
}

export interface SecretStore {
  readonly kind: 'safe-storage' | 'file';
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  has(key: string): Promise<boolean>;
}

const fileShape = z.object({
  format: z.enum(['plain', 'safe-storage']),
  values: z.record(z.string(), z.string()),
});
type SecretFile = z.infer<typeof fileShape>;

export const WEB_MODE_SECRET_WARNING =
  'Web mode keeps FC keys and Kafka passwords unencrypted in a file only you can read (mode 0600); use the desktop app to keep them in the OS keychain.';

export class FileSecretStore implements SecretStore {
  readonly kind: 'safe-storage' | 'file';
  private readonly format: SecretFile['format'];

  constructor(
    private readonly path: string,
    private readonly cipher?: StringCipher,
  ) {
    this.kind = cipher ? 'safe-storage' : 'file';
    this.format = cipher ? 'safe-storage' : 'plain';
    // An older file written with looser permissions is tightened at once.
    if (existsSync(path)) chmodSync(path, 0o600);
  }

  private read(): SecretFile {
    const file = readJsonFile<SecretFile>(this.path, { format: this.format, values: {} }, (value) =>
      fileShape.parse(value),
    );
    if (file.format !== this.format) {
      // Plain values must not be read as ciphertext or the other way round; switching modes needs re-entry.
      return { format: this.format, values: {} };
    }
    return file;
  }

  async get(key: string): Promise<string | undefined> {
    const stored = this.read().values[key];
    if (stored === undefined) return undefined;
    return this.cipher ? this.cipher.decrypt(stored) : stored;
  }

  async has(key: string): Promise<boolean> {
    return this.read().values[key] !== undefined;
  }

  async set(key: string, value: string): Promise<void> {
    const file = this.read();
    file.values[key] = this.cipher ? await this.cipher.encrypt(value) : value;
    writeJsonFile(this.path, file, 0o600);
  }

  async delete(key: string): Promise<void> {
    const file = this.read();
    if (!(key in file.values)) return;
    delete file.values[key];
    writeJsonFile(this.path, file, 0o600);
  }
}
