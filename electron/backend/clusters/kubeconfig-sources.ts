// Which kubeconfig files the console reads: the default chain ($KUBECONFIG, else ~/.kube/config), files the user
// added (remembered in the config dir), and the running playground's own kubeconfig. Each file is loaded on its own
// so one broken file is reported next to its path instead of hiding every context.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import type { KubeContext } from '../../common/schemas/clusters';
import { EngineError } from '../errors';
import { readJsonFile, writeJsonFile } from '../config/json-file';

export type SourceKind = 'default' | 'file' | 'playground';

export interface LoadedSource {
  kind: SourceKind;
  path: string;
  error: string | null;
  config: KubeConfig | undefined;
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

  constructor(private readonly options: KubeconfigSourcesOptions) {
    this.savedPath = join(options.configDir, 'kubeconfig-sources.json');
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
    if (probe.error)
      throw new EngineError('invalid-request', `${absolute} is not a usable kubeconfig: ${probe.error}`);
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
        error: (error as Error).message,
        config: undefined,
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
        byName.set(context.name, {
          name: context.name,
          cluster: context.cluster,
          user: context.user,
          server: cluster?.server ?? '',
          namespace: context.namespace ?? null,
          source: source.path,
          sourceKind: source.kind,
        });
      }
    }
    return [...byName.values()];
  }

  /** A KubeConfig whose current context is `name`, from the source that defines it. */
  configFor(name: string): KubeConfig {
    for (const source of this.load()) {
      if (!source.config?.getContextObject(name)) continue;
      // Reload from the file rather than copying: relative certificate paths resolve against the file's folder.
      const config = new KubeConfig();
      config.loadFromFile(source.path);
      config.setCurrentContext(name);
      return config;
    }
    throw new EngineError('not-found', `No kubeconfig defines a context named "${name}".`);
  }
}

function load(path: string): Omit<LoadedSource, 'kind'> {
  try {
    const config = new KubeConfig();
    config.loadFromFile(path);
    return { path, error: null, config };
  } catch (error) {
    return { path, error: (error as Error).message, config: undefined };
  }
}
