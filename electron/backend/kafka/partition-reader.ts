// Reads a few records at chosen offsets straight from the partition leaders with Kafka's Fetch API: one request per
// leader broker for every partition asked, each partition capped at a few KiB, no consumer group, nothing
// committed. Lag in seconds needs the timestamp of one record per lagging partition on every sample, and browsing
// needs a bounded page from an offset; kafkajs' consumer can do neither cheaply (it joins a group, subscribes to
// whole topics and fetches continuously), so this uses kafkajs' own cluster (its connection pool, TLS, SASL and
// metadata handling) and broker.fetch. kafkajs keeps that cluster factory private: it is reached through the
// Kafka instance's `private:Kafka:createCluster` symbol, checked here so a kafkajs upgrade that moves it fails
// loudly with a clear message instead of misreading.
import type { Kafka } from 'kafkajs';

export interface FetchedRecord {
  partition: number;
  offset: string;
  /** Epoch milliseconds. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

interface FetchPartitionResponse {
  partition: number;
  errorCode: number;
  highWatermark: string;
  messages: {
    offset: string;
    timestamp: string;
    key: Buffer | null;
    value: Buffer | null;
    headers?: FetchedRecord['headers'];
  }[];
}

interface BrokerLike {
  fetch(request: {
    replicaId?: number;
    isolationLevel?: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: FetchPartitionResponse[] }[] }>;
}

interface ClusterLike {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(params: { nodeId: string }): Promise<BrokerLike>;
}

type ClusterFactory = (options: Record<string, unknown>) => ClusterLike;

function clusterFactoryOf(kafka: Kafka): ClusterFactory {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (candidate) => candidate.description === 'private:Kafka:createCluster',
  );
  const factory = symbol ? (kafka as unknown as Record<symbol, unknown>)[symbol] : undefined;
  if (typeof factory !== 'function') {
    throw new Error('this kafkajs version has no cluster factory; reading records by offset is unavailable');
  }
  return factory as ClusterFactory;
}

/** Bytes asked per partition: enough for one small record batch; Kafka returns at least the first batch anyway. */
const PARTITION_MAX_BYTES = 16 * 1024;
const READ_COMMITTED = 1;

export class PartitionReader {
  private readonly cluster: ClusterLike;
  private connected: Promise<void> | undefined;

  constructor(kafka: Kafka) {
    this.cluster = clusterFactoryOf(kafka)({ allowAutoTopicCreation: false, maxInFlightRequests: null });
  }

  private async ready(topic: string): Promise<void> {
    this.connected ??= this.cluster.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    await this.cluster.addTargetTopic(topic);
    await this.cluster.refreshMetadataIfNecessary();
  }

  /**
   * The records from each asked offset on (what one fetch returns: at least the record at that offset when it
   * exists, at most about `maxBytesPerPartition`), grouped by partition. Partitions with nothing at that offset
   * (at the end, or an offset past the end) map to an empty list.
   */
  async read(
    topic: string,
    offsets: ReadonlyMap<number, string>,
    maxBytesPerPartition = PARTITION_MAX_BYTES,
  ): Promise<Map<number, FetchedRecord[]>> {
    const result = new Map<number, FetchedRecord[]>();
    if (offsets.size === 0) return result;
    await this.ready(topic);
    const byLeader = this.cluster.findLeaderForPartitions(topic, [...offsets.keys()]);
    await Promise.all(
      Object.entries(byLeader).map(async ([nodeId, partitions]) => {
        const broker = await this.cluster.findBroker({ nodeId });
        const response = await broker.fetch({
          isolationLevel: READ_COMMITTED,
          maxWaitTime: 0,
          minBytes: 1,
          maxBytes: maxBytesPerPartition * partitions.length,
          topics: [
            {
              topic,
              partitions: partitions.map((partition) => ({
                partition,
                fetchOffset: offsets.get(partition) ?? '0',
                maxBytes: maxBytesPerPartition,
              })),
            },
          ],
        });
        for (const topicResponse of response.responses) {
          for (const partition of topicResponse.partitions) {
            const from = BigInt(offsets.get(partition.partition) ?? '0');
            // A fetch starts at the batch holding the offset: drop the records before it.
            result.set(
              partition.partition,
              partition.messages
                .filter((message) => BigInt(message.offset) >= from)
                .map((message) => ({
                  partition: partition.partition,
                  offset: message.offset,
                  timestamp: Number(message.timestamp),
                  key: message.key,
                  value: message.value,
                  headers: message.headers ?? {},
                })),
            );
          }
        }
      }),
    );
    return result;
  }

  /** The timestamp of the record at each offset (absent when there is none there). */
  async timestampsAt(topic: string, offsets: ReadonlyMap<number, string>): Promise<Map<number, number>> {
    const records = await this.read(topic, offsets);
    const result = new Map<number, number>();
    for (const [partition, list] of records) {
      const first = list[0];
      if (first) result.set(partition, first.timestamp);
    }
    return result;
  }

  async disconnect(): Promise<void> {
    await this.cluster.disconnect().catch(() => undefined);
    this.connected = undefined;
  }
}
