// The usual start of an engine integration test: the engine on the shared test playground, the admin context, and
// a fresh namespace made before the tests and removed after them (with the engine closed).
import { afterAll, inject } from 'vitest';
import { engineFor } from '../engine-harness';
import { namespaceForFile } from './file-fixtures';

export function engineInNamespace(prefix: string) {
  const playground = inject('playground');
  const harness = engineFor(playground);
  // Registered before the namespace, so it runs after the namespace is removed (afterAll hooks run in reverse).
  afterAll(async () => {
    await harness.close();
  });
  const namespace = namespaceForFile(playground, prefix);
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
