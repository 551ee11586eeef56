// The barrage message as it travels: what a user posts, what HomePage puts on Kafka, and what processing stores.
// One schema module so HomePage, processing, the deliverer and the store agree on the wire format.
import { z } from 'zod';

export const barrageModes = ['scroll', 'top', 'bottom'] as const;
export type BarrageMode = (typeof barrageModes)[number];

/** Longest text a user may post (after trimming), in characters (code points). */
export const maxPostedTextLength = 100;

function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** Body of `POST /api/barrage`. */
export const barragePostSchema = z.strictObject({
  text: z
    .string({ error: 'is required and must be a string' })
    .transform((text) => text.trim())
    .refine((text) => text.length > 0, 'must not be empty after trimming')
    .refine(
      (text) => codePointLength(text) <= maxPostedTextLength,
      `must be at most ${maxPostedTextLength} characters after trimming`,
    ),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #ff8800')
    .transform((color) => color.toLowerCase())
    .optional(),
  mode: z.enum(barrageModes).optional(),
  user: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .refine((user) => !/\p{Cc}/u.test(user), 'must not contain control characters')
    .optional(),
});
export type BarragePost = z.output<typeof barragePostSchema>;

/** The Kafka record value HomePage produces (JSON). */
export const barrageMessageSchema = z.object({
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID'),
  text: z.string().min(1).max(4096),
  color: z.string().regex(/^#[0-9a-f]{6}$/),
  mode: z.enum(barrageModes),
  user: z.string().min(1).max(64).optional(),
  sentAt: z.iso.datetime(),
});
export type BarrageMessage = z.output<typeof barrageMessageSchema>;

export const barrageFlags = ['rate-limited', 'truncated', 'masked'] as const;
export type BarrageFlag = (typeof barrageFlags)[number];

/** What processing writes to the store, keyed by `id`. */
export const barrageResultSchema = barrageMessageSchema.extend({
  // Normalisation can leave nothing (a message of zero-width spaces): such a result is stored empty, not lost.
  text: z.string().max(4096),
  flags: z.array(z.enum(barrageFlags)),
  processedAt: z.iso.datetime(),
});
export type BarrageResult = z.output<typeof barrageResultSchema>;

/** A stored result with the store's resume position (SSE event id, `after=` for paging). */
export type StoredBarrageResult = BarrageResult & { cursor: string };

export const defaultBarrageColor = '#ffffff';
export const defaultBarrageMode: BarrageMode = 'scroll';
