// Event-driven workloads (issue 12): browsing a topic partition's records. Lag in seconds and the verdict ride on
// the Kafka lag schemas (./kafka.ts).
import { z } from 'zod';
import { epochMs, id, int64String } from './primitives';

const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a Kafka topic name');

/** Where browsing starts: an offset, the first record at or after a time, or the last `limit` records. */
export const browseStart = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('offset'), offset: int64String }),
  z.strictObject({ kind: z.literal('time'), at: epochMs }),
  z.strictObject({ kind: z.literal('end') }),
]);

export const browseRequest = z.strictObject({
  profileId: id,
  topic: topicName,
  partition: z.number().int().min(0).max(100_000),
  from: browseStart,
  /** Records returned at most (matching the filter). */
  limit: z.number().int().min(1).max(500).default(50),
  /** Case-insensitive text searched in key, header values and value; empty shows everything. */
  filter: z.string().max(200).default(''),
});

export const recordValue = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('json'), text: z.string() }),
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({ kind: z.literal('binary'), hex: z.string(), bytes: z.number().int() }),
  z.object({ kind: z.literal('null') }),
]);
export type RecordValue = z.infer<typeof recordValue>;

export const browsedRecord = z.object({
  partition: z.number().int(),
  offset: int64String,
  timestamp: epochMs,
  key: recordValue,
  headers: z.array(z.object({ name: z.string(), value: z.string() })),
  value: recordValue,
});
export type BrowsedRecord = z.infer<typeof browsedRecord>;

export const browseResponse = z.object({
  records: z.array(browsedRecord),
  /** Where a next page starts (the offset after the last record scanned). */
  nextOffset: int64String,
  /** The partition's end offset when browsing stopped. */
  endOffset: int64String,
  /** Records read (matching or not). */
  scanned: z.number().int(),
  /** Why browsing stopped: the limit was reached, the end of the partition, or the scan budget ran out. */
  stoppedBy: z.enum(['limit', 'end', 'budget']),
});
export type BrowseResponse = z.infer<typeof browseResponse>;

/** A topic's partitions with their offsets (earliest retained, end). */
export const topicDetailsRequest = z.strictObject({ profileId: id, topic: topicName });
export const topicDetails = z.object({
  topic: z.string(),
  partitions: z.array(z.object({ partition: z.number().int(), low: int64String, high: int64String })),
});

export const createTopicRequest = z.strictObject({
  profileId: id,
  topic: topicName,
  partitions: z.number().int().min(1).max(1000).default(1),
});

/** Where a group's offsets go: the earliest or latest retained record, the first at/after a time, or an offset. */
export const resetTarget = z.discriminatedUnion('to', [
  z.strictObject({ to: z.literal('earliest') }),
  z.strictObject({ to: z.literal('latest') }),
  z.strictObject({ to: z.literal('time'), at: epochMs }),
  z.strictObject({ to: z.literal('offset'), offset: int64String }),
]);
export const resetOffsetsRequest = z.strictObject({
  profileId: id,
  groupId: z.string().min(1).max(255),
  topic: topicName,
  target: resetTarget,
});
export const resetOffsetsResponse = z.object({
  partitions: z.array(z.object({ partition: z.number().int(), offset: int64String })),
});

/** One test record: key, headers and a JSON value, to one partition or by key. */
export const produceTestRequest = z.strictObject({
  profileId: id,
  topic: topicName,
  key: z.string().max(1024).default(''),
  headers: z
    .array(z.object({ name: z.string().min(1).max(256), value: z.string().max(4096) }))
    .max(32)
    .default([]),
  /** JSON text; refused when it does not parse. */
  value: z.string().max(64 * 1024),
});
export const produceTestResponse = z.object({
  partition: z.number().int(),
  offset: int64String,
  /** The CloudEvent id a KafkaSource gives this record (partition:<p>/offset:<o>). */
  eventId: z.string(),
});
