// The local playground seen from the console: status, start and stop (with the playground's own progress lines),
// and the facts other modules need from it (kubeconfig, Kafka brokers, the FC double's profile). It calls the same
// functions as `npm run -s playground -- up|down|status`, in this process.
import { defaultPlaygroundDir, readPlaygroundInfo } from '../../../playground/info';
import type { PlaygroundInfo } from '../../../playground/info';
import { downPlayground, playgroundStatus, upPlayground } from '../../../playground/playground';
import type { z } from 'zod';
import type { playgroundEvent, playgroundStatusResponse } from '../../common/schemas/app';
import type { PlaygroundProfiles } from '../config/profile-store';
import { EngineError } from '../errors';

type Status = z.infer<typeof playgroundStatusResponse>;
type Event = z.infer<typeof playgroundEvent>;

export const PLAYGROUND_FC_PROFILE_ID = 'playground-fc';
export const PLAYGROUND_KAFKA_PROFILE_ID = 'playground-kafka';

interface FcFacts {
  endpoint: string;
  accountId: string;
  accessKeyId: string;
  accessKeySecret: string;
  region: string;
}

function fcFacts(info: PlaygroundInfo | undefined): FcFacts | undefined {
  const fc = info?.fc as Partial<FcFacts> | undefined;
  if (!fc || typeof fc !== 'object') return undefined;
  const { endpoint, accountId, accessKeyId, accessKeySecret, region } = fc;
  if (![endpoint, accountId, accessKeyId, accessKeySecret, region].every((v) => typeof v === 'string' && v))
    return undefined;
  return fc as FcFacts;
}

function ingressOf(info: PlaygroundInfo | undefined): string | null {
  const ingress = info?.ingress as unknown;
  if (typeof ingress === 'string') return ingress;
  if (ingress && typeof ingress === 'object') {
    const record = ingress as Record<string, unknown>;
    for (const key of ['url', 'baseUrl', 'address'])
      if (typeof record[key] === 'string') return record[key] as string;
    if (typeof record.port === 'number') return `http://127.0.0.1:${record.port}`;
  }
  return null;
}

export class PlaygroundService {
  private busy: 'starting' | 'stopping' | undefined;

  constructor(private readonly dir: string = defaultPlaygroundDir()) {}

  /** The state file as it is now (undefined when never started; a corrupt file reads as none). */
  info(): PlaygroundInfo | undefined {
    try {
      return readPlaygroundInfo(this.dir);
    } catch {
      return undefined;
    }
  }

  /** The playground's kubeconfig, only while its apiserver process runs. */
  kubeconfig(): string | undefined {
    const info = this.info();
    return info && Object.values(info.parts).some((part) => part.running) ? info.kubeconfig : undefined;
  }

  adminContext(): string | undefined {
    return this.kubeconfig() ? this.info()?.contexts.admin : undefined;
  }

  /** Contexts of the playground: deploys there use the playground target (local Kafka, SQLite store). */
  isPlaygroundContext(context: string): boolean {
    const info = this.info();
    return !!info && (context === info.contexts.admin || context === info.contexts.viewer);
  }

  profiles(): PlaygroundProfiles {
    const info = this.info();
    if (!info) return {};
    const profiles: PlaygroundProfiles = {};
    if (info.kafkaBrokers.length > 0 && info.parts.kafka?.running) {
      profiles.kafka = {
        id: PLAYGROUND_KAFKA_PROFILE_ID,
        name: 'Playground Kafka',
        brokers: info.kafkaBrokers,
        ssl: false,
        sasl: null,
        password: undefined,
      };
    }
    const fc = fcFacts(info);
    if (fc) {
      profiles.fc = {
        id: PLAYGROUND_FC_PROFILE_ID,
        name: 'Playground FC',
        accountId: fc.accountId,
        region: fc.region,
        endpoint: fc.endpoint,
        accessKeyId: fc.accessKeyId,
        accessKeySecret: fc.accessKeySecret,
      };
    }
    return profiles;
  }

  async status(): Promise<Status> {
    if (this.busy) return { state: this.busy, info: this.describe(this.info()), message: null };
    const status = await playgroundStatus({ dir: this.dir });
    if (!status.info) {
      return {
        state: 'down',
        info: null,
        message: `No playground yet; start it (the first start builds binaries: minutes).`,
      };
    }
    const parts = Object.values(status.parts);
    const state = status.healthy ? 'up' : parts.some((part) => part.running) ? 'partial' : 'down';
    const unhealthy = Object.entries(status.parts)
      .filter(([, part]) => !part.healthy)
      .map(([name]) => name);
    return {
      state,
      info: this.describe(status.info),
      message: unhealthy.length > 0 ? `Not answering: ${unhealthy.join(', ')}.` : null,
    };
  }

  private describe(info: PlaygroundInfo | undefined): Status['info'] {
    if (!info) return null;
    return {
      kubeconfig: info.kubeconfig,
      apiServer: info.apiServer,
      contexts: info.contexts,
      viewerNamespace: info.viewerNamespace,
      kafkaBrokers: info.kafkaBrokers,
      fcEndpoint: fcFacts(info)?.endpoint ?? null,
      ingress: ingressOf(info),
      parts: Object.entries(info.parts).map(([name, part]) => ({
        name,
        running: part.running,
        port: part.port ?? null,
      })),
    };
  }

  async start(kafka: boolean, emit: (event: Event) => void): Promise<void> {
    await this.exclusive('starting', async () => {
      const result = await upPlayground({
        dir: this.dir,
        kafka,
        progress: (line) => emit({ type: 'log', line }),
      });
      emit({ type: 'done', ok: true, message: `Playground up (${result.started.length} part(s) started).` });
    });
  }

  async stop(emit: (event: Event) => void): Promise<void> {
    await this.exclusive('stopping', async () => {
      const result = await downPlayground({ dir: this.dir, progress: (line) => emit({ type: 'log', line }) });
      emit({ type: 'done', ok: true, message: `Playground stopped (${result.stopped.length} part(s)).` });
    });
  }

  private async exclusive(state: 'starting' | 'stopping', work: () => Promise<void>): Promise<void> {
    if (this.busy) throw new EngineError('conflict', `The playground is already ${this.busy}.`);
    this.busy = state;
    try {
      await work();
    } finally {
      this.busy = undefined;
    }
  }

  ingress(): string | null {
    return ingressOf(this.info());
  }
}
