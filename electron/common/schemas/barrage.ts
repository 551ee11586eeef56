// Barrage: the load sender (autocannon against HomePage) and the viewer (HomePage's SSE stream).
import { z } from 'zod';
import { contextName, epochMs, httpUrl } from './primitives';

export const barrageSendParams = z.strictObject({
  /** HomePage base URL (e.g. the FC URL or custom domain). */
  url: httpUrl,
  /** The context whose ingress gateway a cluster-local URL goes through (discovered); the playground's when absent. */
  context: contextName.optional(),
  message: z.string().min(1).max(1000),
  concurrency: z.number().int().min(1).max(500).default(10),
  durationSeconds: z.number().int().min(1).max(600).default(10),
  /** Total requests per second across all connections; unlimited when absent. */
  rate: z.number().int().min(1).max(100_000).optional(),
  /** Hard cap on requests; the engine applies its own ceiling too. */
  maxRequests: z.number().int().min(1).max(5_000_000).optional(),
});

export const latencySummary = z.object({
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  max: z.number(),
  mean: z.number(),
});

export const refusal = z.object({
  status: z.number().int(),
  /** HomePage's `error` (or its reasons) from the body, shortened; empty when the body said nothing. */
  message: z.string(),
  count: z.number().int(),
});
export type Refusal = z.infer<typeof refusal>;

export const barrageSendEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('second'),
    /** Seconds since start (1, 2, …). */
    second: z.number().int(),
    at: epochMs,
    /** Responses received in this second. */
    rps: z.number(),
    /** Latency of this second's responses in milliseconds (HDR histogram). */
    latency: latencySummary,
    statusCodes: z.record(z.string(), z.number().int()),
    /** Responses in this second without a 2xx status. */
    refused: z.number().int(),
    errors: z.number().int(),
    timeouts: z.number().int(),
    totalRequests: z.number().int(),
  }),
  z.object({
    type: z.literal('done'),
    reason: z.enum(['finished', 'stopped', 'failed']),
    durationSeconds: z.number(),
    totalRequests: z.number().int(),
    /** Responses with a 2xx status: what HomePage accepted. */
    accepted: z.number().int(),
    /** Responses with any other status: each one is a barrage HomePage did not take. */
    refused: z.number().int(),
    /** What the refusals said, by status and HomePage's own reason, most frequent first. */
    refusals: z.array(refusal),
    errors: z.number().int(),
    timeouts: z.number().int(),
    /**
     * Requests sent whose answer had not arrived when the run ended (duration over, or Stop): HomePage may have taken
     * them, so the viewer can show more comments than `accepted`; their outcome is counted nowhere else.
     */
    unanswered: z.number().int(),
    statusCodes: z.record(z.string(), z.number().int()),
    latency: latencySummary,
    meanRps: z.number(),
    error: z.string().nullable(),
  }),
]);
export type BarrageSendEvent = z.infer<typeof barrageSendEvent>;

export const barrageViewParams = z.strictObject({
  url: httpUrl,
  /** As for barrageSendParams: whose gateway a cluster-local URL is followed through. */
  context: contextName.optional(),
  /** Messages kept while the UI is slow to take them; the oldest are dropped beyond this. */
  bufferSize: z.number().int().min(10).max(100_000).default(2000),
});

export const barrageMessage = z.object({
  id: z.string().nullable(),
  text: z.string(),
  /** The whole SSE data, parsed when it was JSON (the result HomePage forwards from processing). */
  data: z.unknown(),
  receivedAt: epochMs,
});
export type BarrageMessage = z.infer<typeof barrageMessage>;

export const barrageViewEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('messages'),
    messages: z.array(barrageMessage),
    /** Messages dropped (oldest first) since the subscription began because the buffer was full. */
    dropped: z.number().int(),
  }),
  z.object({
    type: z.literal('status'),
    state: z.enum(['connecting', 'open', 'reconnecting']),
    attempt: z.number().int(),
    error: z.string().nullable(),
  }),
]);
export type BarrageViewEvent = z.infer<typeof barrageViewEvent>;
