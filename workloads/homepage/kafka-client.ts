// The kafkajs client HomePage uses, and a readiness probe for it.
import { Kafka, logLevel, type Admin, type SASLOptions } from 'kafkajs';

export function createKafka(
  clientId: string,
  brokers: string[],
  sasl: SASLOptions | undefined,
  tls = false,
): Kafka {
  return new Kafka({
    clientId,
    brokers,
    ...(sasl ? { sasl } : {}),
    ...(tls ? { ssl: true } : {}),
    // Short timeouts: a request handler waits on these, and a down broker must become a 503, not a hung request.
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    logLevel: logLevel.ERROR,
  });
}

/** Resolves when the broker answers a metadata request for the topic within `timeoutMs`. */
export function kafkaReadinessProbe(kafka: Kafka, topic: string, timeoutMs = 2_000): () => Promise<void> {
  let admin: Admin | undefined;
  return async () => {
    admin ??= kafka.admin();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Kafka did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([
        (async () => {
          await admin!.connect();
          await admin!.fetchTopicMetadata({ topics: [topic] });
        })(),
        timeout,
      ]);
    } catch (error) {
      // Start over with a fresh admin next time: a half-broken connection should not stick.
      const stale = admin;
      admin = undefined;
      void stale?.disconnect().catch(() => {});
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
}
