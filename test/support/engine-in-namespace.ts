// The usual start of an engine integration test: the engine on the shared test playground, the admin context, and
// a fresh namespace made before the tests and removed after them (with the engine closed).
import { afterAll, beforeAll, inject } from 'vitest';
import { engineFor } from '../engine-harness';
import { createUniqueNamespace } from './unique';

export interface TestNamespace {
  /** Set before the first test runs. */
  name: string;
  remove: () => Promise<void>;
}

export function engineInNamespace(prefix: string) {
  const playground = inject('playground');
  const harness = engineFor(playground);
  const namespace: TestNamespace = { name: '', remove: async () => {} };
  beforeAll(async () => {
    Object.assign(namespace, await createUniqueNamespace(playground, prefix));
  });
  afterAll(async () => {
    await namespace.remove();
    await harness.close();
  });
  return { playground, harness, api: harness.api, context: playground.contexts.admin, namespace };
}

/** Runs a finite stream to its end and returns every event it sent. */
export async function collectEvents<E>(
  start: (onEvent: (event: E) => void) => { done: Promise<void> },
): Promise<E[]> {
  const events: E[] = [];
  await start((event) => events.push(event)).done;
  return events;
}
