// The app itself and the local playground.
import { z } from 'zod';

export const appInfoResponse = z.object({
  mode: z.enum(['electron', 'web']),
  version: z.string(),
  /** Where FC keys and Kafka passwords are kept: the OS keychain via safeStorage, or a 0600 file (web mode). */
  secretStorage: z.enum(['safe-storage', 'file']),
  /** Sentences the UI should show (e.g. the web-mode secrets warning). */
  warnings: z.array(z.string()),
});

/**
 * Who is answering: sent once on every subscription to `app:engine`. The subscription is open-ended, so a client
 * re-subscribes after the engine came back (restarted by the desktop shell, or web mode's server again), and a new
 * `engineId` tells the UI the engine restarted (its streams were re-subscribed, calls in flight had failed).
 */
export const engineHelloEvent = z.object({
  type: z.literal('hello'),
  engineId: z.string().max(100),
  startedAt: z.number().int().nonnegative(),
  /** How many times the shell restarted the engine after it died (0 for the first start). */
  restarts: z.number().int().nonnegative(),
});

export const openExternalRequest = z.strictObject({
  url: z
    .string()
    .max(2048)
    .refine((value) => /^https?:\/\//i.test(value), 'only http:// and https:// links open outside the app'),
});

export const playgroundInfo = z.object({
  kubeconfig: z.string(),
  apiServer: z.string(),
  contexts: z.object({ admin: z.string(), viewer: z.string() }),
  viewerNamespace: z.string(),
  kafkaBrokers: z.array(z.string()),
  /** The playground's FC double and KIngress gateway, when those parts run. */
  fcEndpoint: z.string().nullable(),
  ingress: z.string().nullable(),
  parts: z.array(z.object({ name: z.string(), running: z.boolean(), port: z.number().nullable() })),
});

export const playgroundStatusResponse = z.object({
  state: z.enum(['up', 'partial', 'down', 'starting', 'stopping']),
  info: playgroundInfo.nullable(),
  message: z.string().nullable(),
});

export const playgroundEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('log'), line: z.string() }),
  z.object({ type: z.literal('done'), ok: z.boolean(), message: z.string().nullable() }),
]);

export const playgroundStartParams = z.strictObject({ kafka: z.boolean().default(true) });
