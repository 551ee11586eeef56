// Wires the engine's services together and exposes them as the contract's handlers. This is the one place where
// the pieces meet; every service gets what it needs through its constructor, so tests can build any of them alone.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Handlers } from './rpc/handlers';
import { finiteStream } from './rpc/finite-stream';
import { defaultConfigDir } from './config/app-paths';
import { ProfileStore } from './config/profile-store';
import { ClusterService } from './clusters/cluster-service';
import { KubeconfigSources } from './clusters/kubeconfig-sources';
import { EngineError } from './errors';
import type { PlaygroundPort } from './playground/playground-port';
import { PlaygroundService } from './playground/playground-service';
import { FileSecretStore, WEB_MODE_SECRET_WARNING } from './secrets/secret-store';
import type { StringCipher } from './secrets/secret-store';
import { WorkloadService } from './workloads/workload-service';
import { startSender } from './barrage/sender';
import { BarrageViewer } from './barrage/viewer';
import { DeployService } from './deploy/deploy-service';
import { templateInfos } from './deploy/templates';
import { FcService } from './fc/fc-service';
import { KafkaService } from './kafka/kafka-service';
import { createTopic, produceTest, resetOffsets, topicDetails } from './kafka/topic-admin';
import { PodSeries } from './live/pod-series';
import { SharedPodSeries } from './live/shared-pod-series';
import { manageHandlers } from './manage/manage-handlers';
import { ManageService } from './manage/manage-service';
import { GatewaySettings } from './config/gateway-settings';
import { GatewayResolver } from './net/gateway-resolver';
import { discoverIngressGateway } from './net/ingress-gateway';
import { KafkaSourceService } from './eventing/kafka-source-service';
import { sourceHandlers } from './eventing/source-handlers';

export interface EngineOptions {
  mode: 'electron' | 'web';
  version?: string;
  configDir?: string;
  /** The local playground, wired by the entry point (web/dev: start/stop/status; desktop: read only; none: absent). */
  playground?: PlaygroundPort;
  /** Electron's safeStorage, bridged from the main process; absent in web mode (secrets then go to a 0600 file). */
  cipher?: StringCipher;
  /** Opens a link in the system browser (Electron's shell); web mode has none (the UI opens links itself). */
  openExternal?: (url: string) => Promise<void>;
  /** Engine log (never secrets). */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** How many times the shell restarted the engine after it died (told to the UI through app:engine). */
  restarts?: number;
}

export interface Engine {
  handlers: Handlers;
  dispose(): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  const configDir = options.configDir ?? defaultConfigDir();
  const secrets = new FileSecretStore(join(configDir, 'secrets.json'), options.cipher);
  const playground = new PlaygroundService(options.playground);
  // Pod series are shared by their parameters and linger 5 minutes unfollowed (shared-pod-series.ts): the Monitor
  // opened during or after a barrage run draws the pods from the run's start.
  const podSeries = new SharedPodSeries(5 * 60_000);
  const profiles = new ProfileStore(configDir, secrets, () => playground.profiles());
  const sources = new KubeconfigSources({
    configDir,
    playgroundKubeconfig: () => playground.kubeconfig(),
    env: options.env,
  });
  const clusters = new ClusterService(sources, () => playground.adminContext());
  const fc = new FcService(profiles);
  const workloads = new WorkloadService(clusters, (namespace, name) => fc.link(namespace, name));
  const kafka = new KafkaService(profiles);
  const deploy = new DeployService(
    clusters,
    (context) =>
      context && playground.isPlaygroundContext(context) && playground.info()?.dir
        ? () => playground.templateFacts()
        : undefined,
    async (ids) => ({
      ...(ids.kafka ? { kafka: await profiles.kafkaConnection(ids.kafka) } : {}),
      ...(ids.fc ? { fc: await profiles.fcConnection(ids.fc) } : {}),
    }),
  );
  const typedGateways = new GatewaySettings(configDir);
  const gateways = new GatewayResolver({
    typedGateway: (context) => typedGateways.get(context),
    playgroundGateway: (context) =>
      playground.isPlaygroundContext(context) ? playground.ingress() : undefined,
    discover: (context) => discoverIngressGateway(clusters.clientsFor(context).core),
  });
  // Without a context (older callers) a cluster-local URL goes through the playground's gateway, as before.
  const gatewayFor = (context: string | undefined) =>
    context ? gateways.resolve(context) : Promise.resolve(playground.ingress());
  const manage = new ManageService(clusters, (context) => gateways.resolve(context));
  /**
   * Starts a stream's work once the gateway for `context` is known (a first discovery reads the cluster); the
   * returned cleanup stops it, or keeps it from starting when the stream ended first.
   */
  const withGateway = (
    context: string | undefined,
    signal: AbortSignal,
    start: (gateway: string | null) => () => void,
  ): (() => void) => {
    let stop: (() => void) | undefined;
    let ended = false;
    void gatewayFor(context).then((gateway) => {
      if (!ended && !signal.aborted) stop = start(gateway);
    });
    return () => {
      ended = true;
      stop?.();
    };
  };
  const kafkaSources = new KafkaSourceService(clusters);
  const warnings = secrets.kind === 'file' ? [WEB_MODE_SECRET_WARNING] : [];
  const engineId = randomUUID();
  const startedAt = Date.now();

