// Cost of one lag-in-seconds sample (kafka:lag with seconds: offsets, then the timestamp of the oldest unread record
// of every lagging partition, one bounded Fetch per leader) over a 100-partition topic where every partition lags,
// against today's offsets-only sample of the same topic and group, measured in the same run, interleaved so both
// see the same machine load. Goal: at most 3×.
// Needs the playground (`npm run -s playground -- up`, or KNATIVE_DESK_PLAYGROUND_DIR for another one). Loopback
// only; bounded: 500 records, 2 × 40 samples.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logLevel } from 'kafkajs';
import { createEngine } from '../electron/backend/engine';
import { sessionCalls } from './session-calls';
import { playgroundEnginePort } from '../playground/engine-port';
import { readPlaygroundInfo } from '../playground/info';
import { connectedKafkaClients, kafkaFor, uniqueName } from '../test/support/unique';
import { reportFigure } from './report-figure';

const ROUNDS = 40;

async function main(): Promise<void> {
  const playground = readPlaygroundInfo();
  if (!playground) {
    console.log('eventing lag bench skipped: no playground (npm run -s playground -- up)');
    return;
  }
  const { admin, producer } = await connectedKafkaClients(kafkaFor(playground, 'bench', logLevel.NOTHING));
  const topic = uniqueName('bench-lag-seconds');
  const groupId = uniqueName('bench-lag-seconds');
  const temp = mkdtempSync(join(tmpdir(), 'knd-bench-'));
  const engine = createEngine({
    mode: 'web',
    configDir: temp,
    playground: playgroundEnginePort(playground.dir),
    env: { KUBECONFIG: join(temp, 'none') },
  });
  const session = sessionCalls(engine);
  const sample = (seconds: boolean) =>
    session.call('kafka:lag', { profileId: 'playground-kafka', groupId, topic, seconds });
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 100 }], waitForLeaders: true });
    await producer.send({
      topic,
      messages: Array.from({ length: 500 }, (_, i) => ({ partition: i % 100, value: JSON.stringify({ i }) })),
    });
    // Every partition lags (2 of its 5 records committed), so every sample reads 100 timestamps.
    await admin.setOffsets({
      groupId,
      topic,
      partitions: Array.from({ length: 100 }, (_, partition) => ({ partition, offset: '2' })),
    });
    await sample(false); // warm: connection and metadata
    await sample(true);
    let offsetsOnly = 0;
    let withSeconds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let start = performance.now();
      await sample(false);
      offsetsOnly += performance.now() - start;
      start = performance.now();
      await sample(true);
      withSeconds += performance.now() - start;
    }
    reportFigure(
      'lag-in-seconds sample, 100 lagging partitions',
      withSeconds / ROUNDS,
      'ms',
      'offsets-only sample',
      offsetsOnly / ROUNDS,
    );
  } finally {
    session.close();
    await engine.dispose();
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`eventing lag bench failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
