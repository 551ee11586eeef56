// Kafka: profiles (brokers, SASL/TLS), topics and groups, lag snapshots and the lag/rate/trend stream.
import { z } from 'zod';
import { epochMs, id, int64String } from './primitives';
import { profileIdentity, profileSaveIdentity } from './profile';

const broker = z.string().regex(/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/, 'must be host:port');

/** SASL mechanisms a profile can log in with (kafkajs's names). */
const saslMechanism = z.enum(['plain', 'scram-sha-256', 'scram-sha-512']);

export const kafkaProfile = z.object({
  ...profileIdentity,
  brokers: z.array(z.string()),
  ssl: z.boolean(),
  sasl: z.object({ mechanism: saslMechanism, username: z.string() }).nullable(),
  /** True when a SASL password is stored; it never leaves the engine. */
  hasPassword: z.boolean(),
});
export type KafkaProfile = z.infer<typeof kafkaProfile>;

export const kafkaProfilesResponse = z.object({ profiles: z.array(kafkaProfile) });

export const kafkaSaveProfileRequest = z.strictObject({
  ...profileSaveIdentity,
  brokers: z.array(broker).min(1).max(32),
  ssl: z.boolean().default(false),
  sasl: z
    .strictObject({
      mechanism: saslMechanism,
      username: z.string().min(1).max(256),
      /** Absent on update keeps the stored password. */
      password: z.string().min(1).max(1024).optional(),
    })
    .optional(),
});
export const kafkaSaveProfileResponse = z.object({ profile: kafkaProfile });

export const kafkaProfileRequest = z.strictObject({ profileId: id });
export const kafkaTopicsResponse = z.object({
  topics: z.array(z.object({ name: z.string(), partitions: z.number().int() })),
});
export const kafkaGroupsResponse = z.object({
  groups: z.array(z.object({ groupId: z.string(), protocolType: z.string().nullable() })),
});

const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a Kafka topic name');
const groupId = z.string().min(1).max(255);

export const lagRequest = z.strictObject({
  profileId: id,
  groupId,
  topic: topicName,
  /** Also read lag in seconds from record timestamps (and, for a watch, judge the window). */
  seconds: z.boolean().default(false),
});

export const partitionLag = z.object({
  partition: z.number().int(),
  /** Committed offset of the group, or null when the group never committed on this partition. */
  committed: int64String.nullable(),
  low: int64String,
  high: int64String,
  /** high − committed, or high − low when nothing is committed (everything retained is unread). */
  lag: int64String,
  /**
   * Age in seconds of the oldest record not yet committed (now − its timestamp); 0 without lag; null when its
   * record could not be read. Absent from offsets-only samples.
   */
  lagSeconds: z.number().nullable().optional(),
});

export const lagSnapshot = z.object({
  at: epochMs,
  groupId: z.string(),
  topic: z.string(),
  partitions: z.array(partitionLag),
  totalLag: int64String,
  /** The largest partition lag in seconds (how far behind the group is in time). */
  totalLagSeconds: z.number().nullable().optional(),
});
export type LagSnapshot = z.infer<typeof lagSnapshot>;

export const lagWatchParams = lagRequest.extend({
  intervalMs: z.number().int().min(250).max(60_000).default(1000),
  /** Window for the trend, the verdict and the history sent first. */
  windowSeconds: z.number().int().min(5).max(3600).default(60),
});

export const lagTrend = z.enum(['growing', 'shrinking', 'steady', 'unknown']);

export const lagSample = z.object({
  at: epochMs,
  totalLag: int64String,
  /** Messages per second written to the topic (high-watermark delta) since the previous sample. */
  produceRate: z.number().nullable(),
  /** Messages per second the group committed since the previous sample. */
  consumeRate: z.number().nullable(),
  totalLagSeconds: z.number().nullable().optional(),
});
export type LagSample = z.infer<typeof lagSample>;

/** Burrow-style health of a partition or a group over the watch window. */
export const lagStatus = z.enum(['OK', 'WARN', 'STALL', 'STOP', 'REWIND', 'UNKNOWN']);
export type LagStatus = z.infer<typeof lagStatus>;
export const lagVerdict = z.object({
  status: lagStatus,
  /** Why, in words. */
  reason: z.string(),
  partitions: z.array(z.object({ partition: z.number().int(), status: lagStatus, reason: z.string() })),
});
export type LagVerdict = z.infer<typeof lagVerdict>;

export const lagWatchEvent = z.object({
  /** New samples since the last event (the first event carries the retained window). */
  samples: z.array(lagSample),
  /** Per-partition detail of the newest sample. */
  latest: lagSnapshot,
  trend: lagTrend,
  /** Time for the group to catch up at the current rates, or null when it is not catching up. */
  catchUpSeconds: z.number().nullable(),
  /** Health over the window (present when the watch asked for lag in seconds). */
  verdict: lagVerdict.optional(),
});
export type LagWatchEvent = z.infer<typeof lagWatchEvent>;