  const handlers: Handlers = {
    'app:info': async () => ({
      mode: options.mode,
      version: options.version ?? '0.1.0',
      secretStorage: secrets.kind,
      warnings,
    }),
    'app:engine': (_params, sink) => {
      sink.emit({ type: 'hello', engineId, startedAt, restarts: options.restarts ?? 0 });
    },
    'app:openExternal': async ({ url }) => {
      if (!options.openExternal) {
        throw new EngineError('precondition', 'Web mode opens links in the browser itself.');
      }
      await options.openExternal(url);
      return {};
    },

    'clusters:list': async () => clusters.list(),
    'clusters:addKubeconfig': async ({ path }) => clusters.addKubeconfig(path),
    'clusters:confirmCredentialCommands': async ({ source }) => clusters.confirmCredentialCommands(source),
    'clusters:check': async ({ context, namespace }) => clusters.check(context, namespace),
    'clusters:namespaces': async ({ context }) => clusters.namespaces(context),
    'clusters:gateway': async ({ context, refresh }) => {
      if (refresh) gateways.forget(context);
      return gateways.describe(context);
    },
    'clusters:setGateway': async ({ context, address }) => {
      typedGateways.set(context, address);
      return gateways.describe(context);
    },

    'workloads:list': async ({ context, namespace }) => ({ rows: await workloads.rows(context, namespace) }),
    'workloads:watch': ({ context, namespace }, sink) =>
      workloads.watch(context, namespace, (event) => sink.emit(event)),
    'workloads:get': async ({ context, namespace, name }) => workloads.details(context, namespace, name),
    'workloads:kafkaSources': async ({ context, namespace }) => ({
      sources: await workloads.kafkaSources(context, namespace),
    }),

    ...manageHandlers(manage),
    ...sourceHandlers(kafkaSources),

    'deploy:templates': async ({ context, namespace, profiles: inUse }) => {
      const { defaults, secretSources } = await deploy.defaultsFor(context, namespace ?? 'default', inUse);
      return { templates: templateInfos(defaults, secretSources) };
    },
    'deploy:render': async ({ templateId, namespace, parameters, context, profiles: inUse }) =>
      deploy.render(templateId, namespace, parameters, context, inUse),
    'deploy:diff': async (request) => deploy.diff(request),
    'deploy:namespace': async ({ context, namespace }) => deploy.namespaceStatus(context, namespace),
    'deploy:createNamespace': async ({ context, namespace }) => {
      await deploy.createNamespace(context, namespace);
      return {};
    },
    'deploy:apply': (request, sink) =>
      finiteStream(sink, (emit, signal) => deploy.deploy(request, emit, signal)),
    'deploy:undeploy': (request, sink) =>
      finiteStream(sink, (emit, signal) => deploy.undeploy(request, emit, signal)),

    'fc:profiles': async () => ({ profiles: await profiles.fcProfiles() }),
    'fc:saveProfile': async (request) => ({ profile: await profiles.saveFc(request) }),
    'fc:deleteProfile': async ({ id }) => {
      await profiles.delete('fc', id);
      return {};
    },
    'fc:list': async ({ profileId, context, namespace }) => {
      const known = context
        ? new Set((await workloads.rows(context, namespace)).map((row) => `${row.namespace}/${row.name}`))
        : null;
      return fc.list(profileId, known);
    },

    'kafka:profiles': async () => ({ profiles: await profiles.kafkaProfiles() }),
    'kafka:saveProfile': async (request) => ({ profile: await profiles.saveKafka(request) }),
    'kafka:deleteProfile': async ({ id }) => {
      await profiles.delete('kafka', id);
      return {};
    },
    'kafka:topics': async ({ profileId }) => ({ topics: await kafka.topics(profileId) }),
    'kafka:groups': async ({ profileId }) => ({ groups: await kafka.groups(profileId) }),
    'kafka:lag': async ({ profileId, groupId, topic, seconds }) =>
      seconds ? kafka.lagWithSeconds(profileId, groupId, topic) : kafka.lag(profileId, groupId, topic),
    'kafka:browse': async ({ profileId, ...request }) => kafka.browse(profileId, request),
    'kafka:topic': async ({ profileId, topic }) => topicDetails(await kafka.admin(profileId), topic),
    'kafka:createTopic': async ({ profileId, topic, partitions }) =>
      createTopic(await kafka.admin(profileId), topic, partitions),
    'kafka:resetOffsets': async ({ profileId, groupId, topic, target }) =>
      resetOffsets(await kafka.admin(profileId), groupId, topic, target),
    'kafka:produceTest': async ({ profileId, ...request }) =>
      produceTest(await kafka.admin(profileId), await kafka.producer(profileId), request),
    'kafka:watchLag': (params, sink) =>
      kafka.watchLag(
        params,
        (event) => sink.emit(event),
        (error) => sink.end(error),
      ),

    'live:pods': ({ context, namespace, service, sampleMs, capacity }, sink) =>
      podSeries.subscribe(
        JSON.stringify([context, namespace, service ?? null, sampleMs, capacity]),
        (emit) =>
          new PodSeries({
            config: clusters.clientsFor(context).config,
            namespace,
            service,
            sampleMs,
            capacity,
            fcInstances: (name) => fc.instanceCount(namespace, name),
            emit,
          }),
        (event) => sink.emit(event),
      ),
    'barrage:send': (params, sink) =>
      withGateway(params.context, sink.signal, (gateway) => {
        const run = startSender({ ...params, gateway }, (event) => sink.emit(event));
        sink.signal.addEventListener('abort', () => run.stop());
        void run.finished.then(() => sink.end());
        return () => run.stop();
      }),
    'barrage:view': ({ url, bufferSize, context }, sink) =>
      withGateway(context, sink.signal, (gateway) => {
        const viewer = new BarrageViewer({
          url,
          bufferSize,
          gateway,
          emit: (event) => sink.emit(event),
          congested: () => sink.congested(),
        }).start();
        return () => viewer.stop();
      }),

    'playground:status': async () => playground.status(),
    'playground:start': ({ kafka }, sink) => finiteStream(sink, (emit) => playground.start(kafka, emit)),
    'playground:stop': (_params, sink) => finiteStream(sink, (emit) => playground.stop(emit)),
  };

  return {
    handlers,
    dispose: async () => {
      podSeries.dispose();
      await kafka.dispose();
    },
  };
}
