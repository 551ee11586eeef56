// Entry point of message processing (image knative-desk/barrage-processing): `tsx workloads/processing/main.ts`.
// Reads its configuration from the environment and listens on $PORT (8080).
import { startTracing } from '../shared/tracing';
import { closeOnSignals, exitWithError, listen } from '../shared/lifecycle';
import { openResultStore } from '../store/open-store';
import { readProcessingConfig } from './config';
import { SensitiveWordMasker } from './sensitive-words';
import { createProcessingServer } from './server';

try {
  const config = readProcessingConfig();
  const tracing = startTracing(config.serviceName, config.tracingEndpoint);
  const store = await openResultStore();
  const server = createProcessingServer({
    store,
    tracer: tracing.tracer,
    ...(config.acceptedEventSource ? { acceptedEventSource: config.acceptedEventSource } : {}),
    rules: {
      masker: new SensitiveWordMasker(config.sensitiveWords),
      maxTextLength: config.maxTextLength,
      rateLimitCount: config.rateLimitCount,
      rateLimitWindowMs: config.rateLimitWindowMs,
    },
  });
  const port = await listen(server, config.port);
  process.stdout.write(`barrage processing listening on ${port}\n`);
  closeOnSignals(server, async () => {
    await store.close();
    await tracing.shutdown();
  });
} catch (error) {
  exitWithError(error);
}
