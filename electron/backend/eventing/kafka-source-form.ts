// The KafkaSource form ⇄ the object, pure. Written as eventing-kafka-broker's KafkaSource (sources.knative.dev/v1)
// spells it: spec.net.sasl.{enable,type,user,password} and spec.net.tls.{enable,caCert,cert,key} as secretKeyRefs,
// spec.delivery as Knative's DeliverySpec, the sink as a Destination (a Knative Service ref or a URI). An edit is
// applied onto the live object so what the form does not show (labels, annotations, other spec keys) is kept.
import type { KafkaSourceForm, SecretKey, SinkChoice } from '../../common/schemas/kafka-source';
import { sourcesApiVersion, servingApiVersion } from '../../../knative/resources';
import type { KubeObject } from '../workloads/kube-object';
import { arrayOf, intOrNull, recordOf, stringOrNull } from '../workloads/kube-object';

type Spec = Record<string, unknown>;

const secretKeyRef = (ref: SecretKey | null) =>
  ref ? { secretKeyRef: { name: ref.name, key: ref.key } } : undefined;

function secretKeyOf(value: unknown): SecretKey | null {
  const ref = recordOf(recordOf(value).secretKeyRef);
  return typeof ref.name === 'string' && typeof ref.key === 'string'
    ? { name: ref.name, key: ref.key }
    : null;
}

export function destinationOf(sink: SinkChoice): Spec {
  return sink.kind === 'service'
    ? { ref: { apiVersion: servingApiVersion, kind: 'Service', name: sink.name } }
    : { uri: sink.uri };
}

function sinkOf(value: unknown): SinkChoice | null {
  const destination = recordOf(value);
  const ref = recordOf(destination.ref);
  if (ref.kind === 'Service' && typeof ref.name === 'string') return { kind: 'service', name: ref.name };
  return typeof destination.uri === 'string' ? { kind: 'uri', uri: destination.uri } : null;
}

