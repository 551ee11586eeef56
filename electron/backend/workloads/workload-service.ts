// Knative Services as rows and details, and the rows watch. Reads go through the context's KubeConfig; a CRD that
// is not installed (no KafkaSource in a cluster without eventing-kafka) reads as an empty list, not an error.
import type { KubernetesObjectApi } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { z } from 'zod';
import type {
  WorkloadDetails,
  WorkloadRow,
  WorkloadsWatchEvent,
  fcLink,
  kafkaSourceInfo,
} from '../../common/schemas/workloads';
import type { ClusterService } from '../clusters/cluster-service';
import { EngineError } from '../errors';
import { listKindOrNone } from './list-kind';
import { ResilientWatch } from './resilient-watch';
import { apiVersionOf, resources } from '../../../knative/resources';
import type { ResourceType } from '../../../knative/resources';
import { labels } from '../../../knative/keys';
import { kafkaSourceRow, podAutoscalerRow, podRow, revisionRow, routeRow, serviceRow } from './rows';

/** Looks up the FC side of an FC-class Service (wired to the FC module by the engine). */
export type FcLinker = (namespace: string, name: string) => Promise<z.infer<typeof fcLink>>;

export class WorkloadService {
  constructor(
    private readonly clusters: ClusterService,
    private readonly fcLinker: FcLinker,
  ) {}

  private list(context: string, type: ResourceType, namespace?: string, labelSelector?: string) {
    const api: KubernetesObjectApi = this.clusters.clientsFor(context).objects;
    return listKindOrNone(api, apiVersionOf(type), type.kind, namespace, labelSelector);
  }

  async rows(context: string, namespace?: string): Promise<WorkloadRow[]> {
    return (await this.list(context, resources.service, namespace)).map(serviceRow);
  }

  async kafkaSources(context: string, namespace?: string): Promise<z.infer<typeof kafkaSourceInfo>[]> {
    return (await this.list(context, resources.kafkaSource, namespace)).map(kafkaSourceRow);
  }

  async details(context: string, namespace: string, name: string): Promise<WorkloadDetails> {
    const selector = `${labels.service}=${name}`;
    const services = await this.list(context, resources.service, namespace);
    const service = services.find((item) => item.metadata?.name === name);
    if (!service) {
      throw new EngineError('not-found', `No Knative Service "${name}" in namespace ${namespace}.`, {
        kind: 'Service',
        name,
        namespace,
      });
    }
    const row = serviceRow(service);
    const [revisions, pods, routes, autoscalers, sources] = await Promise.all([
      this.list(context, resources.revision, namespace, selector),
      this.list(context, resources.pod, namespace, selector),
      this.list(context, resources.route, namespace, selector),
      this.list(context, resources.podAutoscaler, namespace, selector),
      this.list(context, resources.kafkaSource, namespace),
    ]);
    const cleaned = structuredClone(service);
    if (cleaned.metadata) delete cleaned.metadata.managedFields;
    return {
      row,
      revisions: revisions
        .map((revision) => revisionRow(revision, row.traffic, row.latestReadyRevision))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
      pods: pods.map(podRow),
      routes: routes.map(routeRow),
      podAutoscalers: autoscalers.map(podAutoscalerRow),
      kafkaSources: sources
        .map(kafkaSourceRow)
        .filter(
          (source) => source.sink === `Service/${name}` || source.sink?.includes(`//${name}.${namespace}.`),
        ),
      fc: row.kind === 'FC' ? await this.fcLinker(namespace, name) : null,
      yaml: stringify(cleaned),
    };
  }

  /** Rows kept current; returns the stop function. */
  watch(
    context: string,
    namespace: string | undefined,
    emit: (event: WorkloadsWatchEvent) => void,
  ): () => void {
    const { config } = this.clusters.clientsFor(context);
    const watch = new ResilientWatch({
      config,
      type: resources.service,
      namespace,
      listener: {
        snapshot: (objects) => emit({ type: 'snapshot', rows: objects.map(serviceRow) }),
        upsert: (object) => emit({ type: 'upsert', row: serviceRow(object) }),
        remove: (object) =>
          emit({
            type: 'delete',
            namespace: object.metadata?.namespace ?? '',
            name: object.metadata?.name ?? '',
          }),
        status: (state, attempt, error) => emit({ type: 'status', state, attempt, error }),
      },
    }).start();
    return () => watch.stop();
  }
}
