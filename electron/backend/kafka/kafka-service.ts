// Kafka per profile through kafkajs' admin client (brokers, TLS, SASL from the profile; the password from the
// SecretStore). One admin connection and one partition reader per profile, reused by every lag sample; both are
// reconnected when the profile changes.
// Lag in seconds (the age of the oldest record not yet committed) costs one Fetch per partition leader for the
// lagging partitions, each capped at a few KiB (partition-reader.ts), on top of the two offset requests; the
// group is described only when a partition's offset did not move over the window (to tell STALL from STOP).
import { Kafka, logLevel } from 'kafkajs';
import type { Admin, Producer, SASLOptions } from 'kafkajs';
import type { LagSample, LagSnapshot, LagVerdict, LagWatchEvent } from '../../common/schemas/kafka';
import type { KafkaConnection, ProfileStore } from '../config/profile-store';
import { RingBuffer } from '../../common/ring-buffer';
import { catchUpSeconds, computeLag, lagTrend, ratesBetween } from './lag';
import {
  groupVerdict,
  isStuck,
  partitionVerdict,
  type PartitionObservation,
  type Verdict,
} from './lag-verdict';
import { PartitionReader } from './partition-reader';
import { browsePartition, type BrowseStart } from './browse';
import type { BrowseResponse } from '../../common/schemas/eventing';
import { EngineError } from '../errors';

