// Proof that patches/kafkajs+2.2.4.patch is applied (npm ci runs patch-package as postinstall): an idle kafkajs
// request queue, nothing pending and no broker throttle, arms no timer. Unpatched, kafkajs 2.2.4 re-arms a 1 ms timer
// forever on every connection (kafkajs issues #1556, #1704), which kept the KafkaSource dispatcher and HomePage at
// 1.5-1.8 % of a core with no traffic.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface RequestQueueLike {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  destroy(): void;
}

const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as new (options: {
  instrumentationEmitter: null;
  maxInFlightRequests: number | null;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  clientId: string;
  broker: string;
  logger: { namespace: () => Record<string, () => void> };
  isConnected: () => boolean;
}) => RequestQueueLike;

const quietLogger = {
  namespace: () => ({ debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }),
};

function idleQueue(): RequestQueueLike {
  return new RequestQueue({
    instrumentationEmitter: null,
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: true,
    clientId: 'spec',
    broker: '127.0.0.1:9',
    logger: quietLogger,
    isConnected: () => true,
  });
}

describe('kafkajs request queue (patched)', () => {
  it('arms no timer when nothing is pending and the broker does not throttle', () => {
    const queue = idleQueue();
    queue.checkPendingRequests(); // what every response does (fulfillRequest)
    expect(queue.throttleCheckTimeoutId).toBeNull();
    queue.destroy();
  });

  it('still checks again at the end of a broker throttle', () => {
    const queue = idleQueue();
    queue.throttledUntil = Date.now() + 60_000;
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    queue.destroy();
  });
});
