import { describe, expect, it } from 'vitest';
import { kafkaClientSecurity, netSecretRefs } from './kafka-source-net';

const ref = (name: string, key: string) => ({ secretKeyRef: { name, key } });
const values: Record<string, string> = {
  's/user': 'alice',
  's/password': 'pw',
  's/type': 'SCRAM-SHA-512',
  's/ca': 'PEM',
};
const valueOf = ({ name, key }: { name: string; key: string }) =>
  values[`${name}/${key}`] ?? { missing: `Secret ${name} has no key "${key}"` };

describe('kafkaClientSecurity', () => {
  it('is PLAINTEXT without spec.net', () => {
    expect(kafkaClientSecurity(undefined, valueOf)).toEqual({
      ok: true,
      security: { protocol: 'PLAINTEXT', ssl: false },
    });
    expect(netSecretRefs(undefined)).toEqual([]);
  });

  it('reads SASL from Secret keys, PLAIN when no type is named', () => {
    const net = { sasl: { enable: true, user: ref('s', 'user'), password: ref('s', 'password') } };
    expect(kafkaClientSecurity(net, valueOf)).toEqual({
      ok: true,
      security: {
        protocol: 'SASL_PLAINTEXT',
        ssl: false,
        sasl: { mechanism: 'plain', username: 'alice', password: 'pw' },
        saslUserFrom: 's/user',
      },
    });
  });

  it('is SASL_SSL with the mechanism and CA from Secrets', () => {
    const net = {
      sasl: { enable: true, type: ref('s', 'type'), user: ref('s', 'user'), password: ref('s', 'password') },
      tls: { enable: true, caCert: ref('s', 'ca') },
    };
    const result = kafkaClientSecurity(net, valueOf);
    expect(result).toMatchObject({
      ok: true,
      security: { protocol: 'SASL_SSL', ssl: { ca: ['PEM'] }, sasl: { mechanism: 'scram-sha-512' } },
    });
    expect(netSecretRefs(net).map((r) => r.key)).toEqual(['type', 'user', 'password', 'ca']);
  });

  it('says what is missing or unsupported instead of connecting', () => {
    const net = {
      sasl: { enable: true, type: ref('s', 'user'), user: ref('s', 'user'), password: ref('s', 'nope') },
    };
    const result = kafkaClientSecurity(net, valueOf);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toBe(
      'spec.net.sasl.password: Secret s has no key "nope"; spec.net.sasl.type: unsupported SASL mechanism "ALICE" (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)',
    );
    expect(kafkaClientSecurity({ sasl: { enable: true } }, valueOf)).toEqual({
      ok: false,
      problem:
        'spec.net.sasl.user: SASL is enabled but no user Secret key is set; spec.net.sasl.password: SASL is enabled but no password Secret key is set',
    });
  });

  it('ignores a disabled SASL block', () => {
    expect(kafkaClientSecurity({ sasl: { enable: false, user: ref('x', 'y') } }, valueOf)).toMatchObject({
      ok: true,
      security: { protocol: 'PLAINTEXT' },
    });
  });
});
