// FC and Kafka profiles the user saved (without secrets: those go to the SecretStore under `fc:<id>` and
// `kafka:<id>`), plus the profiles a running playground offers, which are read live and cannot be edited.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { fcProfile } from '../../common/schemas/fc';
import { kafkaProfile } from '../../common/schemas/kafka';
import { EngineError } from '../errors';
import type { SecretStore } from '../secrets/secret-store';
import { readJsonFile, writeJsonFile } from './json-file';

// What is stored is the contract's profile without what the engine works out when it answers.
const storedFc = fcProfile.omit({ hasSecret: true, origin: true });
const storedKafka = kafkaProfile.omit({ hasPassword: true, origin: true });
const profilesFile = z.object({ fc: z.array(storedFc), kafka: z.array(storedKafka) });

export type StoredFcProfile = z.infer<typeof storedFc>;
export type StoredKafkaProfile = z.infer<typeof storedKafka>;

/** A profile with what it needs to connect (the secret resolved), for engine use only. */
export interface FcConnection extends StoredFcProfile {
  accessKeySecret: string;
}
export interface KafkaConnection extends StoredKafkaProfile {
  password: string | undefined;
}

export interface PlaygroundProfiles {
  fc?: FcConnection;
  kafka?: KafkaConnection;
}

/**
 * What an FC secret is bound to: sent to another account, region, endpoint or key id, a stored secret would go
 * somewhere the user never typed it for. Changing any of these needs the secret again.
 */
function fcTarget(
  profile: Pick<StoredFcProfile, 'accountId' | 'region' | 'endpoint' | 'accessKeyId'>,
): string {
  return JSON.stringify([profile.accountId, profile.region, profile.endpoint ?? null, profile.accessKeyId]);
}

/** The same for a Kafka SASL password: the broker set (in any order), TLS, mechanism and user. */
function kafkaTarget(profile: Pick<StoredKafkaProfile, 'brokers' | 'ssl' | 'sasl'>): string {
  const brokers = [...profile.brokers].map((broker) => broker.trim().toLowerCase()).sort();
  return JSON.stringify([
    brokers,
    profile.ssl,
    profile.sasl?.mechanism ?? null,
    profile.sasl?.username ?? null,
  ]);
}

function secretAgain(field: string, what: string): EngineError {
  return new EngineError(
    'invalid-request',
    `The profile now points somewhere else: enter the ${what} again (a stored secret never follows a new host).`,
    {
      causes: [
        {
          field,
          message: `Enter it again for the new ${field === 'accessKeySecret' ? 'endpoint' : 'brokers'}`,
        },
      ],
    },
  );
}

export class ProfileStore {
  private readonly path: string;

  constructor(
    configDir: string,
    private readonly secrets: SecretStore,
    private readonly playground: () => PlaygroundProfiles,
  ) {
    this.path = join(configDir, 'profiles.json');
  }

  private read(): z.infer<typeof profilesFile> {
    return readJsonFile(this.path, { fc: [], kafka: [] }, (value) => profilesFile.parse(value));
  }

  private write(file: z.infer<typeof profilesFile>): void {
    writeJsonFile(this.path, file, 0o600);
  }

  /** The user's profiles of a kind, each with `flag` telling whether its secret (AccessKey secret, SASL password) is stored. */
  private userProfiles<P extends { id: string }, F extends string>(
    kind: 'fc' | 'kafka',
    profiles: P[],
    flag: F,
  ) {
    type Listed = P & Record<F, boolean> & { origin: 'user' };
    return Promise.all(
      profiles.map(
        async (profile) =>
          ({ ...profile, [flag]: await this.secrets.has(`${kind}:${profile.id}`), origin: 'user' }) as Listed,
      ),
    );
  }

  async fcProfiles() {
    const playground = this.playground().fc;
    const user = await this.userProfiles('fc', this.read().fc, 'hasSecret');
    const { accessKeySecret: _secret, ...shown } = playground ?? ({} as FcConnection);
    return [...(playground ? [{ ...shown, hasSecret: true, origin: 'playground' as const }] : []), ...user];
  }

  async kafkaProfiles() {
    const playground = this.playground().kafka;
    const user = await this.userProfiles('kafka', this.read().kafka, 'hasPassword');
    const { password: _password, ...shown } = playground ?? ({} as KafkaConnection);
    return [
      ...(playground ? [{ ...shown, hasPassword: false, origin: 'playground' as const }] : []),
      ...user,
    ];
  }

  private refuseReadOnly(id: string | undefined): void {
    const playground = this.playground();
    if (id && (id === playground.fc?.id || id === playground.kafka?.id)) {
      throw new EngineError(
        'precondition',
        'Playground profiles come from the running playground and cannot be changed.',
      );
    }
  }

