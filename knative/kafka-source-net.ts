// A KafkaSource's spec.net → how a Kafka client connects, as eventing-kafka-broker v0.49 reads it (control-plane
// `security.NetSpecSecretProviderFunc` + `kafka.GetSecurityProtocol`): SASL on and TLS on = SASL_SSL, SASL alone =
// SASL_PLAINTEXT, TLS alone = SSL, neither = PLAINTEXT; the SASL mechanism is the value of `sasl.type`'s Secret key
// (PLAIN when there is none); user, password, CA, client cert and key are Secret keys of the source's namespace.
// Shared by the console's broker check (electron/backend/eventing) and the playground's dispatcher, so both connect
// as the source will. Part of the vocabulary module: imports nothing; the caller reads the Secrets.

export interface SecretKeyRef {
  name: string;
  key: string;
}

/** The client settings, in the shape kafkajs takes (`ssl`, `sasl`). */
export interface KafkaClientSecurity {
  protocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
  ssl: boolean | { ca?: string[]; cert?: string; key?: string };
  sasl?: {
    mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    username: string;
    password: string;
  };
  /** `Secret/key` of the SASL user, for messages ("the broker refused the user from …"). */
  saslUserFrom?: string;
}

export type SecurityResult = { ok: true; security: KafkaClientSecurity } | { ok: false; problem: string };

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

function refOf(value: unknown): SecretKeyRef | undefined {
  const ref = record(record(value).secretKeyRef);
  return typeof ref.name === 'string' && typeof ref.key === 'string'
    ? { name: ref.name, key: ref.key }
    : undefined;
}

/** Every Secret key spec.net names (the caller reads these, then calls {@link kafkaClientSecurity}). */
export function netSecretRefs(net: unknown): SecretKeyRef[] {
  const sasl = record(record(net).sasl);
  const tls = record(record(net).tls);
  const refs = [
    ...(sasl.enable === true ? [sasl.type, sasl.user, sasl.password] : []),
    ...(tls.enable === true ? [tls.caCert, tls.cert, tls.key] : []),
  ];
  return refs.map(refOf).filter((ref): ref is SecretKeyRef => ref !== undefined);
}

const mechanisms = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
} as const;

/**
 * `valueOf` answers a Secret key's value, or a string explaining why there is none (`{ missing: … }`).
 * A missing Secret or key, an unknown mechanism or SASL without user/password is a problem in words, not a throw.
 */
export function kafkaClientSecurity(
  net: unknown,
  valueOf: (ref: SecretKeyRef) => string | { missing: string },
): SecurityResult {
  const sasl = record(record(net).sasl);
  const tls = record(record(net).tls);
  const saslOn = sasl.enable === true;
  const tlsOn = tls.enable === true;
  const read = (value: unknown, what: string): string | undefined | { problem: string } => {
    const ref = refOf(value);
    if (!ref) return undefined;
    const got = valueOf(ref);
    return typeof got === 'string' ? got : { problem: `${what}: ${got.missing}` };
  };
  const problems: string[] = [];
  const take = (value: unknown, what: string): string | undefined => {
    const got = read(value, what);
    if (typeof got === 'object') {
      problems.push(got.problem);
      return undefined;
    }
    return got;
  };

  let ssl: KafkaClientSecurity['ssl'] = false;
  if (tlsOn) {
    const ca = take(tls.caCert, 'spec.net.tls.caCert');
    const cert = take(tls.cert, 'spec.net.tls.cert');
    const key = take(tls.key, 'spec.net.tls.key');
    ssl =
      ca || cert || key
        ? { ...(ca ? { ca: [ca] } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) }
        : true;
  }
  let saslOptions: KafkaClientSecurity['sasl'];
  if (saslOn) {
    const type = (take(sasl.type, 'spec.net.sasl.type') ?? 'PLAIN').trim().toUpperCase();
    const username = take(sasl.user, 'spec.net.sasl.user');
    const password = take(sasl.password, 'spec.net.sasl.password');
    const mechanism = mechanisms[type as keyof typeof mechanisms];
    if (!mechanism)
      problems.push(
        `spec.net.sasl.type: unsupported SASL mechanism "${type}" (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)`,
      );
    if (!refOf(sasl.user)) problems.push('spec.net.sasl.user: SASL is enabled but no user Secret key is set');
    if (!refOf(sasl.password))
      problems.push('spec.net.sasl.password: SASL is enabled but no password Secret key is set');
    if (mechanism && username !== undefined && password !== undefined) {
      saslOptions = { mechanism, username, password };
    }
  }
  if (problems.length > 0) return { ok: false, problem: problems.join('; ') };
  const user = refOf(sasl.user);
  return {
    ok: true,
    security: {
      protocol: saslOn ? (tlsOn ? 'SASL_SSL' : 'SASL_PLAINTEXT') : tlsOn ? 'SSL' : 'PLAINTEXT',
      ssl,
      ...(saslOptions ? { sasl: saslOptions } : {}),
      ...(saslOn && user ? { saslUserFrom: `${user.name}/${user.key}` } : {}),
    },
  };
}

/** kafkajs' SASL refusals, said plainly (the raw message stays after it). */
export function isSaslAuthenticationError(error: unknown): boolean {
  const named = error as { name?: unknown; message?: unknown } | null;
  return (
    typeof named?.name === 'string' &&
    (named.name === 'KafkaJSSASLAuthenticationError' ||
      /SASL .*authentication failed/i.test(String(named.message ?? '')))
  );
}
