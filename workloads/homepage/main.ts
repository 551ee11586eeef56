// Entry point of HomePage (image knative-desk/barrage-homepage): `tsx workloads/homepage/main.ts`.
// Reads the seed's environment names, listens on $PORT (8080). Kafka is connected in the background so the
// process is ready to answer quickly (FC and the playground start it on demand).
import { closeOnSignals, exitWithError, listen } from '../shared/lifecycle';
import { startTracing } from '../shared/tracing';
import { openResultStore } from '../store/open-store';
import { BarrageProducer } from './barrage-producer';
import { readHomepageConfig } from './config';
import { createKafka, kafkaReadinessProbe } from './kafka-client';
import { ResultFeed } from './result-feed';
import { createHomepageServer } from './server';

try {
  const config = readHomepageConfig();
  const tracing = startTracing(config.serviceName, config.tracingEndpoint);
  const store = await openResultStore();
  const kafka = createKafka(config.serviceName, config.kafkaBrokers, config.kafkaSasl, config.kafkaTls);
  const producer = new BarrageProducer(kafka, { topic: config.kafkaTopic });
  const feed = new ResultFeed(store);
  feed.start();
  const server = createHomepageServer({
    sender: producer,
    store,
    feed,
    tracer: tracing.tracer,
    kafkaReady: kafkaReadinessProbe(kafka, config.kafkaTopic),
  });
  const port = await listen(server, config.port);
  process.stdout.write(`barrage homepage listening on ${port}\n`);
  producer.connect().catch((error: Error) => {
    process.stderr.write(`Kafka not reachable yet (${error.message}); will retry on the first message\n`);
  });
  closeOnSignals(server, async () => {
    feed.stop();
    await producer.disconnect().catch(() => {});
    await store.close();
    await tracing.shutdown();
  });
} catch (error) {
  exitWithError(error);
}