  async saveFc(
    input: Omit<StoredFcProfile, 'id' | 'endpoint'> & {
      id?: string;
      endpoint?: string;
      accessKeySecret?: string;
    },
  ) {
    this.refuseReadOnly(input.id);
    const file = this.read();
    const id = input.id ?? `fc-${randomUUID()}`;
    const index = file.fc.findIndex((profile) => profile.id === id);
    if (input.id && index < 0) throw new EngineError('not-found', `No FC profile ${input.id}.`);
    if (index < 0 && !input.accessKeySecret) {
      throw new EngineError('invalid-request', 'A new FC profile needs its AccessKey secret.', {
        causes: [{ field: 'accessKeySecret', message: 'Required for a new profile' }],
      });
    }
    const profile: StoredFcProfile = {
      id,
      name: input.name,
      accountId: input.accountId,
      region: input.region,
      endpoint: input.endpoint ?? null,
      accessKeyId: input.accessKeyId,
    };
    const previous = index >= 0 ? file.fc[index] : undefined;
    if (previous && !input.accessKeySecret && fcTarget(previous) !== fcTarget(profile)) {
      throw secretAgain('accessKeySecret', 'AccessKey secret');
    }
    if (input.accessKeySecret) await this.secrets.set(`fc:${id}`, input.accessKeySecret);
    if (index < 0) file.fc.push(profile);
    else file.fc[index] = profile;
    this.write(file);
    return { ...profile, hasSecret: await this.secrets.has(`fc:${id}`), origin: 'user' as const };
  }

  async saveKafka(
    input: Omit<StoredKafkaProfile, 'id' | 'sasl'> & {
      id?: string;
      sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password?: string };
    },
  ) {
    this.refuseReadOnly(input.id);
    const file = this.read();
    const id = input.id ?? `kafka-${randomUUID()}`;
    const index = file.kafka.findIndex((profile) => profile.id === id);
    if (input.id && index < 0) throw new EngineError('not-found', `No Kafka profile ${input.id}.`);
    const profile: StoredKafkaProfile = {
      id,
      name: input.name,
      brokers: input.brokers,
      ssl: input.ssl,
      sasl: input.sasl ? { mechanism: input.sasl.mechanism, username: input.sasl.username } : null,
    };
    const previous = index >= 0 ? file.kafka[index] : undefined;
    if (
      previous?.sasl &&
      profile.sasl &&
      !input.sasl?.password &&
      kafkaTarget(previous) !== kafkaTarget(profile)
    ) {
      throw secretAgain('password', 'SASL password');
    }
    if (input.sasl?.password) await this.secrets.set(`kafka:${id}`, input.sasl.password);
    if (!input.sasl) await this.secrets.delete(`kafka:${id}`);
    if (index < 0) file.kafka.push(profile);
    else file.kafka[index] = profile;
    this.write(file);
    return { ...profile, hasPassword: await this.secrets.has(`kafka:${id}`), origin: 'user' as const };
  }

  async delete(kind: 'fc' | 'kafka', id: string): Promise<void> {
    this.refuseReadOnly(id);
    const file = this.read();
    const before = file[kind].length;
    file.fc = kind === 'fc' ? file.fc.filter((p) => p.id !== id) : file.fc;
    file.kafka = kind === 'kafka' ? file.kafka.filter((p) => p.id !== id) : file.kafka;
    if (file[kind].length === before)
      throw new EngineError('not-found', `No ${kind === 'fc' ? 'FC' : 'Kafka'} profile ${id}.`);
    this.write(file);
    await this.secrets.delete(`${kind}:${id}`);
  }

  async fcConnection(id: string): Promise<FcConnection> {
    const playground = this.playground().fc;
    if (playground && playground.id === id) return playground;
    const profile = this.read().fc.find((p) => p.id === id);
    if (!profile) throw new EngineError('not-found', `No FC profile ${id}.`);
    const accessKeySecret = await this.secrets.get(`fc:${id}`);
    if (!accessKeySecret)
      throw new EngineError('precondition', `FC profile "${profile.name}" has no stored AccessKey secret.`);
    return { ...profile, accessKeySecret };
  }

  async kafkaConnection(id: string): Promise<KafkaConnection> {
    const playground = this.playground().kafka;
    if (playground && playground.id === id) return playground;
    const profile = this.read().kafka.find((p) => p.id === id);
    if (!profile) throw new EngineError('not-found', `No Kafka profile ${id}.`);
    return { ...profile, password: await this.secrets.get(`kafka:${id}`) };
  }

  /** The profile to link FC functions with when the UI did not name one: the playground's, else the first. */
  async defaultFcProfileId(): Promise<string | undefined> {
    return (await this.fcProfiles())[0]?.id;
  }
}
