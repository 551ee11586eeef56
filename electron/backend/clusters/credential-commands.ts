// Kubeconfig users that run a program to get credentials (`exec` plugins, and `auth-provider`s, which may run
// `cmd-path` or refresh tokens on their own) run it with the user's rights the moment a client signs a request. A
// file the user added, or one a tool dropped into ~/.kube, must not run anything unasked: the console shows the
// command and asks once per file, remembering the answer by the SHA-256 of the file's bytes, so any edit of the file
// asks again. Only the command line is ever shown, never other file contents.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { User } from '@kubernetes/client-node';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../config/json-file';

/** What the user would see: the command line an exec plugin or auth-provider runs, or null when none. */
export function credentialCommandOf(user: User | null | undefined): string | null {
  if (!user) return null;
  const exec = user.exec as { command?: unknown; args?: unknown } | undefined;
  if (exec) {
    const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
    return [String(exec.command ?? '(no command)'), ...args].map(quoteIfNeeded).join(' ');
  }
  const provider = user.authProvider as { name?: unknown; config?: Record<string, unknown> } | undefined;
  if (provider) {
    const cmd = provider.config?.['cmd-path'];
    if (typeof cmd === 'string' && cmd !== '') {
      const args = typeof provider.config?.['cmd-args'] === 'string' ? provider.config['cmd-args'] : '';
      return `${quoteIfNeeded(cmd)}${args ? ` ${args}` : ''}`;
    }
    return `auth-provider ${String(provider.name ?? '(unnamed)')}`;
  }
  return null;
}

function quoteIfNeeded(part: string): string {
  return /^[\w@%+=:,./-]+$/.test(part) ? part : `'${part.replace(/'/g, `'\\''`)}'`;
}

export function contentHash(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const approvalsFile = z.object({
  approved: z.array(z.object({ hash: z.string(), path: z.string(), at: z.string() })),
});

/** Files whose credential commands the user confirmed, by content hash (kept in the config dir). */
export class CredentialCommandApprovals {
  private readonly path: string;

  constructor(configDir: string) {
    this.path = join(configDir, 'credential-command-approvals.json');
  }

  private read() {
    try {
      return readJsonFile(this.path, { approved: [] }, (value) => approvalsFile.parse(value));
    } catch {
      // A damaged file confirms nothing: the user is asked again.
      return { approved: [] };
    }
  }

  isApproved(hash: string): boolean {
    return this.read().approved.some((entry) => entry.hash === hash);
  }

  approve(hash: string, path: string): void {
    const current = this.read();
    if (current.approved.some((entry) => entry.hash === hash)) return;
    writeJsonFile(this.path, {
      approved: [...current.approved, { hash, path, at: new Date().toISOString() }],
    });
  }
}

/**
 * A kubeconfig loader error without the file's contents: YAML and JSON parsers quote the offending text (which may
 * be a token). Keeps the first line, drops quoted parts and code frames.
 */
export function safeLoadError(message: string): string {
  const first = message.split('\n')[0] ?? '';
  const unquoted = first.replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"…"');
  return unquoted.length > 200 ? `${unquoted.slice(0, 199)}…` : unquoted;
}
