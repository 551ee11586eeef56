// The ingress gateway address the user typed per context (Connect screen), kept in `gateways.json` in the config
// dir. Only addresses: nothing secret. Read once, written through on every change.
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-file';

const gatewaysFile = z.object({ gateways: z.record(z.string(), z.string()) });

export class GatewaySettings {
  private readonly file: string;
  private gateways: Record<string, string> | undefined;

  constructor(configDir: string) {
    this.file = join(configDir, 'gateways.json');
  }

  /** The address typed for `context`, if any. */
  get(context: string): string | undefined {
    return Object.hasOwn(this.all(), context) ? this.all()[context] : undefined;
  }

  /** Remembers `address` for `context`, or forgets it when null. */
  set(context: string, address: string | null): void {
    const next = { ...this.all() };
    if (address) next[context] = address;
    else delete next[context];
    writeJsonFile(this.file, { gateways: next });
    this.gateways = next;
  }

  private all(): Record<string, string> {
    this.gateways ??= readJsonFile(this.file, { gateways: {} }, (value) =>
      gatewaysFile.parse(value),
    ).gateways;
    return this.gateways;
  }
}
