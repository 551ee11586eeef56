// Deploy defaults from the Kafka and FC profiles the user picked on the Deploy screen. Pure: the caller resolves
// the profiles (with their stored secrets) and decides where the values go.
//
// - A Kafka profile gives the brokers, TLS, the SASL user and mechanism, and its stored password.
// - An FC profile is an Alibaba Cloud account: its AccessKey (id + secret) is the default AccessKey of the
//   Tablestore result store, and its region gives the Tablestore endpoint of the default instance. FC itself needs
//   nothing in the rendered objects (on ASK the cluster's FC integration holds the credentials), so these are the
//   FC profile's only template defaults; they matter when the store is Tablestore, the default off the playground.
//
// The values are split in two: `shown` may go to the UI as form defaults; `secret` never leaves the engine. It is
// merged under the user's parameters only when rendering, so it lands in the Secrets the templates render (which
// every preview and diff masks) and the workloads reference it with secretKeyRef.
import type { TemplateParametersInput } from '../../../workloads/templates/index';

export interface KafkaProfileValues {
  readonly name: string;
  readonly brokers: readonly string[];
  readonly ssl: boolean;
  readonly sasl: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
  } | null;
  readonly password: string | undefined;
}

export interface FcProfileValues {
  readonly name: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

export interface ProfilesInUse {
  readonly kafka?: KafkaProfileValues;
  readonly fc?: FcProfileValues;
}

type Values = Record<string, string | number | boolean>;

export interface ProfileDefaults {
  /** Non-secret defaults the form may show. */
  readonly shown: Values;
  /** Secret defaults: used only when rendering, never sent to the UI. */
  readonly secret: Values;
  /** Secret parameter → the profile it comes from, so the form can say why an empty secret field is fine. */
  readonly secretSources: Readonly<Record<string, string>>;
}

const mechanisms = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
} as const satisfies Record<string, NonNullable<TemplateParametersInput['kafkaSaslMechanism']>>;

/** Tablestore's public endpoint of an instance in a region (https://<instance>.<region>.ots.aliyuncs.com). */
export function tablestoreEndpoint(instance: string, region: string): string {
  return `https://${instance}.${region}.ots.aliyuncs.com`;
}

/** The template's default Tablestore instance; the endpoint default is built for it. */
const defaultOtsInstance = 'barrage';

export function profileDefaults(profiles: ProfilesInUse): ProfileDefaults {
  const shown: Values = {};
  const secret: Values = {};
  const secretSources: Record<string, string> = {};
  const { kafka, fc } = profiles;
  if (kafka) {
    shown.kafkaServers = kafka.brokers.map((broker) => broker.trim()).join(',');
    shown.kafkaTls = kafka.ssl;
    // No SASL on the profile: an explicit empty user, so a playground default never adds one.
    shown.kafkaUser = kafka.sasl?.username ?? '';
    if (kafka.sasl) {
      shown.kafkaSaslMechanism = mechanisms[kafka.sasl.mechanism];
      if (kafka.password) {
        secret.kafkaPassword = kafka.password;
        secretSources.kafkaPassword = `Kafka profile “${kafka.name}”`;
      }
    }
  }
  if (fc) {
    shown.otsKeyId = fc.accessKeyId;
    shown.otsEndpoint = tablestoreEndpoint(defaultOtsInstance, fc.region);
    secret.otsSecret = fc.accessKeySecret;
    secretSources.otsSecret = `FC profile “${fc.name}”`;
  }
  return { shown, secret, secretSources };
}

/**
 * What a render uses: the profiles' values (secrets included) under the user's own. A secret field the user left
 * empty is left out of the request by the form, so the profile's secret applies; one the user typed wins.
 */
export function withProfileValues(parameters: Values, defaults: ProfileDefaults): Values {
  return { ...defaults.shown, ...defaults.secret, ...parameters };
}
