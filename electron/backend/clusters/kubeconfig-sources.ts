// Which kubeconfig files the console reads: the default chain ($KUBECONFIG, else ~/.kube/config), files the user
// added (remembered in the config dir), and the running playground's own kubeconfig. Each file is loaded on its own
// so one broken file is reported next to its path instead of hiding every context.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import type { KubeContext } from '../../common/schemas/clusters';
import { EngineError } from '../errors';
import { DeadlineKubeConfig } from './deadline-kube-config';
import { readJsonFile, writeJsonFile } from '../config/json-file';
import {
  contentHash,
  credentialCommandOf,
  CredentialCommandApprovals,
  safeLoadError,
} from './credential-commands';

export type SourceKind = 'default' | 'file' | 'playground';

export interface LoadedSource {
  kind: SourceKind;
  path: string;
  error: string | null;
  config: KubeConfig | undefined;
  /** SHA-256 of the bytes the config was loaded from. */
  hash: string | null;
}

const savedSources = z.object({ files: z.array(z.string()) });

export interface KubeconfigSourcesOptions {
  configDir: string;
  /** The playground's kubeconfig path when one is up (asked each time: it comes and goes). */
  playgroundKubeconfig: () => string | undefined;
  env?: NodeJS.ProcessEnv;
}

export class KubeconfigSources {
  private readonly savedPath: string;
  private readonly approvals: CredentialCommandApprovals;

  constructor(private readonly options: KubeconfigSourcesOptions) {
    this.savedPath = join(options.configDir, 'kubeconfig-sources.json');
    this.approvals = new CredentialCommandApprovals(options.configDir);
  }

  /** Whether a context's credential command (if any) may run: the playground's own file always may. */
  private mayRun(source: LoadedSource): boolean {
    return source.kind === 'playground' || (source.hash !== null && this.approvals.isApproved(source.hash));
  }

  /**
   * Remembers that the user confirmed the credential commands of the file as it is now (by content hash). The
   * file must be a known source, so a confirmation cannot be planted for an arbitrary path.
   */
  confirmCredentialCommands(path: string): void {
    const absolute = resolve(path);
    const source = this.load().find((candidate) => candidate.path === absolute);
    if (!source) throw new EngineError('not-found', `${absolute} is not one of the kubeconfig sources.`);
    if (!source.config || !source.hash) {
      throw new EngineError(
        'invalid-request',
        `${absolute} is not a usable kubeconfig: ${source.error ?? ''}`,
      );
    }
    this.approvals.approve(source.hash, absolute);
  }

  private defaultPaths(): string[] {
    const env = this.options.env ?? process.env;
    if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter(Boolean);
    const home = join(homedir(), '.kube', 'config');
    return existsSync(home) ? [home] : [];
  }

  private userFiles(): string[] {
    return readJsonFile(this.savedPath, { files: [] }, (value) => savedSources.parse(value)).files;
  }

  addFile(path: string): void {
    const absolute = resolve(path);
    if (!existsSync(absolute)) throw new EngineError('not-found', `No kubeconfig file at ${absolute}.`);
    const probe = load(absolute);
    if (probe.error) {
      throw new EngineError('invalid-request', `${absolute} is not a usable kubeconfig: ${probe.error}`);
    }
    const files = this.userFiles();
    if (!files.includes(absolute)) writeJsonFile(this.savedPath, { files: [...files, absolute] });
  }

  /** Loads every source now (files change under us: kubeconfigs are edited by other tools). */
  load(): LoadedSource[] {
    const sources: LoadedSource[] = [];
    const seen = new Set<string>();
    const add = (kind: SourceKind, path: string) => {
      const absolute = resolve(path);
      if (seen.has(absolute)) return;
      seen.add(absolute);
      sources.push({ kind, ...load(absolute) });
    };
    const playground = this.options.playgroundKubeconfig();
    if (playground) add('playground', playground);
    for (const path of this.defaultPaths()) add('default', path);
    let files: string[] = [];
    try {
      files = this.userFiles();
    } catch (error) {
      sources.push({
        kind: 'file',
        path: this.savedPath,
        error: safeLoadError((error as Error).message),
        config: undefined,
        hash: null,
      });
    }
    for (const path of files) add('file', path);
    return sources;
  }

  /** Contexts of every source; when two sources name the same context, the first (playground, default) wins. */
  contexts(sources: LoadedSource[] = this.load()): KubeContext[] {
    const byName = new Map<string, KubeContext>();
    for (const source of sources) {
      if (!source.config) continue;
      for (const context of source.config.getContexts()) {
        if (byName.has(context.name)) continue;
        const cluster = source.config.getCluster(context.cluster);
        const command = credentialCommandOf(source.config.getUser(context.user));
        byName.set(context.name, {
          name: context.name,
          cluster: context.cluster,
          user: context.user,
          server: cluster?.server ?? '',
          namespace: context.namespace ?? null,
          source: source.path,
          sourceKind: source.kind,
          credentialCommand: command,
          credentialCommandConfirmed: command === null || this.mayRun(source),
        });
      }
    }
    return [...byName.values()];
  }

  /**
   * A KubeConfig whose current context is `name`, from the source that defines it. A context whose user runs a
   * credential command not yet confirmed for this file's exact content is refused before anything can run it.
   */
  configFor(name: string): KubeConfig {
    for (const listed of this.load()) {
      if (!listed.config?.getContextObject(name)) continue;
      // Load again and check the bytes actually used, so an edit between listing and use cannot slip through.
      const source = { ...listed, ...load(listed.path) };
      const config = source.config;
      if (!config)
        throw new EngineError('invalid-request', `${source.path}: ${source.error ?? 'unreadable'}`);
      config.setCurrentContext(name);
      const command = credentialCommandOf(config.getCurrentUser());
      if (command !== null && !this.mayRun(source)) {
        throw new EngineError(
          'precondition',
          `Context "${name}" gets its credentials by running \`${command}\` (from ${source.path}). Nothing was ` +
            'run: confirm the command on the Connect screen first.',
          { reason: 'CredentialCommandUnconfirmed' },
        );
      }
      return config;
    }
    throw new EngineError('not-found', `No kubeconfig defines a context named "${name}".`);
  }
}

/** Loads a kubeconfig from the bytes it hashes; errors never quote the file (it may hold tokens). */
function load(path: string): Omit<LoadedSource, 'kind'> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { path, error: safeLoadError((error as Error).message), config: undefined, hash: null };
  }
  try {
    const config = new DeadlineKubeConfig();
    config.loadFromString(bytes.toString('utf8'));
    // As loadFromFile does: relative certificate and key paths resolve against the file's folder.
    (config as unknown as { makePathsAbsolute(root: string): void }).makePathsAbsolute(dirname(path));
    return { path, error: null, config, hash: contentHash(bytes) };
  } catch (error) {
    return { path, error: safeLoadError((error as Error).message), config: undefined, hash: null };
  }
}
