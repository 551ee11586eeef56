// HomePage ingest figures, each printed as `name: value unit (reference, ratio)` with the reference measured in the
// same run against the same broker (the playground's real Kafka):
// - accepted messages per second through HomePage (autocannon, POST /api/barrage, every 202 acknowledged by Kafka
//   with acks=all), against a bare kafkajs producer loop (idempotent, acks=all, one message per send, the same
//   number of concurrent senders); goal: ≥ 0.8 of the bare producer;
// - p50 / p99 latency of a POST against p50 / p99 of one bare producer send.
// HomePage runs as its own process (as in the playground). Loopback only; every loop is bounded in time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Kafka, logLevel } from 'kafkajs';
import { readPlaygroundInfo } from '../playground/info';
import { uniqueName } from '../test/support/unique';
import { startWorkload } from '../test/support/workloads/workload-process';
import { closedLoop } from './closed-loop';
import { reportFigure } from './report-figure';

const durationSeconds = 8;
const connections = 32;

/** The reference: `connections` loops, each awaiting one acknowledged send at a time, for the same duration. */
async function bareProducerLoop(brokers: string[], topic: string) {
  const kafka = new Kafka({ clientId: 'bench-bare-producer', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  try {
    return await closedLoop(
      { workers: connections, durationMs: durationSeconds * 1000 },
      async (loop, index) => {
        await producer.send({
          topic,
          acks: -1,
          messages: [{ key: `bare-${loop}`, value: JSON.stringify({ text: `bare ${loop}/${index}` }) }],
        });
      },
    );
  } finally {
    await producer.disconnect();
  }
}

async function main(): Promise<void> {
  const playground = readPlaygroundInfo();
  if (!playground || playground.kafkaBrokers.length === 0) {
    throw new Error('needs the playground with Kafka: npm run -s playground -- up');
  }
  const brokers = playground.kafkaBrokers;
  const topic = uniqueName('bench-homepage');
  const admin = new Kafka({ clientId: 'bench-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();

  const directory = mkdtempSync(join(tmpdir(), 'bench-homepage-'));
  const homepage = await startWorkload('workloads/homepage/main.ts', {
    STORE: 'sqlite',
    SQLITE_PATH: join(directory, 'results.sqlite'),
    KAFKA_SERVER: brokers.join(','),
    KAFKA_TOPIC: topic,
  });
  try {
    // Warm both paths (connections, metadata, JIT) before measuring.
    await autocannon({
      url: `${homepage.url}/api/barrage`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'warm up' }),
      connections: 4,
      amount: 200,
    });
    const reference = await bareProducerLoop(brokers, topic);
    const result = await autocannon({
      url: `${homepage.url}/api/barrage`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'bench message', user: 'bench', color: '#00ff00' }),
      connections,
      duration: durationSeconds,
    });
    const accepted = result['2xx'];
    if (result.non2xx > 0 || result.errors > 0) {
      console.log(`homepage: ${result.non2xx} non-2xx, ${result.errors} errors during the run`);
    }
    reportFigure(
      'homepage ingest',
      accepted / durationSeconds,
      'msg/s',
      'bare kafkajs producer loop',
      reference.rate,
    );
    reportFigure('homepage POST p50', result.latency.p50, 'ms', 'bare producer send p50', reference.p50Ms);
    reportFigure('homepage POST p99', result.latency.p99, 'ms', 'bare producer send p99', reference.p99Ms);
  } finally {
    await homepage.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
