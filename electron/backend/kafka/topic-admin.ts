// Topic and group housekeeping for event-driven workloads: a topic's partitions and offsets, creating a topic,
// resetting a group's offsets (only while nothing consumes: checked against the group's members right before), and
// one test record whose CloudEvent id is known in advance (the KafkaSource names it partition:<p>/offset:<o>).
// Every refusal says why and changes nothing.
import type { Admin, Producer } from 'kafkajs';
import { kafkaEventId } from '../../../knative/kafka-cloudevent';
import { EngineError } from '../errors';

export type ResetTarget =
  { to: 'earliest' } | { to: 'latest' } | { to: 'time'; at: number } | { to: 'offset'; offset: string };

async function requireTopic(admin: Admin, topic: string): Promise<void> {
  if (!(await admin.listTopics()).includes(topic)) {
    throw new EngineError('not-found', `topic ${topic} does not exist on this Kafka`);
  }
}

export async function topicDetails(admin: Admin, topic: string) {
  await requireTopic(admin, topic);
  const offsets = await admin.fetchTopicOffsets(topic);
  return {
    topic,
    partitions: offsets
      .map((entry) => ({ partition: entry.partition, low: entry.low, high: entry.high }))
      .sort((a, b) => a.partition - b.partition),
  };
}

export async function createTopic(admin: Admin, topic: string, partitions: number) {
  if ((await admin.listTopics()).includes(topic)) {
    throw new EngineError('conflict', `topic ${topic} already exists`);
  }
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  return topicDetails(admin, topic);
}

export async function resetOffsets(admin: Admin, groupId: string, topic: string, target: ResetTarget) {
  await requireTopic(admin, topic);
  const { groups } = await admin.describeGroups([groupId]);
  const members = groups[0]?.members.length ?? 0;
  if (members > 0) {
    throw new EngineError(
      'conflict',
      `consumer group ${groupId} has ${members} running consumer${members === 1 ? '' : 's'}: stop the source ` +
        '(delete it, or set its spec.consumers to 0) before resetting its offsets; nothing was changed',
    );
  }
  const bounds = (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition);
  let partitions: { partition: number; offset: string }[];
  if (target.to === 'earliest' || target.to === 'latest') {
    partitions = bounds.map((entry) => ({
      partition: entry.partition,
      offset: target.to === 'earliest' ? entry.low : entry.high,
    }));
  } else if (target.to === 'time') {
    const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, target.at);
    partitions = byTime.map((entry) => ({
      partition: entry.partition,
      // No record at or after that time: the end.
      offset:
        BigInt(entry.offset) < 0n
          ? (bounds.find((b) => b.partition === entry.partition)?.high ?? entry.offset)
          : entry.offset,
    }));
  } else {
    const wanted = BigInt(target.offset);
    const outside = bounds.filter((entry) => wanted < BigInt(entry.low) || wanted > BigInt(entry.high));
    if (outside.length > 0) {
      throw new EngineError(
        'invalid',
        `offset ${target.offset} is outside partition ${outside[0]!.partition}'s records ` +
          `(${outside[0]!.low}–${outside[0]!.high}); nothing was changed`,
      );
    }
    partitions = bounds.map((entry) => ({ partition: entry.partition, offset: target.offset }));
  }
  partitions.sort((a, b) => a.partition - b.partition);
  await admin.setOffsets({ groupId, topic, partitions });
  return { partitions };
}

export async function produceTest(
  admin: Admin,
  producer: Producer,
  request: { topic: string; key: string; headers: { name: string; value: string }[]; value: string },
) {
  try {
    JSON.parse(request.value);
  } catch (error) {
    throw new EngineError('invalid', `the value is not JSON: ${(error as Error).message}; nothing was sent`);
  }
  await requireTopic(admin, request.topic);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const header of request.headers) headers[header.name] = header.value;
  const [metadata] = await producer.send({
    topic: request.topic,
    messages: [{ key: request.key === '' ? null : request.key, value: request.value, headers }],
  });
  const partition = metadata?.partition ?? 0;
  // The producer answers with the base offset of the batch, which for one record is the record's own.
  const offset = metadata?.baseOffset ?? metadata?.offset ?? '0';
  return { partition, offset, eventId: kafkaEventId(partition, offset) };
}
