// The local playground seen from the console: status, start and stop (with the playground's own progress lines),
// and the facts other modules need from it (kubeconfig, Kafka brokers, the FC double's profile). It calls the same
// functions as `npm run -s playground -- up|down|status`, in this process, through the PlaygroundPort its entry
// point wired (none at all: the console works without a playground).
import type { z } from 'zod';
import { playgroundFactsOf, type PlaygroundFacts } from '../../../workloads/templates/index';
import type { playgroundEvent, playgroundStatusResponse } from '../../common/schemas/app';
import type { PlaygroundProfiles } from '../config/profile-store';
import { EngineError } from '../errors';
import type { PlaygroundPort, PlaygroundState } from './playground-port';

type Status = z.infer<typeof playgroundStatusResponse>;
type Event = z.infer<typeof playgroundEvent>;

const NO_CONTROL =
  'This build cannot start or stop the local playground: run `npm run -s playground -- up` in a knative-desk source ' +
  'checkout (or use the console in web mode there); a playground started that way shows up here.';

export const PLAYGROUND_FC_PROFILE_ID = 'playground-fc';
export const PLAYGROUND_KAFKA_PROFILE_ID = 'playground-kafka';

interface FcFacts {
  endpoint: string;
  accountId: string;
  accessKeyId: string;
  accessKeySecret: string;
  region: string;
}

function fcFacts(info: PlaygroundState | undefined): FcFacts | undefined {
  const fc = info?.fc as Partial<FcFacts> | undefined;
  if (!fc || typeof fc !== 'object') return undefined;
  const { endpoint, accountId, accessKeyId, accessKeySecret, region } = fc;
  if (![endpoint, accountId, accessKeyId, accessKeySecret, region].every((v) => typeof v === 'string' && v))
    return undefined;
  return fc as FcFacts;
}

function ingressOf(info: PlaygroundState | undefined): string | null {
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

  constructor(private readonly port: PlaygroundPort | undefined) {}

  /** The state file as it is now (undefined when never started; a corrupt file reads as none). */
  info(): PlaygroundState | undefined {
    try {
      return this.port?.readState();
    } catch {
      return undefined;
    }
  }

  /** What the templates need to deploy onto the playground (throws PlaygroundUnavailableError without Kafka). */
  templateFacts(): PlaygroundFacts {
    return playgroundFactsOf(this.info(), this.port?.dir ?? 'the playground dir');
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
    if (!this.port?.control) return this.statusWithoutControl();
    const status = await this.port.control.status();
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

  /** The packaged desktop app reads a running playground's state file but cannot start or health-check one. */
  private statusWithoutControl(): Status {
    const info = this.info();
    const running = info ? Object.values(info.parts).some((part) => part.running) : false;
    return {
      state: !info
        ? 'down'
        : Object.values(info.parts).every((part) => part.running)
          ? 'up'
          : running
            ? 'partial'
            : 'down',
      info: this.describe(info),
      message: NO_CONTROL,
    };
  }

  private control(): NonNullable<PlaygroundPort['control']> {
    if (!this.port?.control) throw new EngineError('precondition', NO_CONTROL);
    return this.port.control;
  }

  private describe(info: PlaygroundState | undefined): Status['info'] {
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
      const result = await this.control().up({
        kafka,
        progress: (line) => emit({ type: 'log', line }),
      });
      emit({ type: 'done', ok: true, message: `Playground up (${result.started.length} part(s) started).` });
    });
  }

  async stop(emit: (event: Event) => void): Promise<void> {
    await this.exclusive('stopping', async () => {
      const result = await this.control().down({ progress: (line) => emit({ type: 'log', line }) });
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