interface CachedAdmin {
  fingerprint: string;
  kafka: Kafka;
  admin: Admin;
  connected: Promise<void>;
  reader?: PartitionReader;
  producer?: Promise<Producer>;
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
    return (await this.connection(profileId)).admin;
  }

  /** The partition reader of a profile (made on first use, shared by every sample and browse). */
  async reader(profileId: string): Promise<PartitionReader> {
    const entry = await this.connection(profileId);
    entry.reader ??= new PartitionReader(entry.kafka);
    return entry.reader;
  }

  /** The producer of a profile, for test records (made on first use). */
  async producer(profileId: string): Promise<Producer> {
    const entry = await this.connection(profileId);
    entry.producer ??= (async () => {
      const producer = entry.kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      return producer;
    })().catch((error: unknown) => {
      entry.producer = undefined;
      throw error;
    });
    return entry.producer;
  }

  private async connection(profileId: string): Promise<CachedAdmin> {
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
      return cached;
    }
    if (cached) {
      void cached.admin.disconnect().catch(() => {});
      void cached.reader?.disconnect();
      void cached.producer?.then((producer) => producer.disconnect()).catch(() => {});
    }
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
    const entry: CachedAdmin = { fingerprint, kafka, admin, connected: admin.connect() };
    this.admins.set(profileId, entry);
    try {
      await entry.connected;
    } catch (error) {
      this.admins.delete(profileId);
      throw error;
    }
    return entry;
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
   * One lag sample with lag in seconds: the offsets as in `lag`, then the timestamp of the record at each lagging
   * partition's committed offset (or its low watermark when nothing is committed), read in one Fetch per leader.
   */
  async lagWithSeconds(profileId: string, groupId: string, topic: string): Promise<LagSnapshot> {
    const snapshot = await this.lag(profileId, groupId, topic);
    const oldestUnread = new Map<number, string>();
    for (const partition of snapshot.partitions) {
      if (partition.lag !== '0') oldestUnread.set(partition.partition, partition.committed ?? partition.low);
    }
    const timestamps = await (await this.reader(profileId)).timestampsAt(topic, oldestUnread);
    // The group is as far behind as its oldest unread record; null only when no lagging record could be read.
    let total: number | null = oldestUnread.size === 0 ? 0 : null;
    for (const partition of snapshot.partitions) {
      if (partition.lag === '0') {
        partition.lagSeconds = 0;
        continue;
      }
      const timestamp = timestamps.get(partition.partition);
      partition.lagSeconds = timestamp === undefined ? null : Math.max(0, (snapshot.at - timestamp) / 1000);
      if (partition.lagSeconds !== null) total = Math.max(total ?? 0, partition.lagSeconds);
    }
    snapshot.totalLagSeconds = total;
    return snapshot;
  }

  /** Records of one partition (bounded; see browse.ts). */
  async browse(
    profileId: string,
    request: { topic: string; partition: number; from: BrowseStart; limit: number; filter: string },
  ): Promise<BrowseResponse> {
    const admin = await this.admin(profileId);
    const known = await admin.listTopics();
    if (!known.includes(request.topic)) {
      throw new EngineError('not-found', `topic ${request.topic} does not exist on this Kafka`);
    }
    return browsePartition(admin, await this.reader(profileId), request);
  }

  /** Whether the group has a member now (a consumer that is running). */
  async groupActive(profileId: string, groupId: string): Promise<boolean> {
    const admin = await this.admin(profileId);
    const { groups } = await admin.describeGroups([groupId]);
    return (groups[0]?.members.length ?? 0) > 0;
  }

  /**
   * Samples lag every `intervalMs` into a ring buffer covering `windowSeconds`; emits the retained window first,
   * then each new sample with the trend over the window. Returns the stop function. Sampling never overlaps: a slow
   * broker delays the next sample instead of piling up requests.
   */
  watchLag(
    params: {
      profileId: string;
      groupId: string;
      topic: string;
      intervalMs: number;
      windowSeconds: number;
      seconds?: boolean;
    },
    emit: (event: LagWatchEvent) => void,
    fail: (error: unknown) => void,
  ): () => void {
    const capacity = Math.max(3, Math.ceil((params.windowSeconds * 1000) / params.intervalMs));
    const window = new RingBuffer<LagSample>(capacity);
    const snapshots = new RingBuffer<LagSnapshot>(capacity);
    let previous: LagSnapshot | undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const tick = async () => {
      if (stopped) return;
      try {
        const snapshot = params.seconds
          ? await this.lagWithSeconds(params.profileId, params.groupId, params.topic)
          : await this.lag(params.profileId, params.groupId, params.topic);
        if (stopped) return;
        failures = 0;
        const sample = ratesBetween(previous, snapshot);
        if (params.seconds) sample.totalLagSeconds = snapshot.totalLagSeconds ?? null;
        previous = snapshot;
        window.push(sample);
        snapshots.push(snapshot);
        const samples = window.toArray();
        const verdict = params.seconds
          ? await this.verdictOf(
              params.profileId,
              params.groupId,
              snapshots.toArray(),
              params.windowSeconds * 1000,
            )
          : undefined;
        if (stopped) return;
        emit({
          samples: [sample],
          latest: snapshot,
          trend: lagTrend(samples),
          catchUpSeconds: params.seconds ? catchUpOverWindow(snapshots.toArray()) : catchUpSeconds(sample),
          ...(verdict ? { verdict } : {}),
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

  /** Judges the window per partition; the group is described only when some partition is stuck. */
  private async verdictOf(
    profileId: string,
    groupId: string,
    window: LagSnapshot[],
    windowMs: number,
  ): Promise<LagVerdict> {
    const byPartition = new Map<number, PartitionObservation[]>();
    for (const snapshot of window) {
      for (const partition of snapshot.partitions) {
        const list = byPartition.get(partition.partition) ?? [];
        list.push({ at: snapshot.at, committed: partition.committed, lag: partition.lag });
        byPartition.set(partition.partition, list);
      }
    }
    const anyStuck = [...byPartition.values()].some(isStuck);
    const active = anyStuck ? await this.groupActive(profileId, groupId) : null;
    const verdicts = new Map<number, Verdict>();
    for (const [partition, observations] of byPartition) {
      verdicts.set(partition, partitionVerdict(observations, active, windowMs));
    }
    const group = groupVerdict(verdicts);
    return {
      ...group,
      partitions: [...verdicts].map(([partition, verdict]) => ({ partition, ...verdict })),
    };
  }

  async dispose(): Promise<void> {
    await Promise.all(
      [...this.admins.values()].map(async (entry) => {
        await entry.reader?.disconnect();
        await entry.producer?.then((producer) => producer.disconnect()).catch(() => {});
        await entry.admin.disconnect().catch(() => {});
      }),
    );
    this.admins.clear();
  }
}

/**
 * Seconds to catch up from the rates over the whole window (consumed − produced, per second), 0 without lag, null
 * when the group is not catching up (or the window is too short to tell).
 */
export function catchUpOverWindow(window: readonly LagSnapshot[]): number | null {
  const last = window.at(-1);
  if (!last) return null;
  const lag = Number(last.totalLag);
  if (lag === 0) return 0;
  const first = window[0]!;
  if (window.length < 2 || last.at <= first.at) return null;
  const rates = ratesBetween(first, last);
  const net = (rates.consumeRate ?? 0) - (rates.produceRate ?? 0);
  return net > 0 ? lag / net : null;
}
