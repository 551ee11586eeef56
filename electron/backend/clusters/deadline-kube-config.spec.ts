// Every call made through the engine's KubeConfig ends by its deadline with an error that says what timed out and
// after how long; a plain KubeConfig would wait on a black-holed apiserver forever.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { serveForFile, useApiserverDouble } from '../../../test/support/local-server';
import { toEnvelope } from '../errors';
import { DeadlineKubeConfig } from './deadline-kube-config';

/** Reads requests and never answers them (an apiserver behind a black hole). */
const held: ServerResponse[] = [];
const server = createServer((_request: IncomingMessage, response: ServerResponse) => {
  held.push(response);
});
let config: DeadlineKubeConfig;

const local = serveForFile(server);
beforeAll(() => {
  config = new DeadlineKubeConfig(200);
  useApiserverDouble(config, 'hole', local.origin);
});

describe('DeadlineKubeConfig', () => {
  it('ends a generated API client call at the deadline with a clear timeout error', async () => {
    const error = await config
      .makeApiClient(CoreV1Api)
      .listNamespace()
      .then(
        () => null,
        (failure: unknown) => failure,
      );
    const envelope = toEnvelope(error, 'clusters:namespaces');
    expect(envelope.code).toBe('timeout');
    expect(envelope.message).toMatch(/timed out after 0\.2 s \(GET \/api\/v1\/namespaces\)/);
  });

  it('ends an object API call (the watches list through it) at the deadline too', async () => {
    const error = await KubernetesObjectApi.makeApiClient(config)
      .list('v1', 'Pod', 'ns')
      .then(
        () => null,
        (failure: unknown) => failure,
      );
    expect(toEnvelope(error).code).toBe('timeout');
    expect(toEnvelope(error).message).toContain('timed out after 0.2 s');
  });
});
