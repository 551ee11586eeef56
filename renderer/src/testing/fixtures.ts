// Contract-shaped data for component specs: each builder returns a value its schema accepts (the fake engine parses
// everything again), with the fields a spec cares about overridable.
import type { TemplateInfo } from '../../../electron/common/schemas/deploy';
import {
  manageActions,
  type AccessResponse,
  type ManageAction,
} from '../../../electron/common/schemas/manage';
import type { KafkaSourceInfo, WorkloadRow } from '../../../electron/common/schemas/workloads';

export function workloadRow(overrides: Partial<WorkloadRow> = {}): WorkloadRow {
  const name = overrides.name ?? 'barrage-processing';
  return {
    uid: `uid-${name}`,
    name,
    namespace: 'demo',
    kind: 'ECI',
    url: `http://${name}.demo.svc.cluster.local`,
    ready: 'True',
    reason: null,
    message: null,
    latestCreatedRevision: `${name}-00001`,
    latestReadyRevision: `${name}-00001`,
    traffic: [{ revisionName: `${name}-00001`, latestRevision: true, percent: 100, tag: null, url: null }],
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    generation: 1,
    observedGeneration: 1,
    ...overrides,
  };
}

export function kafkaSourceInfo(overrides: Partial<KafkaSourceInfo> = {}): KafkaSourceInfo {
  return {
    name: 'barrage-source',
    namespace: 'demo',
    topics: ['barrage-info.demo'],
    bootstrapServers: ['127.0.0.1:9092'],
    consumerGroup: 'barrage-processing.demo',
    initialOffset: 'latest',
    sink: 'Service/barrage-processing',
    ready: 'True',
    reason: null,
    ...overrides,
  };
}

/** A template as deploy:templates lists it: one required text field and one bounded whole number. */
export function templateInfo(id: string, title: string, kind: TemplateInfo['kind'] = 'ECI'): TemplateInfo {
  return {
    id,
    title,
    description: `${title} of the barrage demo`,
    kind,
    parameters: [
      {
        name: `${id}Name`,
        label: 'Service name',
        description: null,
        type: 'string',
        required: true,
        default: id,
        options: null,
        min: null,
        max: null,
      },
      {
        name: `${id}MaxScale`,
        label: 'Max scale',
        description: null,
        type: 'integer',
        required: false,
        default: 10,
        options: null,
        min: 1,
        max: 100,
      },
    ],
  };
}

/** manage:access with every action allowed, except those named in `denied` (with the API server's reason). */
export function access(denied: Partial<Record<ManageAction, string>> = {}): AccessResponse {
  return {
    actions: Object.fromEntries(
      manageActions.map((action) => [
        action,
        denied[action] ? { allowed: false, reason: denied[action] } : { allowed: true, reason: '' },
      ]),
    ) as AccessResponse['actions'],
  };
}
