// Kafka per profile through kafkajs' admin client (brokers, TLS, SASL from the profile; the password from the
// SecretStore). One admin connection per profile, reused by every lag sample; reconnected when the profile changes.
import { Kafka, logLevel } from 'kafkajs';
import type { Admin, SASLOptions } from 'kafkajs';
import type { LagSample, LagSnapshot, LagWatchEvent } from '../../common/schemas/kafka';
import type { KafkaConnection, ProfileStore } from '../config/profile-store';
import { RingBuffer } from '../live/ring-buffer';
import { catchUpSeconds, computeLag, lagTrend, ratesBetween } from './lag';

interface CachedAdmin {
  fingerprint: string;
  admin: Admin;
  connected: Promise<void>;
}

function saslOf(connection: KafkaConnection): SASLOptions | undefined {
  if (!connection.sasl) return undefined;
  const password = connection.password ?? '';
  const username = connection.sasl.username;
  switch (connection.sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

export class KafkaService {
  private readonly admins = new Map<string, CachedAdmin>();

  constructor(private readonly profiles: ProfileStore) {}

  /** The admin client of a profile, connected. */
  async admin(profileId: string): Promise<Admin> {
    const connection = await this.profiles.kafkaConnection(profileId);
    // The fingerprint includes the password's presence/length only: a changed profile reconnects.
    const fingerprint = JSON.stringify([
      connection.brokers,
      connection.ssl,
      connection.sasl,
      connection.password?.length,
    ]);
    const cached = this.admins.get(profileId);
    if (cached && cached.fingerprint === fingerprint) {
      await cached.connected;
      return cached.admin;
    }
    if (cached) void cached.admin.disconnect().catch(() => {});
    const kafka = new Kafka({
      clientId: 'knative-desk',
      brokers: connection.brokers,
      ssl: connection.ssl,
      sasl: saslOf(connection),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 5000,
      requestTimeout: 10_000,
      retry: { retries: 2, initialRetryTime: 200 },
    });
    const admin = kafka.admin();
    const entry: CachedAdmin = { fingerprint, admin, connected: admin.connect() };
    this.admins.set(profileId, entry);
    try {
      await entry.connected;
    } catch (error) {
      this.admins.delete(profileId);
      throw error;
    }
    return admin;
  }

  async topics(profileId: string) {
    const admin = await this.admin(profileId);
    const metadata = await admin.fetchTopicMetadata();
    return metadata.topics
      .filter((topic) => !topic.name.startsWith('__'))
      .map((topic) => ({ name: topic.name, partitions: topic.partitions.length }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async groups(profileId: string) {
    const admin = await this.admin(profileId);
    const { groups } = await admin.listGroups();
    return groups
      .map((group) => ({ groupId: group.groupId, protocolType: group.protocolType || null }))
      .sort((a, b) => a.groupId.localeCompare(b.groupId));
  }

  /** One lag sample: two admin requests (topic offsets, group offsets), however many partitions. */
  async lag(profileId: string, groupId: string, topic: string): Promise<LagSnapshot> {
    const admin = await this.admin(profileId);
    const [offsets, committed] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const partitions = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
    return computeLag(groupId, topic, offsets, partitions, Date.now());
  }

  /**
   * Samples lag every `intervalMs` into a ring buffer covering `windowSeconds`; emits the retained window first,
   * then each new sample with the trend over the window. Returns the stop function. Sampling never overlaps: a slow
   * broker delays the next sample instead of piling up requests.
   */
  watchLag(
    params: { profileId: string; groupId: string; topic: string; intervalMs: number; windowSeconds: number },
    emit: (event: LagWatchEvent) => void,
    fail: (error: unknown) => void,
  ): () => void {
    const capacity = Math.max(3, Math.ceil((params.windowSeconds * 1000) / params.intervalMs));
    const window = new RingBuffer<LagSample>(capacity);
    let previous: LagSnapshot | undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const tick = async () => {
      if (stopped) return;
      try {
        const snapshot = await this.lag(params.profileId, params.groupId, params.topic);
        if (stopped) return;
        failures = 0;
        const sample = ratesBetween(previous, snapshot);
        previous = snapshot;
        window.push(sample);
        const samples = window.toArray();
        emit({
          samples: [sample],
          latest: snapshot,
          trend: lagTrend(samples),
          catchUpSeconds: catchUpSeconds(sample),
        });
      } catch (error) {
        // A broker blip should not end the chart; a broker that stays away does.
        if (++failures >= 5) {
          stopped = true;
          fail(error);
          return;
        }
      }
      timer = setTimeout(() => void tick(), params.intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.admins.values()].map((entry) => entry.admin.disconnect().catch(() => {})));
    this.admins.clear();
  }
}