/** Drops undefined values so the object reads as a person would write it. */
function compact(record: Spec): Spec {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

function netOf(form: KafkaSourceForm): Spec | undefined {
  const { sasl, tls } = form;
  if (!sasl.enabled && !tls.enabled) return undefined;
  return compact({
    sasl: sasl.enabled
      ? compact({
          enable: true,
          type: secretKeyRef(sasl.typeSecret),
          user: secretKeyRef(sasl.user),
          password: secretKeyRef(sasl.password),
        })
      : undefined,
    tls: tls.enabled
      ? compact({
          enable: true,
          caCert: secretKeyRef(tls.caCert),
          cert: secretKeyRef(tls.cert),
          key: secretKeyRef(tls.key),
        })
      : undefined,
  });
}

function deliveryOf(form: KafkaSourceForm): Spec | undefined {
  const { retry, backoffPolicy, backoffDelay, deadLetterSink } = form.delivery;
  const delivery = compact({
    retry: retry ?? undefined,
    backoffPolicy: backoffPolicy || undefined,
    backoffDelay: backoffDelay || undefined,
    deadLetterSink: deadLetterSink ? destinationOf(deadLetterSink) : undefined,
  });
  return Object.keys(delivery).length > 0 ? delivery : undefined;
}

/** Spec keys the form owns; on edit, every other key of the live spec is kept as it is. */
const formSpecKeys = [
  'bootstrapServers',
  'topics',
  'consumerGroup',
  'initialOffset',
  'ordering',
  'consumers',
  'sink',
  'delivery',
  'net',
] as const;

export function formToSource(form: KafkaSourceForm, live?: KubeObject): KubeObject {
  const base = live ? structuredClone(live) : undefined;
  const kept: Spec = { ...recordOf(base?.spec) };
  for (const key of formSpecKeys) delete kept[key];
  // The live delivery may carry fields the form does not edit (timeout, retryAfterMax): keep them.
  const liveDelivery = { ...recordOf(recordOf(base?.spec).delivery) };
  for (const key of ['retry', 'backoffPolicy', 'backoffDelay', 'deadLetterSink']) delete liveDelivery[key];
  const delivery = { ...liveDelivery, ...deliveryOf(form) };
  const spec = compact({
    ...kept,
    bootstrapServers: form.bootstrapServers,
    topics: form.topics,
    consumerGroup: form.consumerGroup || undefined,
    initialOffset: form.initialOffset,
    ordering: form.ordering,
    consumers: form.consumers,
    net: netOf(form),
    delivery: Object.keys(delivery).length > 0 ? delivery : undefined,
    sink: destinationOf(form.sink),
  });
  const metadata = base?.metadata ?? {};
  delete metadata.managedFields;
  delete base?.status;
  return {
    ...base,
    apiVersion: sourcesApiVersion,
    kind: 'KafkaSource',
    metadata: { ...metadata, name: form.name, namespace: form.namespace },
    spec,
  };
}

const strings = (value: unknown) => arrayOf(value).filter((item): item is string => typeof item === 'string');

export function sourceToForm(source: KubeObject): { form: KafkaSourceForm; notInForm: string[] } {
  const spec = recordOf(source.spec);
  const delivery = recordOf(spec.delivery);
  const net = recordOf(spec.net);
  const sasl = recordOf(net.sasl);
  const tls = recordOf(net.tls);
  const policy = stringOrNull(delivery.backoffPolicy);
  const form: KafkaSourceForm = {
    name: source.metadata?.name ?? '',
    namespace: source.metadata?.namespace ?? '',
    bootstrapServers: strings(spec.bootstrapServers),
    topics: strings(spec.topics),
    newTopics: [],
    consumerGroup: stringOrNull(spec.consumerGroup) ?? '',
    initialOffset: spec.initialOffset === 'earliest' ? 'earliest' : 'latest',
    ordering: spec.ordering === 'unordered' ? 'unordered' : 'ordered',
    consumers: intOrNull(spec.consumers) ?? 1,
    sink: sinkOf(spec.sink) ?? { kind: 'uri', uri: '' },
    delivery: {
      retry: intOrNull(delivery.retry),
      backoffPolicy: policy === 'linear' || policy === 'exponential' ? policy : '',
      backoffDelay: stringOrNull(delivery.backoffDelay) ?? '',
      deadLetterSink: sinkOf(delivery.deadLetterSink),
    },
    sasl: {
      enabled: sasl.enable === true,
      typeSecret: secretKeyOf(sasl.type),
      user: secretKeyOf(sasl.user),
      password: secretKeyOf(sasl.password),
    },
    tls: {
      enabled: tls.enable === true,
      caCert: secretKeyOf(tls.caCert),
      cert: secretKeyOf(tls.cert),
      key: secretKeyOf(tls.key),
    },
    skipBrokerCheck: false,
  };
  const notInForm = [
    ...Object.keys(spec)
      .filter((key) => !(formSpecKeys as readonly string[]).includes(key))
      .map((key) => `spec.${key}`),
    ...Object.keys(delivery)
      .filter((key) => !['retry', 'backoffPolicy', 'backoffDelay', 'deadLetterSink'].includes(key))
      .map((key) => `spec.delivery.${key}`),
  ];
  return { form, notInForm };
}

/** A server's or webhook's field path → the form field it belongs to. */
export function sourceFieldOf(text: string): string | null {
  const rules: [RegExp, string][] = [
    [/bootstrapServers/i, 'bootstrapServers'],
    [/topics?\b/i, 'topics'],
    [/consumerGroup/i, 'consumerGroup'],
    [/initialOffset/i, 'initialOffset'],
    [/ordering/i, 'ordering'],
    [/consumers/i, 'consumers'],
    [/deadLetterSink/i, 'delivery.deadLetterSink'],
    [/backoffDelay/i, 'delivery.backoffDelay'],
    [/backoffPolicy/i, 'delivery.backoffPolicy'],
    [/delivery\.retry|\bretry\b/i, 'delivery.retry'],
    [/net\.sasl|sasl/i, 'sasl'],
    [/net\.tls|\btls\b/i, 'tls'],
    [/\bsink\b/i, 'sink'],
    [/metadata\.name|\bname\b/i, 'name'],
  ];
  const tail = text.slice(text.lastIndexOf(': ') + 2);
  for (const candidate of [tail, text]) {
    for (const [pattern, field] of rules) if (pattern.test(candidate)) return field;
  }
  return null;
}
